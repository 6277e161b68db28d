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

/**
 * The unit's history this fiscal year, read in one statement: spending per day × economic class ×
 * cash × payroll, every earlier payment to the same payee account, and per-class statistics of
 * single payments. The pure evaluator then answers every aggregate from memory, so a rule set's
 * cost does not grow with the number of aggregate calls.
 */
export async function loadHistory(db: Kysely<DB>, q: HistoryQuery): Promise<MonitorAggregates> {
  const r = await sql<{ days: DayRow[]; payee: PayeeRow[]; stats: StatRow[] }>`
    with h as (
      select submitted_on::text as on_date, dep_eco_code,
             -- 现金/提现 settlement modes, by name as in settlementKind (subject.ts).
             settlement_mode in (select code from basedata.code_item c where c.region_code = ${q.region}
               and c.fiscal_year = ${q.year} and c.set_code = 'settlementMode'
               and (c.name like '%现金%' or c.name like '%提现%')) as cash,
             payee_account_kind = 'payroll' as payroll, payee->>'accountNo' = ${q.payeeAccountNo} as same, amount_fen
      from payments.application
      where region_code = ${q.region} and fiscal_year = ${q.year} and agency_code = ${q.agencyCode}
        and application_id <> ${q.applicationId} and submitted_on <= ${q.on}::date
        and state in (${sql.join([...SPENDING_STATES])})
    )
    select
      (select coalesce(json_agg(json_build_object('on', d, 'eco', eco, 'cash', cash, 'payroll', payroll, 'sum', s::text)), '[]')
         from (select on_date d, dep_eco_code eco, cash, payroll, sum(amount_fen) s from h group by 1, 2, 3, 4) g) as days,
      (select coalesce(json_agg(json_build_object('on', on_date, 'amt', amount_fen::text)), '[]') from h where same) as payee,
      (select coalesce(json_agg(json_build_object('eco', eco, 'n', n, 'mean', m, 'sd', sd)), '[]')
         from (select dep_eco_code eco, count(*)::int n, avg(amount_fen)::float8 m,
                      coalesce(stddev_pop(amount_fen), 0)::float8 sd from h group by 1) e) as stats`.execute(
    db,
  );
  const row = r.rows[0]!;
  return historyAggregates(q.on, q.amountFen, row.days, row.payee, row.stats);
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
