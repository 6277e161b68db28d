import { type Kysely, sql } from 'kysely';
import type { DB } from '../../platform/db/schema';
import { balanceReport } from './balances';

/** 科目余额表 / trial balance per account (and fund type), with the sources = holdings check. */
export async function trialBalance(db: Kysely<DB>, q: { region: string; year: number }) {
  const rows = await balanceReport(db, { ...q, by: ['fundType', 'account'] });
  const byFund = new Map<string, { sources: bigint; holdings: bigint }>();
  for (const r of rows) {
    const f = String(r.fundType);
    const t = byFund.get(f) ?? { sources: 0n, holdings: 0n };
    if (String(r.account).startsWith('1')) t.sources += r.balance;
    else t.holdings += r.balance;
    byFund.set(f, t);
  }
  const checks = [...byFund.entries()].map(([fundType, t]) => ({
    fundType,
    ...t,
    balanced: t.sources === t.holdings,
  }));
  return { rows, checks };
}

/** 来源去向表: for each fund type, where indicators came from (1xxx) and where they are now (2xxx). */
export async function sourcesAndUses(db: Kysely<DB>, q: { region: string; year: number }) {
  const rows = await balanceReport(db, { ...q, by: ['fundType', 'sourceType', 'account'] });
  return {
    sources: rows.filter((r) => String(r.account).startsWith('1')),
    uses: rows.filter((r) => String(r.account).startsWith('2')),
  };
}

const EXECUTABLE_TOTAL = ['2101', '2102', '2301', '2401', '2501'];

/** 执行进度表: paid ÷ total executable indicator by a dimension (agency, expFunc, fundType …). */
export async function executionProgress(db: Kysely<DB>, q: { region: string; year: number; by: string }) {
  const rows = await balanceReport(db, { ...q, by: [q.by, 'account'], accounts: EXECUTABLE_TOTAL });
  const out = new Map<string, { total: bigint; paid: bigint }>();
  for (const r of rows) {
    const k = String(r[q.by] ?? '');
    const t = out.get(k) ?? { total: 0n, paid: 0n };
    t.total += r.balance;
    if (r.account === '2501') t.paid += r.balance;
    out.set(k, t);
  }
  return [...out.entries()].map(([key, t]) => ({
    [q.by]: key,
    total: t.total,
    paid: t.paid,
    // Basis points, rounded down in bigint: a percentage with two decimals, no float.
    progressBp: t.total > 0n ? (t.paid * 10000n) / t.total : 0n,
  }));
}

/** 指标明细账: every line on an indicator, with its lineage back (origin) and forward. */
export async function indicatorLedger(
  db: Kysely<DB>,
  q: { region: string; year: number; indicatorId: string },
) {
  const lines = await sql<Record<string, unknown>>`
    select e.id as entry_id, e.business_date, e.scenario, e.reverses_entry_id, l.line_no, l.account, l.side, l.amount_fen,
           k.indicator_id, k.origin_indicator_id
    from ledger.line l
    join ledger.entry e on e.region_code = l.region_code and e.fiscal_year = l.fiscal_year and e.id = l.entry_id
    join ledger.element_key k on k.region_code = l.region_code and k.fiscal_year = l.fiscal_year and k.id = l.element_key_id
    where l.region_code = ${q.region} and l.fiscal_year = ${q.year} and k.indicator_id = ${q.indicatorId}
    order by e.business_date, e.id, l.line_no`.execute(db);
  const lineage = await sql<{
    indicator_id: string;
    origin_indicator_id: string | null;
    fiscal_year: number;
    depth: number;
  }>`
    with recursive up as (
      select distinct indicator_id, origin_indicator_id, fiscal_year, 0 as depth from ledger.element_key
        where region_code = ${q.region} and indicator_id = ${q.indicatorId}
      union
      select k.indicator_id, k.origin_indicator_id, k.fiscal_year, up.depth - 1 from ledger.element_key k
        join up on k.indicator_id = up.origin_indicator_id where k.region_code = ${q.region} and up.depth > -20
    ),
    down as (
      select distinct indicator_id, origin_indicator_id, fiscal_year, 0 as depth from ledger.element_key
        where region_code = ${q.region} and indicator_id = ${q.indicatorId}
      union
      select k.indicator_id, k.origin_indicator_id, k.fiscal_year, down.depth + 1 from ledger.element_key k
        join down on k.origin_indicator_id = down.indicator_id where k.region_code = ${q.region} and down.depth < 20
    )
    select distinct * from (select * from up union select * from down) x order by depth, indicator_id`.execute(
    db,
  );
  return { lines: lines.rows, lineage: lineage.rows };
}
