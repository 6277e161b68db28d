import { type Kysely, sql } from 'kysely';
import type { DB } from '../../platform/db/schema';
import { type Elements, elementKey, keyFields } from '../domain/elements';

/** Key id by `${year}|${keyText}`. */
export type KeyIds = Map<string, bigint>;

const cols = [
  'indicator_id',
  'origin_indicator_id',
  'agency_code',
  'dept_code',
  'project_code',
  'exp_func_code',
  'tp_func_code',
  'gov_eco_code',
  'dep_eco_code',
  'fund_type_code',
  'source_type_code',
  'indicator_type_code',
  'pay_type_code',
  'manage_div_code',
  'doc_no',
  'sup_doc_no',
  'receiving_region',
  'track_project_code',
] as const;
const fields = keyFields;

/**
 * Ids of every element set of a batch, creating the missing ones, in one statement for the whole
 * batch (an insert of the distinct sets through unnest that also selects the existing ones).
 */
export async function resolveKeys(
  trx: Kysely<DB>,
  region: string,
  sets: readonly { year: number; elements: Elements }[],
): Promise<KeyIds> {
  const distinct = new Map<string, { year: number; key: string; e: Elements }>();
  for (const s of sets) {
    const key = elementKey(s.elements);
    distinct.set(`${s.year}|${key}`, { year: s.year, key, e: s.elements });
  }
  const rows = [...distinct.values()].sort(
    (a, b) => a.year - b.year || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  const arrays: unknown[][] = [rows.map((r) => r.year), rows.map((r) => r.key)];
  for (const f of fields) arrays.push(rows.map((r) => r.e[f]));
  arrays.push(rows.map((r) => JSON.stringify(r.e.flags)));
  const colList = sql.raw(['fiscal_year', 'key_text', ...cols, 'flags'].join(', '));
  const unnestArgs = sql.join(
    arrays.map((a, i) =>
      i === 0 ? sql`${a}::int[]` : i === arrays.length - 1 ? sql`${a}::jsonb[]` : sql`${a}::text[]`,
    ),
  );
  // One statement in the usual case: new keys come back from the insert, existing ones from the
  // select. A key a concurrent batch inserted after this statement's snapshot is in neither; it
  // is committed by then (the insert waited for it), so a second select finds it.
  const found = await sql<{ fiscal_year: number; key_text: string; id: bigint }>`
    with w as (select * from unnest(${unnestArgs}) as w(${colList})),
    ins as (
      insert into ledger.element_key (region_code, ${colList})
      select ${region}, * from w
      on conflict (region_code, fiscal_year, key_text) do nothing
      returning fiscal_year, key_text, id
    )
    select fiscal_year, key_text, id from ins
    union all
    select k.fiscal_year, k.key_text, k.id from ledger.element_key k
    join w on k.fiscal_year = w.fiscal_year and k.key_text = w.key_text
    where k.region_code = ${region}`.execute(trx);
  let rowsFound = found.rows;
  if (new Set(rowsFound.map((r) => `${r.fiscal_year}|${r.key_text}`)).size < rows.length) {
    const again = await sql<{ fiscal_year: number; key_text: string; id: bigint }>`
      select k.fiscal_year, k.key_text, k.id from ledger.element_key k
      join unnest(${arrays[0]}::int[], ${arrays[1]}::text[]) as w(y, t) on k.fiscal_year = w.y and k.key_text = w.t
      where k.region_code = ${region}`.execute(trx);
    rowsFound = again.rows;
  }
  const out: KeyIds = new Map();
  for (const r of rowsFound) out.set(`${r.fiscal_year}|${r.key_text}`, r.id);
  return out;
}

export function elementsFromRow(r: Record<string, unknown>): Elements {
  const e: Record<string, unknown> = {};
  fields.forEach((f, i) => {
    e[f] = (r[cols[i]!] as string | null) ?? null;
  });
  e.flags = r.flags as Elements['flags'];
  return e as unknown as Elements;
}
