import { defaultYearendPolicy, type YearendPolicy } from '@fiscus/contracts';
import { type Kysely, sql } from 'kysely';
import { formatYuan } from '../../kernel/money';
import type { Elements } from '../../ledger/domain/elements';
import type { Pool } from '../../ledger/domain/scenarios';
import { elementsFromRow } from '../../ledger/store/element-keys';
import type { DB } from '../../platform/db/schema';
import { decide, type UnspentBalance } from './policy';

/** The region's saved policy, or the default. */
export async function loadPolicy(
  db: Kysely<DB>,
  region: string,
): Promise<{ policy: YearendPolicy; version: number }> {
  const r = await db
    .selectFrom('yearend.policy')
    .select(['policy', 'version'])
    .where('region_code', '=', region)
    .executeTakeFirst();
  return r
    ? { policy: r.policy as YearendPolicy, version: r.version }
    : { policy: defaultYearendPolicy, version: 0 };
}

const poolOf = (account: string): Pool => (account === '2101' ? 'executable' : 'unallocated');

/**
 * The unspent balances of a region-year grouped by what the policy looks at: a handful of rows
 * whatever the number of balances (one scan of the year's 2001/2101 balances).
 */
export async function unspentGroups(
  db: Kysely<DB>,
  region: string,
  year: number,
): Promise<(UnspentBalance & { count: number })[]> {
  const r = await sql<{
    account: string;
    fund_type_code: string;
    indicator_type_code: string | null;
    source_type_code: string | null;
    direct_reach: boolean;
    n: string;
    amount: string;
  }>`
    select b.account, k.fund_type_code, k.indicator_type_code, k.source_type_code,
           coalesce((k.flags->>'directReach')::boolean, false) as direct_reach,
           count(*)::text as n, sum(b.credit_fen - b.debit_fen)::text as amount
    from ledger.balance b
    join ledger.element_key k on k.region_code = b.region_code and k.fiscal_year = b.fiscal_year and k.id = b.element_key_id
    where b.region_code = ${region} and b.fiscal_year = ${year} and b.account in ('2001', '2101')
      and b.credit_fen > b.debit_fen and k.indicator_id is not null
    group by 1, 2, 3, 4, 5`.execute(db);
  return r.rows.map((x) => ({
    pool: poolOf(x.account),
    fundTypeCode: x.fund_type_code,
    indicatorTypeCode: x.indicator_type_code,
    sourceTypeCode: x.source_type_code,
    directReach: x.direct_reach,
    count: Number(x.n),
    amount: BigInt(x.amount),
  }));
}

/**
 * Codes the carried balances name that the next year's code sets lack (the engine would refuse
 * them chunk by chunk; a run refuses before it starts instead), at most `limit`.
 */
export async function missingNextYearCodes(
  db: Kysely<DB>,
  region: string,
  year: number,
  policy: YearendPolicy,
  limit = 20,
): Promise<string[]> {
  const r = await sql<{
    account: string;
    fund_type_code: string;
    indicator_type_code: string | null;
    source_type_code: string | null;
    direct_reach: boolean;
    set_code: string;
    code: string;
  }>`
    select distinct b.account, k.fund_type_code, k.indicator_type_code, k.source_type_code,
           coalesce((k.flags->>'directReach')::boolean, false) as direct_reach, s.set_code, s.code
    from ledger.balance b
    join ledger.element_key k on k.region_code = b.region_code and k.fiscal_year = b.fiscal_year and k.id = b.element_key_id
    cross join lateral (values ('expFunc', k.exp_func_code), ('expFunc', k.tp_func_code),
      ('govEco', k.gov_eco_code), ('depEco', k.dep_eco_code), ('fundType', k.fund_type_code),
      ('indicatorType', k.indicator_type_code), ('payType', k.pay_type_code),
      ('indicatorSource', '3')) s(set_code, code)
    where b.region_code = ${region} and b.fiscal_year = ${year} and b.account in ('2001', '2101')
      and b.credit_fen > b.debit_fen and k.indicator_id is not null and s.code is not null
      and not exists (select 1 from basedata.code_item c where c.region_code = b.region_code
        and c.fiscal_year = ${year + 1} and c.set_code = s.set_code and c.code = s.code and c.enabled)`.execute(
    db,
  );
  const out = new Set<string>();
  for (const x of r.rows) {
    const { action } = decide(policy, {
      pool: poolOf(x.account),
      fundTypeCode: x.fund_type_code,
      indicatorTypeCode: x.indicator_type_code,
      sourceTypeCode: x.source_type_code,
      directReach: x.direct_reach,
    });
    if (action === 'carry') out.add(`${x.set_code} ${x.code}`);
  }
  return [...out].sort().slice(0, limit);
}

