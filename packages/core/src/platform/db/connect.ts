import { resolve } from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { type EmbeddedHandle, startEmbedded } from './embedded';
import type { DB } from './schema';
import { installTypeParsers } from './types';

export type DatabaseMode = 'embedded' | 'external';

export interface Database {
  db: Kysely<DB>;
  pool: pg.Pool;
  mode: DatabaseMode;
  url: string;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** An external server; when absent an embedded PostgreSQL is started under `home`. */
  databaseUrl?: string | undefined;
  home?: string | undefined;
  poolSize?: number;
  log?: (line: string) => void;
}

export function openPool(url: string, max = 10): { db: Kysely<DB>; pool: pg.Pool } {
  installTypeParsers();
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'fiscus' });
  // An idle client's error (server restart) must not crash the process; the pool drops it.
  pool.on('error', () => {});
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool };
}

/** Ensure a database exists on the server of `url` (connecting to its maintenance db). */
export async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const u = new URL(serverUrl);
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const r = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (r.rowCount === 0) await client.query(`create database "${name.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
  u.pathname = `/${name}`;
  return u.toString();
}

async function checkVersion(db: Kysely<DB>): Promise<void> {
  const r = await sql<{ v: string }>`select current_setting('server_version_num') as v`.execute(db);
  const num = Number(r.rows[0]?.v ?? 0);
  if (num < 150000) throw new Error(`PostgreSQL ${num} is too old: Fiscus needs 15 or newer`);
}

export async function connect(opts: ConnectOptions = {}): Promise<Database> {
  let embedded: EmbeddedHandle | null = null;
  let url: string;
  if (opts.databaseUrl) {
    url = opts.databaseUrl;
  } else {
    const home = resolve(opts.home ?? process.env.FISCUS_HOME ?? '.fiscus');
    embedded = await startEmbedded({ home, ...(opts.log ? { log: opts.log } : {}) });
    url = await ensureDatabase(embedded.url, 'fiscus');
  }
  const { db, pool } = openPool(url, opts.poolSize ?? 10);
  try {
    await checkVersion(db);
  } catch (e) {
    await db.destroy();
    await embedded?.stop();
    throw e;
  }
  return {
    db,
    pool,
    mode: embedded ? 'embedded' : 'external',
    url,
    async close() {
      await db.destroy();
      await embedded?.stop();
    },
  };
}
