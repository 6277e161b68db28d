import type { Kysely } from 'kysely';
import type { DB } from '../platform/db/schema';

/** The parts of the coding finance and the bank must agree on per paid voucher (L1 element). */
export interface CodingParts {
  agency: string | null;
  expFunc: string | null;
  supDep: string | null;
  fundType: string | null;
  payType: string | null;
}

/** agency|expFunc|supDep|fundType|payType, '' for a missing part (the migration builds the same). */
export const codingText = (c: CodingParts): string =>
  [c.agency, c.expFunc, c.supDep, c.fundType, c.payType].map((v) => v ?? '').join('|');

/** The ids of `texts` in `region`, adding the ones not seen before (one statement each way). */
export async function codingIds(
  trx: Kysely<DB>,
  region: string,
  texts: Iterable<string>,
): Promise<Map<string, number>> {
  const wanted = [...new Set(texts)];
  const out = new Map<string, number>();
  if (wanted.length === 0) return out;
  await trx
    .insertInto('reconcile.coding')
    .values(wanted.map((coding) => ({ region_code: region, coding })))
    .onConflict((oc) => oc.columns(['region_code', 'coding']).doNothing())
    .execute();
  const rows = await trx
    .selectFrom('reconcile.coding')
    .select(['coding', 'coding_id'])
    .where('region_code', '=', region)
    .where('coding', 'in', wanted)
    .execute();
  for (const r of rows) out.set(r.coding, r.coding_id);
  // Read committed: a coding another transaction added is seen once it commits (or ours is added).
  if (out.size !== wanted.length) throw new Error('reconcile.coding: a coding was neither added nor found');
  return out;
}

/** id → text for the ids a reconciliation names. */
export async function codingTexts(
  trx: Kysely<DB>,
  region: string,
  ids: Iterable<number>,
): Promise<Map<number, string>> {
  const wanted = [...new Set(ids)].filter((i) => i > 0);
  if (wanted.length === 0) return new Map();
  const rows = await trx
    .selectFrom('reconcile.coding')
    .select(['coding', 'coding_id'])
    .where('region_code', '=', region)
    .where('coding_id', 'in', wanted)
    .execute();
  return new Map(rows.map((r) => [r.coding_id, r.coding]));
}
