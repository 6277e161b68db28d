import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { FiscusError } from '../../kernel/errors';
import type { DB } from '../../platform/db/schema';
import { dummyHash, verifyPassword } from './password';

export const SESSION_HOURS = 8;
/** Failed sign-ins allowed before the account locks, and for how long. */
export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface SessionInfo {
  token: string;
  username: string;
  expiresAt: Date;
}

/**
 * Check a password and open a server-side session. Wrong passwords count towards a lock; the
 * answer never says whether the user exists.
 */
export async function login(
  db: Kysely<DB>,
  username: string,
  password: string,
  ip: string | null,
  now = new Date(),
): Promise<SessionInfo> {
  const u = await db
    .selectFrom('auth.app_user')
    .select(['username', 'password_hash', 'enabled', 'failed_logins', 'locked_until'])
    .where('username', '=', username)
    .executeTakeFirst();
  if (!u) {
    await verifyPassword(await dummyHash(), password);
    throw new FiscusError('LOGIN_FAILED');
  }
  if (u.locked_until && new Date(u.locked_until) > now) {
    const minutes = Math.ceil((new Date(u.locked_until).getTime() - now.getTime()) / 60000);
    throw new FiscusError('LOGIN_LOCKED', { minutes });
  }
  const ok = u.enabled && (await verifyPassword(u.password_hash, password));
  if (!ok) {
    const failed = u.failed_logins + 1;
    const lock = failed >= MAX_FAILED_LOGINS ? new Date(now.getTime() + LOCK_MINUTES * 60000) : null;
    await db
      .updateTable('auth.app_user')
      .set({ failed_logins: lock ? 0 : failed, locked_until: lock })
      .where('username', '=', username)
      .execute();
    if (lock) throw new FiscusError('LOGIN_LOCKED', { minutes: LOCK_MINUTES });
    throw new FiscusError('LOGIN_FAILED');
  }
  await db
    .updateTable('auth.app_user')
    .set({ failed_logins: 0, locked_until: null })
    .where('username', '=', username)
    .execute();
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000);
  await db
    .insertInto('auth.session')
    .values({ token_hash: tokenHash(token), username, expires_at: expiresAt, ip })
    .execute();
  return { token, username, expiresAt };
}

/** The user of a live session, sliding its last-seen time; null when unknown or expired. */
export async function resolveSession(
  db: Kysely<DB>,
  token: string,
  now = new Date(),
): Promise<string | null> {
  const row = await db
    .updateTable('auth.session')
    .set({ last_seen_at: now })
    .where('token_hash', '=', tokenHash(token))
    .where('expires_at', '>', now)
    .returning('username')
    .executeTakeFirst();
  if (!row) return null;
  const u = await db
    .selectFrom('auth.app_user')
    .select('enabled')
    .where('username', '=', row.username)
    .executeTakeFirst();
  return u?.enabled ? row.username : null;
}

export async function logout(db: Kysely<DB>, token: string): Promise<void> {
  await db.deleteFrom('auth.session').where('token_hash', '=', tokenHash(token)).execute();
}
