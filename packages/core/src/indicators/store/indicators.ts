import { type Kysely, sql } from 'kysely';
import type { Elements } from '../../ledger/domain/elements';
import type { DB } from '../../platform/db/schema';
import type { Indicator, Standing } from '../domain/effects';

function fromRow(r: {
  indicator_id: string;
  pool: 'executable' | 'unallocated';
  elements: unknown;
  origin_indicator_id: string | null;
  origin_kind: string;
}): Indicator {
  return {
    id: r.indicator_id,
    pool: r.pool,
    elements: r.elements as Elements,
    originIndicatorId: r.origin_indicator_id,
    originKind: r.origin_kind as Indicator['originKind'],
  };
}

/** The named indicators of a region-year, locked: a document acting on them decides alone. */
export async function loadIndicators(
  trx: Kysely<DB>,
  region: string,
  year: number,
  ids: readonly string[],
): Promise<Map<string, Indicator>> {
  if (ids.length === 0) return new Map();
  const rows = await trx
    .selectFrom('indicators.indicator')
    .select(['indicator_id', 'pool', 'elements', 'origin_indicator_id', 'origin_kind'])
    .where('region_code', '=', region)
    .where('fiscal_year', '=', year)
    .where('indicator_id', 'in', [...new Set(ids)])
    .orderBy('indicator_id')
    .forUpdate()
    .execute();
  return new Map(rows.map((r) => [r.indicator_id, fromRow(r)]));
}

/** Which of these ids are taken in the region-year. */
export async function existingIds(
  trx: Kysely<DB>,
  region: string,
  year: number,
  ids: readonly string[],
): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await trx
    .selectFrom('indicators.indicator')
    .select('indicator_id')
    .where('region_code', '=', region)
    .where('fiscal_year', '=', year)
    .where('indicator_id', 'in', [...new Set(ids)])
    .execute();
  return rows.map((r) => r.indicator_id);
}

/** Available and frozen amounts of indicators, from their ledger balances. */
export async function standingOf(
  trx: Kysely<DB>,
  region: string,
  year: number,
  indicators: readonly Indicator[],
): Promise<Map<string, Standing>> {
  const out = new Map<string, Standing>(indicators.map((i) => [i.id, { available: 0n, frozen: 0n }]));
  if (indicators.length === 0) return out;
  const rows = await sql<{ indicator_id: string; account: string; bal: string }>`
    select k.indicator_id, b.account, sum(b.credit_fen - b.debit_fen)::text as bal
    from ledger.balance b
    join ledger.element_key k on k.region_code = b.region_code and k.fiscal_year = b.fiscal_year and k.id = b.element_key_id
    where b.region_code = ${region} and b.fiscal_year = ${year}
      and k.indicator_id = any(${indicators.map((i) => i.id)}::text[])
      and b.account in ('2001', '2002', '2101', '2102')
    group by 1, 2`.execute(trx);
  const pool = new Map(indicators.map((i) => [i.id, i.pool]));
  for (const r of rows.rows) {
    const p = pool.get(r.indicator_id);
    const s = out.get(r.indicator_id)!;
    const v = BigInt(r.bal);
    if ((p === 'executable' && r.account === '2101') || (p === 'unallocated' && r.account === '2001'))
      s.available += v;
    if ((p === 'executable' && r.account === '2102') || (p === 'unallocated' && r.account === '2002'))
      s.frozen += v;
  }
  return out;
}

export async function insertIndicators(
  trx: Kysely<DB>,
  region: string,
  year: number,
  docId: string,
  inds: readonly Indicator[],
): Promise<void> {
  if (inds.length === 0) return;
  await trx
    .insertInto('indicators.indicator')
    .values(
      inds.map((i) => ({
        region_code: region,
        fiscal_year: year,
        indicator_id: i.id,
        pool: i.pool,
        elements: JSON.stringify(i.elements),
        agency_code: i.elements.agencyCode,
        dept_code: i.elements.deptCode,
        project_code: i.elements.projectCode,
        exp_func_code: i.elements.expFuncCode,
        gov_eco_code: i.elements.govEcoCode,
        dep_eco_code: i.elements.depEcoCode,
        fund_type_code: i.elements.fundTypeCode,
        source_type_code: i.elements.sourceTypeCode,
        indicator_type_code: i.elements.indicatorTypeCode,
        doc_no: i.elements.docNo,
        sup_doc_no: i.elements.supDocNo,
        direct_reach: Boolean(i.elements.flags.directReach),
        origin_indicator_id: i.originIndicatorId,
        origin_kind: i.originKind,
        created_by_doc: docId,
      })),
    )
    .execute();
}

/** Direct lower regions of a region. */
export async function childRegions(trx: Kysely<DB>, region: string): Promise<Set<string>> {
  const rows = await trx
    .selectFrom('basedata.region')
    .select('region_code')
    .where('parent_code', '=', region)
    .execute();
  return new Set(rows.map((r) => r.region_code));
}
