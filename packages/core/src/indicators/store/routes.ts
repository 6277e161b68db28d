import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema';
import { defaultRoute, type RouteStep } from '../domain/workflow';

/** The approval route of a document type in a region (the default when none is configured). */
export async function loadRoute(trx: Kysely<DB>, region: string, docType: string): Promise<RouteStep[]> {
  const r = await trx
    .selectFrom('indicators.route')
    .select('steps')
    .where('region_code', '=', region)
    .where('doc_type', '=', docType)
    .executeTakeFirst();
  return r ? (r.steps as RouteStep[]) : [...defaultRoute];
}
