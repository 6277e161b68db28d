import { type Kysely, sql } from 'kysely';
import { executeCommands } from '../../packages/core/src/index';
import type { DB } from '../../packages/core/src/platform/db/schema';
import { ACTOR, approve, countResults, HOT_INDICATOR, indicatorId, log } from './shared';

export const INDICATORS = 1000;
export const APPROVED = '100000000.00';

/** 1 000 executable indicators (and the hot one of G4), each approved with a large amount. */
export async function approveIndicators(db: Kysely<DB>): Promise<void> {
  const t0 = Date.now();
  const all = [...Array.from({ length: INDICATORS }, (_, i) => indicatorId(i)), HOT_INDICATOR];
  for (let i = 0; i < all.length; i += 500) {
    const ids = all.slice(i, i + 500);
    const rs = await executeCommands(
      db,
      ids.map((id) => approve(id, APPROVED)),
      { ...ACTOR, chunkSize: ids.length },
    );
    const c = countResults(rs);
    if (c.errors > 0) throw new Error(`approving the bench indicators: ${c.errors} refused (${c.first})`);
  }
  log(`approved ${all.length} indicators; vacuum analyze`);
  // As pgbench vacuums before a run: planner statistics that describe the tables as they are.
  await sql`vacuum analyze`.execute(db);
  log(`approved and analysed in ${((Date.now() - t0) / 1000).toFixed(1)} s (${APPROVED} yuan each)`);
}
