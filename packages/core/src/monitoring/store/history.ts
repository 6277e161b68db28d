import { type Kysely, sql } from 'kysely';
import type { DB } from '../../platform/db/schema';
import type { HistoryStats, MonitorAggregates } from '../domain/functions';

/** The states in which an application counts as the unit's spending: reserved, held or paid. */
export const SPENDING_STATES = [
  'submitted',
  'unitApproved',
  'approved',
  'held',
  'voucherSigned',
  'paid',
] as const;

export interface DayRow {
  on: string;
  eco: string | null;
  cash: boolean;
  payroll: boolean;
  sum: string;
}
export interface PayeeRow {
  on: string;
  amt: string;
}
export interface StatRow {
  eco: string | null;
  n: number;
  mean: number;
  sd: number;
}

export interface HistoryQuery {
  region: string;
  year: number;
  agencyCode: string;
  /** The application being judged: never part of its own history. */
  applicationId: string;
  payeeAccountNo: string;
  /** Business date; the windows end here. */
  on: string;
  /** The payment's own amount (same payee with the same amount). */
  amountFen: bigint;
}

const daysBetween = (a: string, b: string) =>
  (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000;

/** One group of the history scan: day × class × cash × payroll × (amount if to the same payee). */
export interface GroupRow {
  d: string;
  eco: string | null;
  cash: boolean;
  payroll: boolean;
  /** The amount in fen when the payments went to the same payee account, else null. */
  same: string | null;
  n: number;
  /** Sum and sum of squares of the amounts, fen (exact). */
  s: string;
  ss: string;
}

/**
 * The rows `historyAggregates` reads, from the groups of one scan. Statistics come from exact
 * sums: mean = Σx / n, population variance = (n·Σx² − (Σx)²) / n².
 */
export function historyRowsOf(groups: readonly GroupRow[]): {
  days: DayRow[];
  payee: PayeeRow[];
  stats: StatRow[];
} {
  const days = new Map<string, DayRow & { total: bigint }>();
  const payee: PayeeRow[] = [];
  const byEco = new Map<string | null, { n: bigint; s: bigint; ss: bigint }>();
  for (const g of groups) {
    const k = JSON.stringify([g.d, g.eco, g.cash, g.payroll]);
    const day = days.get(k);
    if (day) day.total += BigInt(g.s);
    else days.set(k, { on: g.d, eco: g.eco, cash: g.cash, payroll: g.payroll, sum: '', total: BigInt(g.s) });
    if (g.same !== null) for (let i = 0; i < g.n; i++) payee.push({ on: g.d, amt: g.same });
    const e = byEco.get(g.eco) ?? { n: 0n, s: 0n, ss: 0n };
    e.n += BigInt(g.n);
    e.s += BigInt(g.s);
    e.ss += BigInt(g.ss);
    byEco.set(g.eco, e);
  }
  const stats: StatRow[] = [...byEco].map(([eco, e]) => {
    const variance = e.n * e.ss - e.s * e.s;
    const n = Number(e.n);
    return { eco, n, mean: Number(e.s) / n, sd: variance > 0n ? Math.sqrt(Number(variance)) / n : 0 };
  });
  return {
    days: [...days.values()].map(({ total, ...d }) => ({ ...d, sum: total.toString() })),
    payee,
    stats,
  };
}

interface OwnRow {
  d: string;
  eco: string | null;
  cash: boolean;
  payroll: boolean;
  amt: string;
}

/**
 * The unit's history this fiscal year, in one statement: the day × class × cash × payroll groups
 * kept by the spend_day trigger (migration 0014; a few rows however long the year), every earlier
 * payment to the same payee account (by index), and the judged application's own contribution,
 * which is taken out again — an application is never part of its own history. The pure evaluator
 * then answers every aggregate from memory.
 */
export async function loadHistory(db: Kysely<DB>, q: HistoryQuery): Promise<MonitorAggregates> {
  const spending = sql.join([...SPENDING_STATES]);
  const r = await sql<{ groups: GroupRow[] | null; payee: PayeeRow[] | null; own: OwnRow | null }>`
    select
      (select json_agg(json_build_object('d', on_date::text, 'eco', nullif(dep_eco_code, ''), 'cash', cash,
          'payroll', payroll, 'same', null, 'n', n, 's', s::text, 'ss', ss::text))
        from monitor.spend_day
        where region_code = ${q.region} and fiscal_year = ${q.year} and agency_code = ${q.agencyCode}
          and on_date <= ${q.on}::date and n <> 0) as groups,
      (select json_agg(json_build_object('on', submitted_on::text, 'amt', amount_fen::text))
        from payments.application
        where region_code = ${q.region} and fiscal_year = ${q.year} and agency_code = ${q.agencyCode}
          and payee->>'accountNo' = ${q.payeeAccountNo} and application_id <> ${q.applicationId}
          and submitted_on <= ${q.on}::date and state in (${spending})) as payee,
      (select json_build_object('d', submitted_on::text, 'eco', dep_eco_code,
          'cash', exists (select 1 from basedata.code_item c where c.region_code = a.region_code
            and c.fiscal_year = a.fiscal_year and c.set_code = 'settlementMode' and c.code = a.settlement_mode
            and (c.name like '%现金%' or c.name like '%提现%')),
          'payroll', payee_account_kind = 'payroll', 'amt', amount_fen::text)
        from payments.application a
        where region_code = ${q.region} and fiscal_year = ${q.year} and application_id = ${q.applicationId}
          and agency_code = ${q.agencyCode} and submitted_on <= ${q.on}::date and state in (${spending})) as own`.execute(
    db,
  );
  const row = r.rows[0]!;
  const groups = withoutOwn(row.groups ?? [], row.own);
  const { days, stats } = historyRowsOf(groups);
  return historyAggregates(q.on, q.amountFen, days, row.payee ?? [], stats);
}

/** The groups less the judged application's own amount (the trigger counted it). */
export function withoutOwn(groups: readonly GroupRow[], own: OwnRow | null): GroupRow[] {
  if (own === null) return [...groups];
  const amt = BigInt(own.amt);
  const out: GroupRow[] = [];
  let taken = false;
  for (const g of groups) {
    if (!taken && g.d === own.d && g.eco === own.eco && g.cash === own.cash && g.payroll === own.payroll) {
      taken = true;
      if (g.n > 1)
        out.push({
          ...g,
          n: g.n - 1,
          s: (BigInt(g.s) - amt).toString(),
          ss: (BigInt(g.ss) - amt * amt).toString(),
        });
      continue;
    }
    out.push(g);
  }
  return out;
}

/** The aggregates over rows already read (pure; also used by backtesting over a past period). */
export function historyAggregates(
  on: string,
  amountFen: bigint,
  days: readonly DayRow[],
  payee: readonly PayeeRow[],
  stats: readonly StatRow[],
): MonitorAggregates {
  const month = on.slice(0, 7);
  const sum = (rows: readonly DayRow[]) => rows.reduce((s, d) => s + BigInt(d.sum), 0n);
  const within = (n: number) => payee.filter((p) => daysBetween(p.on, on) <= n);
  const none: HistoryStats = { mean: 0, stddev: 0, count: 0 };
  return {
    countSamePayee: (n) => within(n).length,
    sumSamePayee: (n) => within(n).reduce((s, p) => s + BigInt(p.amt), 0n),
    countSamePayeeAmount: (n) => within(n).filter((p) => BigInt(p.amt) === amountFen).length,
    unitMonthTotal: () => sum(days.filter((d) => d.on.startsWith(month))),
    unitYearTotal: () => sum(days),
    cashTotal: (p) => sum(days.filter((d) => d.cash && (p === 'year' || d.on.startsWith(month)))),
    ecoYearTotal: (prefix) => sum(days.filter((d) => (d.eco ?? '').startsWith(prefix))),
    unitPayrollTotal: () => sum(days.filter((d) => d.payroll)),
    unitEcoHistoryStats: (eco) => {
      const s = stats.find((x) => x.eco === eco);
      return s ? { mean: s.mean, stddev: s.sd, count: s.n } : none;
    },
    payeeFirstSeen: () => payee.reduce((m, p) => (m === '' || p.on < m ? p.on : m), ''),
    isWorkingDay: () => {
      const wd = new Date(`${on}T00:00:00Z`).getUTCDay();
      return wd !== 0 && wd !== 6;
    },
  };
}
