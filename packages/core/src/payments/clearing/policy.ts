import { type ClearingPolicy, defaultClearingPolicy, saveClearingPolicy } from '@fiscus/contracts';
import type { Kysely } from 'kysely';
import { defineHandler } from '../../commands/handler';
import type { DB } from '../../platform/db/schema';

/** The region's clearing policy (clearing.policy), or the default. */
export async function loadClearingPolicy(
  db: Kysely<DB>,
  region: string,
): Promise<{ policy: ClearingPolicy; version: number }> {
  const r = await db
    .selectFrom('clearing.policy')
    .select(['cross_year_refund', 'version'])
    .where('region_code', '=', region)
    .executeTakeFirst();
  return r
    ? { policy: { crossYearRefund: r.cross_year_refund }, version: r.version }
    : { policy: defaultClearingPolicy, version: 0 };
}

export const saveClearingPolicyHandler = defineHandler({
  def: saveClearingPolicy,
  async handle({ trx, payload, region, actor, now, changes }) {
    const before = await loadClearingPolicy(trx, region);
    const version = before.version + 1;
    const row = {
      region_code: region,
      cross_year_refund: payload.crossYearRefund,
      version,
      updated_by: actor.username,
      updated_at: now,
    };
    await trx
      .insertInto('clearing.policy')
      .values(row)
      .onConflict((oc) => oc.column('region_code').doUpdateSet(row))
      .execute();
    changes.push({ entity: 'clearingPolicy', key: region, before: before.policy, after: payload });
    return { version, ...payload };
  },
});
