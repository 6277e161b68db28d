import { type Kysely, sql } from 'kysely';
import type { DB } from '../../platform/db/schema';
import type { Actor, Grant } from '../domain/access';

export async function loadGrants(db: Kysely<DB>, username: string): Promise<Grant[]> {
  const rows = await db
    .selectFrom('auth.user_role')
    .select(['role', 'scope_region', 'include_descendants', 'scope_agency'])
    .where('username', '=', username)
    .orderBy('role')
    .execute();
  return rows.map(toGrant);
}

interface GrantRow {
  role: string;
  scope_region: string;
  include_descendants: boolean;
  scope_agency: string | null;
}

const toGrant = (r: GrantRow): Grant => ({
  role: r.role,
  scopeRegion: r.scope_region,
  includeDescendants: r.include_descendants,
  scopeAgency: r.scope_agency,
});

/** A user as one JSON value (with grants), for queries that fetch it along with other facts. */
export const actorJson = (username: string) => sql<ActorRow | null>`(
  select json_build_object('username', u.username, 'display_name', u.display_name, 'enabled', u.enabled,
    'grants', coalesce((select json_agg(json_build_object('role', g.role, 'scope_region', g.scope_region,
                'include_descendants', g.include_descendants, 'scope_agency', g.scope_agency) order by g.role)
              from auth.user_role g where g.username = u.username), '[]'::json))
  from auth.app_user u where u.username = ${username})`;

export interface ActorRow {
  username: string;
  display_name: string;
  enabled: boolean;
  grants: GrantRow[];
}

/** The row as an Actor, or null when the user is unknown or disabled. */
export function actorFromRow(u: ActorRow | null): Actor | null {
  if (!u?.enabled) return null;
  return { username: u.username, displayName: u.display_name, grants: u.grants.map(toGrant) };
}

/** An enabled user with their grants, or null: one round trip. */
export async function loadActor(db: Kysely<DB>, username: string): Promise<Actor | null> {
  const r = await sql<{ a: ActorRow | null }>`select ${actorJson(username)} as a`.execute(db);
  return actorFromRow(r.rows[0]?.a ?? null);
}
