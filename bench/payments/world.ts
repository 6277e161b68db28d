import type { CommandResult } from '@fiscus/contracts';
import type { Kysely } from 'kysely';
import { executeCommands } from '../../packages/core/src/commands/pipeline';
import type { DB } from '../../packages/core/src/platform/db/schema';

export const REGION = '530700000';
export const YEAR = 2026;
export const ON = '2026-03-16';

/** Agencies of the demo that have a unit zero-balance account (authorized payments need one). */
export const AGENCIES = ['205002', '210002'] as const;

export interface PaymentWorld {
  /** Per agency: its clerk and head, and its indicators (direct and authorized). */
  agencies: {
    code: string;
    clerk: string;
    head: string;
    indicators: { id: string; payType: 'direct' | 'authorized' }[];
  }[];
  /** Yuan each indicator was approved with. */
  amountEach: string;
}

export interface PaymentSpec {
  agency: string;
  indicatorId: string;
  payType: 'direct' | 'authorized';
  /** Yuan. */
  amount: string;
  payeeName: string;
  /** The payment center refuses it (拒绝). */
  refuse?: boolean;
}

let seq = 0;
const id = (tag: string) => `${tag}-${process.pid}-${Date.now().toString(36)}-${++seq}`;
const envelope = (type: string, actor: string, payload: unknown) => ({
  id: id(type),
  type,
  region: REGION,
  year: YEAR,
  on: ON,
  actor,
  payload,
});

/** Runs commands in chunks and throws on the first refusal (the world must be built exactly). */
export async function runAll(db: Kysely<DB>, commands: unknown[], chunk = 200): Promise<CommandResult[]> {
  const out: CommandResult[] = [];
  for (let i = 0; i < commands.length; i += chunk) {
    const rs = await executeCommands(db, commands.slice(i, i + chunk));
    for (const r of rs)
      if (r.status !== 'accepted')
        throw new Error(`${r.type} refused: ${r.error.code} ${r.error.message.en}`);
    out.push(...rs);
  }
  return out;
}

/**
 * Unit staff for each agency (a clerk and a head, made by the administrators) and `perAgency`
 * direct and as many authorized executable indicators of `amountEach` yuan, approved by the budget
 * division — on a database with the demo loaded.
 */
export async function buildPaymentWorld(
  db: Kysely<DB>,
  opts: { perAgency: number; amountEach: string; tag: string },
): Promise<PaymentWorld> {
  const users: unknown[] = [];
  const world: PaymentWorld = { agencies: [], amountEach: opts.amountEach };
  const lines: unknown[] = [];
  for (const code of AGENCIES) {
    const clerk = `${opts.tag.toLowerCase()}clerk${code}`;
    const head = `${opts.tag.toLowerCase()}head${code}`;
    for (const [u, role] of [
      [clerk, 'unitClerk'],
      [head, 'unitHead'],
    ] as const) {
      users.push(
        envelope('user.create', 'sysadmin', {
          username: u,
          displayName: u,
          password: 'Bench-Pass-2026',
          agencyCode: code,
        }),
        envelope('user.grantRole', 'secadmin', {
          username: u,
          role,
          scopeRegion: REGION,
          includeDescendants: false,
          scopeAgency: code,
        }),
      );
    }
    const indicators: PaymentWorld['agencies'][number]['indicators'] = [];
    for (let i = 0; i < opts.perAgency; i++)
      for (const payType of ['direct', 'authorized'] as const) {
        const indicatorId = `${opts.tag}-${code}-${payType === 'direct' ? 'D' : 'A'}${i}`;
        indicators.push({ id: indicatorId, payType });
        lines.push({
          indicatorId,
          amount: opts.amountEach,
          pool: 'executable',
          elements: {
            fundTypeCode: '111',
            agencyCode: code,
            deptCode: code.slice(0, 3),
            expFuncCode: '2050203',
            depEcoCode: '30201',
            govEcoCode: '50201',
            payTypeCode: payType === 'direct' ? '11' : '12',
          },
        });
      }
    world.agencies.push({ code, clerk, head, indicators });
  }
  await runAll(db, users);
  const [doc] = await runAll(db, [
    envelope('indicatorDoc.draft', 'budget', {
      docNo: `丽财〔2026〕${opts.tag}`,
      title: '支付压测指标',
      body: { docType: 'approve', lines },
    }),
  ]);
  const docId = (doc as { result: { docId: string } }).result.docId;
  await runAll(db, [envelope('indicatorDoc.submit', 'budget', { docId })]);
  await runAll(db, [envelope('indicatorDoc.approve', 'chief', { docId })]);
  return world;
}

