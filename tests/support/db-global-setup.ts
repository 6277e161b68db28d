import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { seedRoles } from '../../packages/core/src/auth/store/seed';
import { ensureDatabase, migrateToLatest, openPool } from '../../packages/core/src/index';
import { startEmbedded } from '../../packages/core/src/platform/db/embedded';

declare module 'vitest' {
  export interface ProvidedContext {
    dbServerUrl: string;
    dbTemplate: string;
    dbMode: 'embedded' | 'external';
  }
}

/**
 * One PostgreSQL per run: TEST_DATABASE_URL's server, or an embedded one in a temp folder.
 * A template database is migrated once; every test file clones it (CREATE DATABASE … TEMPLATE).
 */
export default async function setup(project: TestProject) {
  let stop: (() => Promise<void>) | null = null;
  let home: string | null = null;
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    home = mkdtempSync(join(tmpdir(), 'fiscus-test-'));
    // Searchable by the postgres user (root runs PostgreSQL as postgres), so data stays here.
    chmodSync(home, 0o755);
    const pg = await startEmbedded({ home, log: () => {} });
    serverUrl = pg.url;
    stop = () => pg.stop();
  }
  const template = `fiscus_tpl_${process.pid}_${Date.now().toString(36)}`;
  const url = await ensureDatabase(serverUrl, template);
  const { db } = openPool(url, 2);
  await migrateToLatest(db);
  await seedRoles(db);
  await db.destroy();
  project.provide('dbServerUrl', serverUrl);
  project.provide('dbTemplate', template);
  project.provide('dbMode', stop ? 'embedded' : 'external');
  return async () => {
    if (!stop) {
      const pg = await import('pg');
      const c = new pg.default.Client({ connectionString: serverUrl });
      await c.connect();
      const r = await c.query(`select datname from pg_database where datname like $1`, [
        `fiscus_t%_${process.pid}_%`,
      ]);
      for (const row of r.rows) await c.query(`drop database if exists "${row.datname}" with (force)`);
      await c.query(`drop database if exists "${template}" with (force)`);
      await c.end();
    }
    await stop?.();
    if (home) rmSync(home, { recursive: true, force: true });
  };
}
