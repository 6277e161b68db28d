import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import { openPool } from '../../packages/core/src/index';
import type { DB } from '../../packages/core/src/platform/db/schema';

export interface TestDb {
  db: Kysely<DB>;
  url: string;
  name: string;
  close(): Promise<void>;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: inject('dbServerUrl') });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A fresh database cloned from the migrated template; dropped on close. */
export async function createTestDb(): Promise<TestDb> {
  const template = inject('dbTemplate');
  const pid = template.split('_')[2];
  const name = `fiscus_t${randomBytes(4).toString('hex')}_${pid}_x`;
  await admin((c) => c.query(`create database "${name}" template "${template}"`));
  const u = new URL(inject('dbServerUrl'));
  u.pathname = `/${name}`;
  const url = u.toString();
  const { db } = openPool(url, 5);
  return {
    db,
    url,
    name,
    async close() {
      await db.destroy();
      await admin((c) => c.query(`drop database if exists "${name}" with (force)`));
    },
  };
}