/** Copy the agencies of Y that Y+1 lacks (tree and all), returning their codes. */
export async function copyMissingAgencies(db: Kysely<DB>, region: string, year: number): Promise<string[]> {
  const r = await sql<{ code: string }>`
    insert into basedata.agency (region_code, fiscal_year, code, name, kind, parent_code, dept_code, path, enabled)
    select a.region_code, ${year + 1}, a.code, a.name, a.kind, a.parent_code, a.dept_code, a.path, a.enabled
    from basedata.agency a
    where a.region_code = ${region} and a.fiscal_year = ${year}
      and not exists (select 1 from basedata.agency n
        where n.region_code = a.region_code and n.fiscal_year = ${year + 1} and n.code = a.code)
    order by a.path
    returning code`.execute(db);
  return r.rows.map((x) => x.code).sort();
}

export interface ChunkRow {
  account: string;
  keyId: bigint;
  amount: bigint;
  pool: Pool;
  elements: Elements;
}

/**
 * The next `size` unspent balances after the cursor, locked (a payment racing the run waits for
 * the chunk, and the chunk posts exactly what it read).
 */
export async function selectChunk(
  db: Kysely<DB>,
  region: string,
  year: number,
  cursor: { account: string; key: bigint },
  size: number,
): Promise<ChunkRow[]> {
  const r = await sql<Record<string, unknown> & { account: string; element_key_id: bigint; amount: bigint }>`
    select b.account, b.element_key_id, (b.credit_fen - b.debit_fen) as amount, k.*
    from ledger.balance b
    join ledger.element_key k on k.region_code = b.region_code and k.fiscal_year = b.fiscal_year and k.id = b.element_key_id
    where b.region_code = ${region} and b.fiscal_year = ${year} and b.account in ('2001', '2101')
      and (b.account, b.element_key_id) > (${cursor.account}, ${cursor.key.toString()}::bigint)
      and b.credit_fen > b.debit_fen and k.indicator_id is not null
    order by b.account, b.element_key_id
    limit ${size}
    for update of b`.execute(db);
  return r.rows.map((x) => ({
    account: x.account,
    keyId: x.element_key_id,
    amount: x.amount,
    pool: poolOf(x.account),
    elements: elementsFromRow(x),
  }));
}

/** New indicators of the next year in one statement; ones a rerun finds already there are kept. */
export async function insertCarried(
  db: Kysely<DB>,
  region: string,
  year: number,
  runId: string,
  rows: readonly { pool: Pool; elements: Elements }[],
): Promise<void> {
  if (rows.length === 0) return;
  const data = rows.map((r) => ({
    id: r.elements.indicatorId,
    pool: r.pool,
    elements: r.elements,
    agency: r.elements.agencyCode,
    dept: r.elements.deptCode,
    project: r.elements.projectCode,
    expfunc: r.elements.expFuncCode,
    goveco: r.elements.govEcoCode,
    depeco: r.elements.depEcoCode,
    fund: r.elements.fundTypeCode,
    src: r.elements.sourceTypeCode,
    itype: r.elements.indicatorTypeCode,
    docno: r.elements.docNo,
    supdocno: r.elements.supDocNo,
    direct: Boolean(r.elements.flags.directReach),
    origin: r.elements.originIndicatorId,
  }));
  await sql`
    insert into indicators.indicator (region_code, fiscal_year, indicator_id, pool, elements, agency_code,
      dept_code, project_code, exp_func_code, gov_eco_code, dep_eco_code, fund_type_code, source_type_code,
      indicator_type_code, doc_no, sup_doc_no, direct_reach, origin_indicator_id, origin_kind, created_by_doc)
    select ${region}, ${year}, x.id, x.pool, x.elements, x.agency, x.dept, x.project, x.expfunc, x.goveco,
      x.depeco, x.fund, x.src, x.itype, x.docno, x.supdocno, x.direct, x.origin, 'carryForward', ${runId}
    from jsonb_to_recordset(${JSON.stringify(data)}::jsonb) as x(id text, pool text, elements jsonb,
      agency text, dept text, project text, expfunc text, goveco text, depeco text, fund text, src text,
      itype text, docno text, supdocno text, direct boolean, origin text)
    on conflict (region_code, fiscal_year, indicator_id) do nothing`.execute(db);
}

