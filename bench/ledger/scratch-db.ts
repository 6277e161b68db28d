import pg from 'pg';
import { seedRoles } from '../../packages/core/src/auth/store/seed';
import { loadDemo, migrateToLatest } from '../../packages/core/src/index';
import { ensureDatabase, openPool } from '../../packages/core/src/platform/db/connect';
import { type EmbeddedHandle, startEmbedded } from '../../packages/core/src/platform/db/embedded';
import { log, mute } from './shared';

export interface Scratch {
  /** The scratch database. */
  url: string;
  name: string;
  /** The server as configured (the real database: only used to create and drop the scratch one). */
  serverUrl: string;
  mode: 'embedded' | 'external';
}

export interface ServerOptions {
  databaseUrl?: string | undefined;
  home: string;
}

const PREFIX = 'fiscus_bench_';

async function onServer<T>(serverUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: serverUrl, application_name: 'fiscus-bench' });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await onServer(serverUrl, (c) => c.query(`drop database if exists "${name}" with (force)`));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Scratch databases of earlier runs on this machine that were killed before they could drop
 * theirs (only on the embedded server: its runs are this machine's processes).
 */
async function dropStale(serverUrl: string): Promise<void> {
  const r = await onServer(serverUrl, (c) =>
    c.query<{ datname: string }>('select datname from pg_database where datname like $1', [`${PREFIX}%`]),
  );
  for (const { datname } of r.rows) {
    const pid = Number(datname.slice(PREFIX.length));
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !alive(pid)) {
      log(`dropping ${datname}, left behind by a killed run`);
      await dropDatabase(serverUrl, datname);
    }
  }
}

/**
 * A scratch database `fiscus_bench_<pid>` on the configured server, migrated, with roles and the
 * demo loaded; dropped afterwards whatever happens (also on Ctrl-C for an external server).
 */
export async function withScratchDatabase<T>(
  server: ServerOptions,
  fn: (s: Scratch) => Promise<T>,
): Promise<T> {
  let embedded: EmbeddedHandle | null = null;
  let serverUrl: string;
  if (server.databaseUrl) serverUrl = server.databaseUrl;
  else {
    embedded = await startEmbedded({ home: server.home, log: (s) => log(s) });
    serverUrl = embedded.url;
  }
  const name = `${PREFIX}${process.pid}`;
  let created = false;
  const cleanup = async () => {
    if (created) {
      created = false;
      await dropDatabase(serverUrl, name);
      log(`dropped scratch database ${name}`, true);
    }
  };
  const onSignal = (sig: NodeJS.Signals) => {
    log(`${sig}: dropping the scratch database`, true);
    mute();
    // The running figures' connections end with the database: expected now, not a crash.
    process.on('uncaughtException', () => {});
    cleanup()
      .catch((e) => log(`could not drop ${name}: ${String(e)}`, true))
      .finally(() => process.exit(130));
  };
  try {
    if (embedded) await dropStale(serverUrl);
    const url = await ensureDatabase(serverUrl, name);
    created = true;
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    log(`scratch database ${name} on the ${embedded ? 'embedded' : 'external'} server`);
    await prepare(url);
    return await fn({ url, name, serverUrl, mode: embedded ? 'embedded' : 'external' });
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    try {
      await cleanup();
    } finally {
      await embedded?.stop();
    }
  }
}

async function prepare(url: string): Promise<void> {
  const t0 = Date.now();
  const { db } = openPool(url, 2);
  try {
    await migrateToLatest(db);
    await seedRoles(db);
    const demo = await loadDemo(db);
    if (demo.rejected.length > 0)
      throw new Error(`demo refused ${demo.rejected.length} commands: ${JSON.stringify(demo.rejected[0])}`);
    log(
      `migrated and loaded the demo (${demo.accepted} commands) in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
  } finally {
    await db.destroy();
  }
}
