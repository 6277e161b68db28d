import { allCommands } from '@fiscus/contracts';
import { authHandlers } from '../auth/handlers';
import { basedataHandlers } from '../basedata/handlers';
import { documentHandlers } from '../indicators/handlers';
import { transferHandlers } from '../indicators/transfer-handlers';
import { yearendHandlers } from '../indicators/yearend/handlers';
import { ledgerHandlers } from '../ledger/handlers';
import { monitorHandlers } from '../monitoring/handlers';
import { clearingHandlers } from '../payments/clearing/handlers';
import { paymentHandlers } from '../payments/handlers';
import { reconcileHandlers } from '../reconcile/handlers';
import type { CommandHandler } from './handler';

const handlers = new Map<string, CommandHandler<never>>();
for (const h of [
  ...basedataHandlers,
  ...authHandlers,
  ...ledgerHandlers,
  ...documentHandlers,
  ...transferHandlers,
  ...yearendHandlers,
  ...paymentHandlers,
  ...monitorHandlers,
  ...reconcileHandlers,
  ...clearingHandlers,
] as unknown as CommandHandler<never>[]) {
  handlers.set(h.def.type, h);
}

// Every contract has a handler and the other way round: a missing one is a build error, not a 500.
for (const c of allCommands) {
  if (!handlers.has(c.type)) throw new Error(`command ${c.type} has no handler`);
}

export function handlerFor(type: string): CommandHandler<unknown> | undefined {
  return handlers.get(type) as CommandHandler<unknown> | undefined;
}
