import { authCommands } from './auth';
import { basedataCommands } from './basedata';
import { clearingCommands } from './clearing';
import type { CommandDef } from './command';
import { indicatorCommands } from './indicators';
import { ledgerCommands } from './ledger';
import { monitorCommands } from './monitoring';
import { paymentCommands } from './payments';
import { reconcileCommands } from './reconcile';
import { yearendCommands } from './yearend';

/** Every command type the system accepts, by wire type. */
export const allCommands: readonly CommandDef[] = [
  ...basedataCommands,
  ...authCommands,
  ...ledgerCommands,
  ...indicatorCommands,
  ...paymentCommands,
  ...monitorCommands,
  ...reconcileCommands,
  ...clearingCommands,
  ...yearendCommands,
];

export const commandsByType: ReadonlyMap<string, CommandDef> = new Map(allCommands.map((c) => [c.type, c]));
