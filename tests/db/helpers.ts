import type { CommandResult } from '@fiscus/contracts';
import { type Kysely, sql } from 'kysely';
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

/** Run a command as this user (the CLI's default actor). */
export const as = (user: string) => ({ defaultActor: user });

/** The result of an accepted command; a refusal fails the test with its error. */
export function ok(r: CommandResult): Record<string, unknown> {
  if (r.status !== 'accepted') throw new Error(`refused: ${JSON.stringify(r.error)}`);
  return r.result as Record<string, unknown>;
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

/** Draft, submit and approve an indicator document; returns the approval's result. */
export async function effectiveDocument(
  db: Kysely<DB>,
  region: string,
  users: { preparer: string; approver: string },
  docNo: string,
  body: Record<string, unknown>,
  envelope: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const over = { region, ...envelope };
  const d = ok(
    await run1(db, cmd('indicatorDoc.draft', { docNo, title: docNo, body }, over), as(users.preparer)),
  );
  ok(await run1(db, cmd('indicatorDoc.submit', { docId: d.docId }, over), as(users.preparer)));
  return ok(await run1(db, cmd('indicatorDoc.approve', { docId: d.docId }, over), as(users.approver)));
}

/** Normal balance of an account for one indicator (all its element keys), in fen. */
export async function indicatorBalance(
  db: Kysely<DB>,
  region: string,
  account: string,
  indicatorId: string,
  year = 2026,
): Promise<bigint> {
  const r = await sql<{ b: string | null }>`
    select sum(case when b.account like '1%' then b.debit_fen - b.credit_fen else b.credit_fen - b.debit_fen end)::text as b
    from ledger.balance b join ledger.element_key k
      on k.region_code = b.region_code and k.fiscal_year = b.fiscal_year and k.id = b.element_key_id
    where b.region_code = ${region} and b.fiscal_year = ${year} and b.account = ${account}
      and k.indicator_id = ${indicatorId}`.execute(db);
  return BigInt(r.rows[0]?.b ?? 0);
}

/** Normal balance of an account over a whole region-year, in fen. */
export async function accountBalance(
  db: Kysely<DB>,
  region: string,
  account: string,
  year = 2026,
): Promise<bigint> {
  const r = await sql<{ b: string | null }>`
    select sum(case when account like '1%' then debit_fen - credit_fen else credit_fen - debit_fen end)::text as b
    from ledger.balance where region_code = ${region} and fiscal_year = ${year} and account = ${account}`.execute(
    db,
  );
  return BigInt(r.rows[0]?.b ?? 0);
}
