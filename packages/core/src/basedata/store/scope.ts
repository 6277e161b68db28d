import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema';

/** Root-first ancestry of a region (self last), or null when the region does not exist. */
export async function regionAncestry(db: Kysely<DB>, code: string): Promise<string[] | null> {
  const r = await db
    .selectFrom('basedata.region')
    .select('path')
    .where('region_code', '=', code)
    .executeTakeFirst();
  return r ? r.path.split('/') : null;
}

/** Department-first ancestry of an agency in a region and year (self last), or null. */
export async function agencyAncestry(
  db: Kysely<DB>,
  region: string,
  year: number,
  code: string,
): Promise<string[] | null> {
  const r = await db
    .selectFrom('basedata.agency')
    .select('path')
    .where('region_code', '=', region)
    .where('fiscal_year', '=', year)
    .where('code', '=', code)
    .executeTakeFirst();
  return r ? r.path.split('/') : null;
}

export async function yearState(
  db: Kysely<DB>,
  region: string,
  year: number,
): Promise<'open' | 'closed' | null> {
  const r = await db
    .selectFrom('basedata.fiscal_year')
    .select('state')
    .where('region_code', '=', region)
    .where('fiscal_year', '=', year)
    .executeTakeFirst();
  return r?.state ?? null;
}
