import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { buildApp } from '../../apps/server/src/app';
import { loadDemo } from '../../packages/core/src/index';
import type { DB } from '../../packages/core/src/platform/db/schema';
import { createTestDb } from './db';

export const WEB_DIST = join(import.meta.dirname, '..', '..', 'apps', 'web', 'dist');

/** A real server on a free port over a fresh database with the demo loaded. */
export async function startTestServer(
  opts: { webDist?: string } = {},
): Promise<{ url: string; db: Kysely<DB>; close(): Promise<void> }> {
  const t = await createTestDb();
  const report = await loadDemo(t.db);
  if (report.rejected.length > 0) throw new Error(`demo refused: ${JSON.stringify(report.rejected[0])}`);
  const app = await buildApp({
    db: t.db,
    databaseMode: 'external',
    webDist: opts.webDist ?? WEB_DIST,
    cookieSecret: 'test-secret-test-secret-test-secret',
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    db: t.db,
    async close() {
      await app.close();
      await t.close();
    },
  };
}

/** An app for `inject()` tests, without listening. */
export async function createTestApp() {
  const t = await createTestDb();
  const report = await loadDemo(t.db);
  if (report.rejected.length > 0) throw new Error(`demo refused: ${JSON.stringify(report.rejected[0])}`);
  const app = await buildApp({
    db: t.db,
    databaseMode: 'embedded',
    cookieSecret: 'test-secret-test-secret-test-secret',
  });
  return {
    app,
    db: t.db,
    async close() {
      await app.close();
      await t.close();
    },
    async login(username: string, password: string): Promise<string> {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/sessions',
        payload: { username, password },
      });
      if (res.statusCode !== 201) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
      const c = res.cookies.find((k) => k.name === 'fiscus_session');
      if (!c) throw new Error('no session cookie');
      return `${c.name}=${c.value}`;
    },
  };
}
