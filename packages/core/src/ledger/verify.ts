import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../platform/db/schema';

export interface VerifyCheck {
  name: string;
  ok: boolean;
  /** How many rows failed (0 when ok). */
  failures: number;
  detail: string;
}

export interface VerifyReport {
  ok: boolean;
  lines: number;
  checks: VerifyCheck[];
}

function scope(
  alias: string,
  opts: { region?: string | undefined; year?: number | undefined },
): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`true`];
  if (opts.region) parts.push(sql`${sql.ref(`${alias}.region_code`)} = ${opts.region}`);
  if (opts.year) parts.push(sql`${sql.ref(`${alias}.fiscal_year`)} = ${opts.year}`);
  return sql.join(parts, sql` and `);
}

const sample = (rows: Record<string, unknown>[]) =>
  rows
    .slice(0, 5)
    .map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)))
    .join('; ');

/**
 * `fiscus ledger verify`: recompute what the engine maintains. One pass over the journal lines
 * (GROUPING SETS by entry and by balance key) feeds both the "every entry balances" and the
 * "every balance equals its lines" checks, so verifying costs about one scan of the lines.
 */
export async function verifyLedger(
  db: Kysely<DB>,
  opts: { region?: string | undefined; year?: number | undefined } = {},
): Promise<VerifyReport> {
  const checks: VerifyCheck[] = [];
  const agg = await sql<{
    kind: string;
    region_code: string;
    fiscal_year: number;
    entry_id: bigint | null;
    account: string | null;
    element_key_id: bigint | null;
    d: bigint;
    c: bigint;
    expected_d: bigint | null;
    expected_c: bigint | null;
    n: bigint;
  }>`
    with sums as materialized (
      select region_code, fiscal_year, entry_id, account, element_key_id,
             grouping(entry_id) as by_key,
             sum(amount_fen) filter (where side = 'debit')::bigint as d,
             sum(amount_fen) filter (where side = 'credit')::bigint as c,
             count(*)::bigint as n
      from ledger.line l where ${scope('l', opts)}
      group by grouping sets ((region_code, fiscal_year, entry_id), (region_code, fiscal_year, account, element_key_id))
    ),
    entries as (
      select 'entry' as kind, s.region_code, s.fiscal_year, s.entry_id, null::text as account, null::bigint as element_key_id,
             coalesce(s.d, 0) as d, coalesce(s.c, 0) as c, e.debit_fen as expected_d, e.credit_fen as expected_c, s.n
      from sums s left join ledger.entry e
        on e.region_code = s.region_code and e.fiscal_year = s.fiscal_year and e.id = s.entry_id
      where s.by_key = 0
        and (e.id is null or coalesce(s.d, 0) <> coalesce(s.c, 0) or coalesce(s.d, 0) <> e.debit_fen)
    ),
    keyed as (select * from sums where by_key = 1),
    balances as (
      select 'balance' as kind, coalesce(k.region_code, b.region_code) as region_code, coalesce(k.fiscal_year, b.fiscal_year) as fiscal_year,
             null::bigint as entry_id, coalesce(k.account, b.account) as account, coalesce(k.element_key_id, b.element_key_id) as element_key_id,
             coalesce(k.d, 0) as d, coalesce(k.c, 0) as c, b.debit_fen as expected_d, b.credit_fen as expected_c, coalesce(k.n, 0) as n
      from keyed k full join (select * from ledger.balance b where ${scope('b', opts)}) b
        on b.region_code = k.region_code and b.fiscal_year = k.fiscal_year and b.account = k.account and b.element_key_id = k.element_key_id
      where coalesce(k.d, 0) <> coalesce(b.debit_fen, 0) or coalesce(k.c, 0) <> coalesce(b.credit_fen, 0)
    ),
    total as (select 'total' as kind, null::char(9), null::int, null::bigint, null::text, null::bigint, 0::bigint, 0::bigint,
                     null::bigint, null::bigint, coalesce(sum(n), 0)::bigint from keyed)
    select * from entries union all select * from balances union all select * from total`.execute(db);
  const lines = Number(agg.rows.find((r) => r.kind === 'total')?.n ?? 0);
  const badEntries = agg.rows.filter((r) => r.kind === 'entry');
  const badBalances = agg.rows.filter((r) => r.kind === 'balance');
  checks.push({
    name: 'entries balance (借贷平衡)',
    ok: badEntries.length === 0,
    failures: badEntries.length,
    detail: badEntries.length
      ? sample(
          badEntries.map((r) => ({
            region: r.region_code,
            year: r.fiscal_year,
            entry: r.entry_id,
            debit: r.d,
            credit: r.c,
            header: r.expected_d,
          })),
        )
      : 'every entry: Σ debit = Σ credit = header',
  });
  checks.push({
    name: 'balances equal their lines (余额=明细)',
    ok: badBalances.length === 0,
    failures: badBalances.length,
    detail: badBalances.length
      ? sample(
          badBalances.map((r) => ({
            region: r.region_code,
            year: r.fiscal_year,
            account: r.account,
            key: r.element_key_id,
            lines: [r.d, r.c],
            stored: [r.expected_d, r.expected_c],
          })),
        )
      : 'every running balance equals the sum of its lines',
  });

  const months = await sql<Record<string, unknown>>`
    select b.region_code, b.fiscal_year, b.account, b.element_key_id from ledger.balance b
    left join (select region_code, fiscal_year, account, element_key_id, sum(debit_fen)::bigint d, sum(credit_fen)::bigint c
               from ledger.balance_month m where ${scope('m', opts)} group by 1, 2, 3, 4) m
      using (region_code, fiscal_year, account, element_key_id)
    where ${scope('b', opts)} and (coalesce(m.d, 0) <> b.debit_fen or coalesce(m.c, 0) <> b.credit_fen)`.execute(
    db,
  );
  checks.push({
    name: 'monthly balances add up (月度余额)',
    ok: months.rows.length === 0,
    failures: months.rows.length,
    detail: months.rows.length ? sample(months.rows) : 'Σ months = running balance for every key',
  });

  const identity = await sql<Record<string, unknown>>`
    select b.region_code, b.fiscal_year, k.fund_type_code,
           sum(case when a.account_class = 'source' then b.debit_fen - b.credit_fen else 0 end)::bigint as sources,
           sum(case when a.account_class = 'holding' then b.credit_fen - b.debit_fen else 0 end)::bigint as holdings
    from ledger.balance b
    join ledger.element_key k on k.region_code = b.region_code and k.fiscal_year = b.fiscal_year and k.id = b.element_key_id
    join ledger.account a on a.region_code = b.region_code and a.fiscal_year = b.fiscal_year and a.code = b.account
    where ${scope('b', opts)}
    group by 1, 2, 3
    having sum(case when a.account_class = 'source' then b.debit_fen - b.credit_fen else 0 end)
        <> sum(case when a.account_class = 'holding' then b.credit_fen - b.debit_fen else 0 end)`.execute(db);
  checks.push({
    name: 'Σ sources = Σ holdings per region × year × fund type (来源=占用)',
    ok: identity.rows.length === 0,
    failures: identity.rows.length,
    detail: identity.rows.length
      ? sample(identity.rows)
      : 'sources equal holdings in every region, year and fund type',
  });

  const negative = await sql<Record<string, unknown>>`
    select b.region_code, b.fiscal_year, b.account, b.element_key_id,
           (case when a.normal_side = 'debit' then b.debit_fen - b.credit_fen else b.credit_fen - b.debit_fen end) as balance
    from ledger.balance b
    join ledger.account a on a.region_code = b.region_code and a.fiscal_year = b.fiscal_year and a.code = b.account
    where ${scope('b', opts)} and not a.allow_negative
      and (case when a.normal_side = 'debit' then b.debit_fen - b.credit_fen else b.credit_fen - b.debit_fen end) < 0`.execute(
    db,
  );
  checks.push({
    name: 'no balance below zero (可用不为负)',
    ok: negative.rows.length === 0,
    failures: negative.rows.length,
    detail: negative.rows.length
      ? sample(negative.rows)
      : 'no account that forbids it has a negative balance',
  });
  return { ok: checks.every((c) => c.ok), lines, checks };
}
