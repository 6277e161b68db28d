import pg from 'pg';
import { type Figure, log, round, type TimedRun, timedLoops } from './shared';

const ACCOUNTS_PER_SCALE = 100_000;
const TELLERS_PER_SCALE = 10;

/** pgbench -i, scale 1: the four tables, filled set-based, keys added after the load. */
export async function initTpcb(url: string, scale = 1): Promise<void> {
  const c = new pg.Client({ connectionString: url, application_name: 'fiscus-bench' });
  await c.connect();
  try {
    await c.query(`
      drop table if exists pgbench_history, pgbench_tellers, pgbench_accounts, pgbench_branches;
      create table pgbench_history (tid int, bid int, aid int, delta int, mtime timestamp, filler char(22));
      create table pgbench_tellers (tid int not null, bid int, tbalance int, filler char(84)) with (fillfactor = 100);
      create table pgbench_accounts (aid int not null, bid int, abalance int, filler char(84)) with (fillfactor = 100);
      create table pgbench_branches (bid int not null, bbalance int, filler char(88)) with (fillfactor = 100);
      insert into pgbench_branches (bid, bbalance) select b, 0 from generate_series(1, ${scale}) b;
      insert into pgbench_tellers (tid, bid, tbalance)
        select t, (t - 1) / ${TELLERS_PER_SCALE} + 1, 0 from generate_series(1, ${TELLERS_PER_SCALE * scale}) t;
      insert into pgbench_accounts (aid, bid, abalance, filler)
        select a, (a - 1) / ${ACCOUNTS_PER_SCALE} + 1, 0, '' from generate_series(1, ${ACCOUNTS_PER_SCALE * scale}) a;
      alter table pgbench_branches add primary key (bid);
      alter table pgbench_tellers add primary key (tid);
      alter table pgbench_accounts add primary key (aid);`);
    await c.query('vacuum analyze pgbench_branches, pgbench_tellers, pgbench_accounts, pgbench_history');
  } finally {
    await c.end();
  }
}

const rnd = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo + 1));

/**
 * pgbench's built-in "TPC-B (sort of)" script, statement by statement over the simple query
 * protocol (pgbench -M simple, its default), one pg.Client per client.
 */
export async function runTpcb(url: string, clients: number, durationS: number, scale = 1): Promise<TimedRun> {
  const conns = await Promise.all(
    Array.from({ length: clients }, async () => {
      const c = new pg.Client({ connectionString: url, application_name: 'fiscus-bench' });
      await c.connect();
      return c;
    }),
  );
  try {
    return await timedLoops(clients, durationS, 'TPC-B', async (k) => {
      const c = conns[k]!;
      const aid = rnd(1, ACCOUNTS_PER_SCALE * scale);
      const bid = rnd(1, scale);
      const tid = rnd(1, TELLERS_PER_SCALE * scale);
      const delta = rnd(-5000, 5000);
      await c.query('BEGIN;');
      await c.query(`UPDATE pgbench_accounts SET abalance = abalance + ${delta} WHERE aid = ${aid};`);
      await c.query(`SELECT abalance FROM pgbench_accounts WHERE aid = ${aid};`);
      await c.query(`UPDATE pgbench_tellers SET tbalance = tbalance + ${delta} WHERE tid = ${tid};`);
      await c.query(`UPDATE pgbench_branches SET bbalance = bbalance + ${delta} WHERE bid = ${bid};`);
      await c.query(
        `INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (${tid}, ${bid}, ${aid}, ${delta}, CURRENT_TIMESTAMP);`,
      );
      await c.query('END;');
      return { ok: 1, errors: 0 };
    });
  } finally {
    await Promise.all(conns.map((c) => c.end()));
  }
}

export async function baselineFigure(url: string, clients: number, durationS: number): Promise<Figure> {
  log('TPC-B: initialising scale 1 (1 branch, 10 tellers, 100 000 accounts)');
  await initTpcb(url, 1);
  log('TPC-B: tables filled and vacuumed');
  log(`TPC-B: ${clients} clients for ${durationS} s`);
  const run = await runTpcb(url, clients, durationS, 1);
  const tps = run.ok / run.seconds;
  log(`TPC-B: ${run.ok} transactions in ${run.seconds.toFixed(1)} s = ${tps.toFixed(1)} tps`);
  return {
    figure: 'baseline',
    name: 'TPC-B (pgbench default script) from Node, pg driver, one pg.Client per client',
    value: round(tps, 1),
    unit: 'tps',
    baseline: null,
    baselineValue: null,
    ratio: null,
    goal: 'measured',
    met: null,
    sizes: {
      scale: 1,
      branches: 1,
      tellers: 10,
      accounts: ACCOUNTS_PER_SCALE,
      clients,
      seconds: round(run.seconds, 2),
      transactions: run.ok,
      protocol: 'simple',
    },
  };
}
