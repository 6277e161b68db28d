import { type Kysely, sql } from 'kysely';
import type { Actor } from '../auth/domain/access';
import { type ActorRow, actorFromRow, actorJson } from '../auth/store/actors';
import type { DB } from '../platform/db/schema';

/** Lookups a chunk repeats for every command; cleared when a command may have changed them. */
export interface ChunkCache {
  actors: Map<string, Actor | null>;
  ancestry: Map<string, string[] | null>;
  years: Map<string, 'open' | 'closed' | null>;
  /**
   * The region's configuration token, qualified by the database name (a copied database starts
   * with its original's tokens); null when the region has none yet: nothing may be cached then.
   */
  tokens: Map<string, string | null>;
}

export function newCache(): ChunkCache {
  return { actors: new Map(), ancestry: new Map(), years: new Map(), tokens: new Map() };
}

/**
 * What admitting a command needs — the actor with grants, the region's ancestry, the year's
 * state, the region's configuration token — fetched in one statement for whatever of it the
 * cache lacks. An online posting is a batch of a few commands: this saves three round trips.
 */
export async function prefetchFacts(
  trx: Kysely<DB>,
  cache: ChunkCache,
  actor: string | null,
  region: string,
  year: number,
): Promise<void> {
  const wantActor = actor !== null && !cache.actors.has(actor);
  const wantRegion = !cache.ancestry.has(region) || !cache.tokens.has(region);
  const wantYear = !cache.years.has(`${region}|${year}`);
  if (!wantActor && !wantRegion && !wantYear) return;
  const r = await sql<{
    actor: ActorRow | null;
    path: string | null;
    state: 'open' | 'closed' | null;
    token: string | null;
  }>`
    select ${wantActor ? actorJson(actor!) : sql`null`} as actor,
      (select path from basedata.region where region_code = ${region}) as path,
      (select state from basedata.fiscal_year where region_code = ${region} and fiscal_year = ${year}) as state,
      (select current_database() || '|' || token::text from platform.config_token where region_code = ${region}) as token`.execute(
    trx,
  );
  const row = r.rows[0]!;
  if (wantActor) cache.actors.set(actor!, actorFromRow(row.actor));
  cache.ancestry.set(region, row.path ? row.path.split('/') : null);
  cache.tokens.set(region, row.token);
  cache.years.set(`${region}|${year}`, row.state);
}
