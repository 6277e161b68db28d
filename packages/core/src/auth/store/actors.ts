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

/** An enabled user with their grants, or null: one round trip (it runs for every batch). */
export async function loadActor(db: Kysely<DB>, username: string): Promise<Actor | null> {
  const r = await sql<{ username: string; display_name: string; enabled: boolean; grants: GrantRow[] }>`
    select u.username, u.display_name, u.enabled,
      coalesce((select json_agg(json_build_object('role', g.role, 'scope_region', g.scope_region,
                  'include_descendants', g.include_descendants, 'scope_agency', g.scope_agency) order by g.role)
                from auth.user_role g where g.username = u.username), '[]'::json) as grants
    from auth.app_user u where u.username = ${username}`.execute(db);
  const u = r.rows[0];
  if (!u?.enabled) return null;
  return { username: u.username, displayName: u.display_name, grants: u.grants.map(toGrant) };
}