/** The lines of a chunk's entries (for 红字冲销), in one statement. */
export async function loadChunkEntries(
  db: Kysely<DB>,
  region: string,
  years: readonly number[],
  ids: readonly bigint[],
): Promise<
  {
    year: number;
    id: bigint;
    on: string;
    lines: { account: string; side: 'debit' | 'credit'; amount: bigint; elements: Elements }[];
  }[]
> {
  if (ids.length === 0) return [];
  const r = await sql<
    Record<string, unknown> & {
      y: number;
      entry_id: bigint;
      line_no: number;
      account: string;
      side: 'debit' | 'credit';
      amount_fen: bigint;
      business_date: string;
    }
  >`
    select l.fiscal_year as y, l.entry_id, l.line_no, l.account, l.side, l.amount_fen, l.business_date, k.*
    from unnest(${[...years]}::int[], ${ids.map(String)}::bigint[]) w(y, id)
    join ledger.line l on l.region_code = ${region} and l.fiscal_year = w.y and l.entry_id = w.id
    join ledger.element_key k on k.region_code = l.region_code and k.fiscal_year = l.fiscal_year and k.id = l.element_key_id
    order by l.entry_id, l.line_no`.execute(db);
  const out = new Map<
    string,
    {
      year: number;
      id: bigint;
      on: string;
      lines: { account: string; side: 'debit' | 'credit'; amount: bigint; elements: Elements }[];
    }
  >();
  for (const x of r.rows) {
    const k = `${x.y}|${x.entry_id}`;
    let e = out.get(k);
    if (!e) {
      e = { year: x.y, id: x.entry_id, on: String(x.business_date).slice(0, 10), lines: [] };
      out.set(k, e);
    }
    e.lines.push({ account: x.account, side: x.side, amount: x.amount_fen, elements: elementsFromRow(x) });
  }
  return [...out.values()];
}

export interface RunView {
  runId: string;
  region: string;
  year: number;
  state: string;
  chunkSize: number;
  nextChunk: number;
  reverseNext: number;
  processed: number;
  plannedCount: number;
  carried: { count: number; amount: string };
  lapsed: { count: number; amount: string };
  planned: unknown;
  policy: unknown;
  agenciesCopied: number;
  startedBy: string;
  createdAt: string;
  finishedAt: string | null;
  reversedAt: string | null;
}

type RunRow = DB['yearend.run'] extends infer T ? { [K in keyof T]: unknown } : never;

export function runView(r: RunRow): RunView {
  const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : d === null ? null : String(d));
  const fen = (v: unknown) => BigInt(v as bigint);
  const yuan = (v: bigint) => formatYuan(v);
  return {
    runId: String(r.run_id),
    region: String(r.region_code),
    year: Number(r.fiscal_year),
    state: String(r.state),
    chunkSize: Number(r.chunk_size),
    nextChunk: Number(r.next_chunk),
    reverseNext: Number(r.reverse_next),
    processed: Number(r.processed),
    plannedCount: Number(r.planned_count),
    carried: { count: Number(r.carried_count), amount: yuan(fen(r.carried_fen)) },
    lapsed: { count: Number(r.lapsed_count), amount: yuan(fen(r.lapsed_fen)) },
    planned: r.planned,
    policy: r.policy,
    agenciesCopied: Number(r.agencies_copied),
    startedBy: String(r.started_by),
    createdAt: iso(r.created_at) ?? '',
    finishedAt: iso(r.finished_at),
    reversedAt: iso(r.reversed_at),
  };
}

/** Runs of a region (and year), newest first, with their progress. */
export async function listRuns(db: Kysely<DB>, region: string, year?: number): Promise<RunView[]> {
  let q = db.selectFrom('yearend.run').selectAll().where('region_code', '=', region);
  if (year !== undefined) q = q.where('fiscal_year', '=', year);
  const rows = await q.orderBy('created_at', 'desc').execute();
  return rows.map((r) => runView(r as RunRow));
}

export async function findRun(db: Kysely<DB>, runId: string, region?: string): Promise<RunView | null> {
  let q = db.selectFrom('yearend.run').selectAll().where('run_id', '=', runId);
  if (region) q = q.where('region_code', '=', region);
  const r = await q.executeTakeFirst();
  return r ? runView(r as RunRow) : null;
}

export async function unfinishedRun(db: Kysely<DB>, region: string, year: number): Promise<RunView | null> {
  const r = await db
    .selectFrom('yearend.run')
    .selectAll()
    .where('region_code', '=', region)
    .where('fiscal_year', '=', year)
    .where('state', 'in', ['running', 'reversing'])
    .executeTakeFirst();
  return r ? runView(r as RunRow) : null;
}
