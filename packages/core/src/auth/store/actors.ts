import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema';
import type { Actor, Grant } from '../domain/access';

export async function loadGrants(db: Kysely<DB>, username: string): Promise<Grant[]> {
  const rows = await db
    .selectFrom('auth.user_role')
    .select(['role', 'scope_region', 'include_descendants', 'scope_agency'])
    .where('username', '=', username)
    .orderBy('role')
    .execute();
  return rows.map((r) => ({
    role: r.role,
    scopeRegion: r.scope_region,
    includeDescendants: r.include_descendants,
    scopeAgency: r.scope_agency,
  }));
}

/** An enabled user with their grants, or null. */
export async function loadActor(db: Kysely<DB>, username: string): Promise<Actor | null> {
  const u = await db
    .selectFrom('auth.app_user')
    .select(['username', 'display_name', 'enabled'])
    .where('username', '=', username)
    .executeTakeFirst();
  if (!u?.enabled) return null;
  return { username: u.username, displayName: u.display_name, grants: await loadGrants(db, username) };
}
