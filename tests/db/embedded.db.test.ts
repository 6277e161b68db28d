import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbedded } from '../../packages/core/src/platform/db/embedded';

const homes: string[] = [];
function home(parent = tmpdir()): string {
  const h = mkdtempSync(join(parent, 'fiscus-emb-'));
  // mkdtemp makes a 700 folder; a normal project folder is world-searchable.
  chmodSync(h, 0o755);
  homes.push(h);
  return h;
}
afterAll(() => {
  for (const h of homes) {
    const pointer = join(h, 'pg-location');
    if (existsSync(pointer))
      rmSync(join(readFileSync(pointer, 'utf8').trim(), '..'), { recursive: true, force: true });
    rmSync(h, { recursive: true, force: true });
  }
});

async function query(url: string, text: string): Promise<unknown[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text)).rows;
  } finally {
    await c.end();
  }
}

describe('embedded PostgreSQL', () => {
  it('initialises, stops cleanly, and reuses its data on the next start', async () => {
    const h = home();
    const a = await startEmbedded({ home: h, log: () => {} });
    await query(a.url, 'create table kept (v int); insert into kept values (42)');
    await a.stop();
    expect(existsSync(join(h, 'pg', 'postmaster.pid'))).toBe(false);
    expect(a.dataDir).toBe(join(h, 'pg'));
    const b = await startEmbedded({ home: h, log: () => {} });
    expect(await query(b.url, 'select v from kept')).toEqual([{ v: 42 }]);
    await b.stop();
  });

  it('recovers when the last run was killed', async () => {
    const h = home();
    const a = await startEmbedded({ home: h, log: () => {} });
    await query(a.url, 'create table t (v int); insert into t values (7)');
    const pid = Number(readFileSync(join(h, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    // An orphaned server from a killed run: the next start takes the cluster over.
    const b = await startEmbedded({ home: h, log: () => {} });
    expect(await query(b.url, 'select v from t')).toEqual([{ v: 7 }]);
    // A server killed outright leaves a stale pid file and needs crash recovery.
    const pid2 = Number(readFileSync(join(h, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(pid2).not.toBe(pid);
    process.kill(pid2, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    const c = await startEmbedded({ home: h, log: () => {} });
    expect(await query(c.url, 'select v from t')).toEqual([{ v: 7 }]);
    await c.stop();
  });

  it.runIf(process.getuid?.() === 0)(
    'places data where the postgres user can reach it when the home cannot be',
    async () => {
      const locked = home();
      const sub = join(locked, 'private');
      mkdirSync(sub);
      chmodSync(sub, 0o700);
      const h = join(sub, 'fiscus-home');
      const logs: string[] = [];
      const a = await startEmbedded({ home: h, log: (s) => logs.push(s) });
      expect(a.dataDir.startsWith('/var/lib/fiscus/')).toBe(true);
      expect(readFileSync(join(h, 'pg-location'), 'utf8').trim()).toBe(a.dataDir);
      expect(logs.join('\n')).toContain('not reachable by the postgres user');
      await a.stop();
      const b = await startEmbedded({ home: h, log: () => {} });
      expect(b.dataDir).toBe(a.dataDir);
      await b.stop();
    },
  );
});