/** An entered payee whose name steers the bank simulator (…退回 returned, …退票 bounced). */
export function payeeOf(name: string, i: number) {
  return {
    name,
    accountNo: `62220225100${String(i).padStart(8, '0')}`,
    bankName: '中国工商银行丽江分行',
    bankNo: '102751000015',
  };
}

export interface StageTimes {
  draft: number;
  submit: number;
  unitApprove: number;
  review: number;
  sign: number;
}

/**
 * Each spec through 单位录入 → 送审 → 单位审核 → 支付中心审核 (approve or refuse) → 凭证签章, each
 * stage as batches of commands; returns the application ids (in spec order) and seconds per stage.
 */
export async function approveAndSign(
  db: Kysely<DB>,
  world: PaymentWorld,
  specs: readonly PaymentSpec[],
): Promise<{ ids: string[]; seconds: StageTimes }> {
  const staff = new Map(world.agencies.map((a) => [a.code, a]));
  const who = (s: PaymentSpec) => staff.get(s.agency)!;
  const seconds: StageTimes = { draft: 0, submit: 0, unitApprove: 0, review: 0, sign: 0 };
  const timed = async <T>(stage: keyof StageTimes, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const r = await fn();
    seconds[stage] += (performance.now() - t0) / 1000;
    return r;
  };
  const drafts = await timed('draft', () =>
    runAll(
      db,
      specs.map((s, i) =>
        envelope('payment.draft', who(s).clerk, {
          agencyCode: s.agency,
          payType: s.payType,
          indicatorId: s.indicatorId,
          amount: s.amount,
          purpose: '办公用品',
          settlementMode: '001001',
          payee: payeeOf(s.payeeName, i),
        }),
      ),
    ),
  );
  const ids = drafts.map((r) => (r as { result: { applicationId: string } }).result.applicationId);
  const ref = (i: number) => ({ applicationId: ids[i]!, agencyCode: specs[i]!.agency });
  await timed('submit', () =>
    runAll(
      db,
      specs.map((s, i) => envelope('payment.submit', who(s).clerk, ref(i))),
    ),
  );
  await timed('unitApprove', () =>
    runAll(
      db,
      specs.map((s, i) => envelope('payment.unitApprove', who(s).head, ref(i))),
    ),
  );
  await timed('review', () =>
    runAll(
      db,
      specs.map((s, i) =>
        envelope(
          'payment.review',
          'reviewer',
          s.refuse
            ? { ...ref(i), decision: 'refuse', opinion: '用途与指标不符' }
            : { ...ref(i), decision: 'approve' },
        ),
      ),
    ),
  );
  await timed('sign', () =>
    runAll(
      db,
      specs.flatMap((s, i) => (s.refuse ? [] : [envelope('payment.signVoucher', 'signer', ref(i))])),
    ),
  );
  return { ids, seconds };
}

/** How many of `ids` are in each state. */
export async function statesOf(db: Kysely<DB>, ids: readonly string[]): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('payments.application')
    .select(['application_id', 'state'])
    .where('region_code', '=', REGION)
    .where('fiscal_year', '=', YEAR)
    .where('application_id', 'in', ids.length > 0 ? [...ids] : [''])
    .execute();
  return new Map(rows.map((r) => [r.application_id, r.state]));
}
