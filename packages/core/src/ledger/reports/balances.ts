import { type Kysely, sql } from 'kysely';
import { FiscusError } from '../../kernel/errors';
import type { DB } from '../../platform/db/schema';
import { type Dimension, dimensionColumns, isDimension } from './dimensions';

export interface BalanceQuery {
  region: string;
  year: number;
  by: string[];
  /** Balances at the end of this date (YYYY-MM-DD, within the year); default: now. */
  asOf?: string | undefined;
  /** Include every region below `region` (a province-year report). */
  includeSubtree?: boolean | undefined;
  accounts?: string[] | undefined;
}

export interface BalanceRow {
  [dimension: string]: string | bigint | null;
  debit: bigint;
  credit: bigint;
  /** On each account's normal side, summed. */
  balance: bigint;
}

/**
 * 指标余额表: balances grouped by any dimensions, as of any date, read from balance rows — the
 * running totals, or the monthly rows before the date's month plus that one month's lines.
 */
export async function balanceReport(db: Kysely<DB>, q: BalanceQuery): Promise<BalanceRow[]> {
  const bad = q.by.filter((d) => !isDimension(d));
  if (bad.length > 0)
    throw new FiscusError('VALIDATION_FAILED', { detail: `unknown dimensions: ${bad.join(', ')}` });
  const by = q.by as Dimension[];
  if (q.asOf && !q.asOf.startsWith(`${q.year}-`)) {
    throw new FiscusError('VALIDATION_FAILED', {
      detail: `as-of date ${q.asOf} is not in fiscal year ${q.year}`,
    });
  }
  const regionCond = q.includeSubtree
    ? sql`b.region_code in (select region_code from basedata.region r, (select path from basedata.region where region_code = ${q.region}) p
                           where r.path = p.path or r.path like p.path || '/%')`
    : sql`b.region_code = ${q.region}`;
  const accountCond = q.accounts?.length ? sql`and b.account in (${sql.join(q.accounts)})` : sql``;
  let source: ReturnType<typeof sql>;
  if (!q.asOf) {
    source = sql`select region_code, fiscal_year, account, element_key_id, debit_fen, credit_fen from ledger.balance`;
  } else {
    const month = Number(q.asOf.slice(5, 7));
    source = sql`
      select region_code, fiscal_year, account, element_key_id, debit_fen, credit_fen from ledger.balance_month
        where fiscal_year = ${q.year} and month < ${month}
      union all
      select region_code, fiscal_year, account, element_key_id,
             case when side = 'debit' then amount_fen else 0 end, case when side = 'credit' then amount_fen else 0 end
        from ledger.line
        where fiscal_year = ${q.year} and business_date >= ${`${q.asOf.slice(0, 7)}-01`}::date and business_date <= ${q.asOf}::date`;
  }
  const cols = by.map((d) => sql`${sql.raw(dimensionColumns[d])} as ${sql.ref(d)}`);
  const groups = by.map((_, i) => sql.raw(String(i + 1)));
  const rows = await sql<BalanceRow>`
    select ${sql.join([
      ...cols,
      sql`sum(b.debit_fen)::bigint as debit`,
      sql`sum(b.credit_fen)::bigint as credit`,
      sql`sum(case when a.normal_side = 'debit' then b.debit_fen - b.credit_fen else b.credit_fen - b.debit_fen end)::bigint as balance`,
    ])}
    from (${source}) b
    join ledger.element_key k on k.region_code = b.region_code and k.fiscal_year = b.fiscal_year and k.id = b.element_key_id
    join ledger.account a on a.region_code = b.region_code and a.fiscal_year = b.fiscal_year and a.code = b.account
    where b.fiscal_year = ${q.year} and ${regionCond} ${accountCond}
    ${groups.length ? sql`group by ${sql.join(groups)} order by ${sql.join(groups)}` : sql``}`.execute(db);
  return rows.rows;
}
