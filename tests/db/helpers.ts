import type { CommandResult } from '@fiscus/contracts';
import type { Kysely } from 'kysely';
import { type ExecuteOptions, executeCommands } from '../../packages/core/src/index';
import type { DB } from '../../packages/core/src/platform/db/schema';

let seq = 0;

/** A command envelope with a fresh id; tests override what they care about. */
export function cmd(type: string, payload: unknown, over: Record<string, unknown> = {}) {
  seq += 1;
  return {
    id: `t-${Date.now().toString(36)}-${seq}`,
    type,
    region: '530700000',
    year: 2026,
    on: '2026-03-01',
    payload,
    ...over,
  };
}

export async function run1(db: Kysely<DB>, c: unknown, opts: ExecuteOptions = {}): Promise<CommandResult> {
  const [r] = await executeCommands(db, [c], opts);
  return r!;
}

export function errorCode(r: CommandResult): string | null {
  return r.status === 'rejected' ? r.error.code : null;
}

/** Row counts of every fiscal table: "changes nothing" means these stay equal. */
export async function snapshotCounts(db: Kysely<DB>): Promise<Record<string, number>> {
  const tables = [
    'basedata.region',
    'basedata.fiscal_year',
    'basedata.agency',
    'basedata.code_item',
    'basedata.economic_mapping',
    'basedata.agent_bank',
    'basedata.bank_account',
    'basedata.payee',
    'auth.app_user',
    'auth.user_role',
    'platform.command_log',
  ] as const;
  const out: Record<string, number> = {};
  for (const t of tables) {
    const r = await db
      .selectFrom(t)
      .select((eb) => eb.fn.countAll<bigint>().as('n'))
      .executeTakeFirstOrThrow();
    out[t] = Number(r.n);
  }
  return out;
}

/** Elements of an executable indicator of 丽江市第一中学 (205002), 差旅费, for ledger tests. */
export function demoIndicator(id: string, over: Record<string, unknown> = {}) {
  return {
    indicatorId: id,
    agencyCode: '205002',
    deptCode: '205',
    expFuncCode: '2050203',
    depEcoCode: '30211',
    govEcoCode: '50201',
    fundTypeCode: '111',
    sourceTypeCode: '1',
    payTypeCode: '11',
    ...over,
  };
}
