import { cpus } from 'node:os';
import type { CommandResult } from '@fiscus/contracts';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { CommandBatcher } from '../../packages/core/src/commands/batcher';
import { BUILT_IN_RULES } from '../../packages/core/src/monitoring/domain/catalogue';
import { openPool } from '../../packages/core/src/platform/db/connect';
import type { DB } from '../../packages/core/src/platform/db/schema';
import { withScratchDatabase } from '../ledger/scratch-db';
import { type Figure, interrupted, log, median, round } from '../ledger/shared';
import { buildPaymentWorld, ON, type PaymentWorld, payeeOf, REGION, YEAR } from '../payments/world';

export interface MonitoringBenchOptions {
  databaseUrl?: string | undefined;
  home: string;
  quick: boolean;
  /** Payments per side, rules off and rules on (default 2 000; quick 300). */
  payments?: number | undefined;
  /** Install only these built-in rule codes on the "on" side (default: all), to find what costs. */
  rules?: readonly string[] | undefined;
  print: (line: string) => void;
}

const CLIENTS = 8;
/** 公务卡: the settlement the 公务卡强制结算目录 asks for (办公费 30201), so the payments are compliant. */
const SETTLEMENT = '001900';
const EXPLANATION = '压测：正常业务支付';
/**
 * The clock the commands run on: 10:00 Beijing time on the business date (a Monday), so
 * OUTSIDE_WORKING_HOURS judges the same payment whatever the hour the benchmark runs at.
 */
const NOW = Date.parse(`${ON}T10:00:00+08:00`);

type SideName = 'off' | 'on';

interface Side {
  name: SideName;
  db: Kysely<DB>;
  batcher: CommandBatcher;
  /** Payments done so far on this side (payee accounts are unique per side). */
  next: number;
}

interface Outcome {
  approved: number;
  held: number;
  refused: number;
  errors: number;
  firstError?: string;
}

interface Phase extends Outcome {
  side: SideName;
  payments: number;
  seconds: number;
  perSecond: number;
}

let seq = 0;
const envelope = (type: string, actor: string, payload: unknown) => ({
  id: `bm-${process.pid}-${(++seq).toString(36)}`,
  type,
  region: REGION,
  year: YEAR,
  on: ON,
  actor,
  payload,
});

const describe = (r: CommandResult) =>
  r.status === 'rejected' ? `${r.type}: ${r.error.code} ${r.error.message.en}` : `${r.type}: replayed`;

/**
 * One payment the way the web client makes it, one request per step, each through the HTTP
 * path's group-commit batcher as the signed-in user: 录入 → 送审 → 单位审核 → 支付中心审核通过.
 */
async function onePayment(
  side: Side,
  world: PaymentWorld,
  client: number,
  i: number,
  now: Date,
): Promise<'approved' | 'held' | 'refused' | { error: string }> {
  const agency = world.agencies[client % world.agencies.length]!;
  const ind = agency.indicators[Math.floor(i / world.agencies.length) % agency.indicators.length]!;
  const send = async (type: string, actor: string, payload: unknown) => {
    const r = await side.batcher.submit(envelope(type, actor, payload), { sessionActor: actor, now });
    if (r.status !== 'accepted' || r.replayed) throw new Error(describe(r));
    return r.result as { applicationId: string; state: string };
  };
  try {
    const { applicationId } = await send('payment.draft', agency.clerk, {
      agencyCode: agency.code,
      payType: ind.payType,
      indicatorId: ind.id,
      // Spread over 100–999 yuan: small, never the same twice in a row for a payee (each has one).
      amount: `${100 + ((i * 7919) % 900)}.00`,
      purpose: '办公用品',
      settlementMode: SETTLEMENT,
      payee: payeeOf(`收款单位${i}`, i),
    });
    const ref = { applicationId, agencyCode: agency.code };
    const submitted = await send('payment.submit', agency.clerk, { ...ref, explanation: EXPLANATION });
    if (submitted.state === 'held') return 'held';
    if (submitted.state === 'refused') return 'refused';
    await send('payment.unitApprove', agency.head, ref);
    const reviewed = await send('payment.review', 'reviewer', {
      ...ref,
      decision: 'approve',
      explanation: EXPLANATION,
    });
    return reviewed.state === 'approved' ? 'approved' : reviewed.state === 'held' ? 'held' : 'refused';
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** `count` payments on one side by CLIENTS concurrent clients; the time until the last is done. */
async function phase(side: Side, world: PaymentWorld, count: number, at: number): Promise<Phase> {
  const first = side.next;
  side.next += count;
  let taken = 0;
  const out: Outcome = { approved: 0, held: 0, refused: 0, errors: 0 };
  const now = new Date(NOW + at * 1000);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      while (taken < count) {
        const i = first + taken++;
        const r = await onePayment(side, world, c, i, now);
        if (typeof r === 'string') out[r]++;
        else {
          out.errors++;
          out.firstError ??= r.error;
        }
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return { ...out, side: side.name, payments: count, seconds, perSecond: count / seconds };
}

const PREFIX = 'fiscus_bench_';
const SUFFIX = '_mon';

async function onServer<T>(serverUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: serverUrl, application_name: 'fiscus-bench' });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Copies left behind on the embedded server by a killed run (their process is gone). */
async function dropStaleCopies(serverUrl: string): Promise<void> {
  const r = await onServer(serverUrl, (c) =>
    c.query<{ datname: string }>('select datname from pg_database where datname like $1', [
      `${PREFIX}%${SUFFIX}`,
    ]),
  );
  for (const { datname } of r.rows) {
    const pid = Number(datname.slice(PREFIX.length, -SUFFIX.length));
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !alive(pid)) {
      log(`dropping ${datname}, left behind by a killed run`);
      await onServer(serverUrl, (c) => c.query(`drop database if exists "${datname}" with (force)`));
    }
  }
}

interface RulesOnReport {
  warnings: number;
  byRule: Record<string, number>;
  byAction: Record<string, number>;
}

async function warningsOf(db: Kysely<DB>): Promise<RulesOnReport> {
  const rows = await db
    .selectFrom('monitor.warning')
    .select(['rule_code', 'action', (eb) => eb.fn.countAll<string>().as('n')])
    .where('region_code', '=', REGION)
    .where('fiscal_year', '=', YEAR)
    .groupBy(['rule_code', 'action'])
    .execute();
  const out: RulesOnReport = { warnings: 0, byRule: {}, byAction: {} };
  for (const r of rows) {
    const n = Number(r.n);
    out.warnings += n;
    out.byRule[r.rule_code] = (out.byRule[r.rule_code] ?? 0) + n;
    out.byAction[r.action] = (out.byAction[r.action] ?? 0) + n;
  }
  return out;
}

const sum = (ps: readonly Phase[], k: 'approved' | 'held' | 'refused' | 'errors' | 'payments') =>
  ps.reduce((s, p) => s + p[k], 0);

/**
 * `fiscus bench monitoring`: the cost of 事中监控. One scratch database is set up (demo, payment
 * world), then copied; the copy gets every built-in rule installed and enabled, the original none.
 * The same online payment path (draft → submit → unitApprove → review approve, one request per
 * step, CLIENTS concurrent clients through the HTTP path's batcher) runs N payments on each, in
 * alternating rounds (ABBA order, after a warm-up on both), and the medians of the rounds' rates
 * are compared: M1 (all rules) ÷ M0 (no rules) ≥ 0.9 is the goal.
 */
export async function runMonitoringBench(
  o: MonitoringBenchOptions,
): Promise<{ figures: Figure[]; failed: number }> {
  const n = o.payments ?? (o.quick ? 300 : 2000);
  const rounds = Math.max(1, Math.min(o.quick ? 4 : 8, Math.floor(n / CLIENTS)));
  const warmup = o.quick ? 40 : 100;
  const figures: Figure[] = [];
  let failed = 0;
  const emit = (f: Figure) => {
    if (interrupted()) return;
    figures.push(f);
    if (f.error) failed++;
    o.print(JSON.stringify(f));
  };
  await withScratchDatabase({ databaseUrl: o.databaseUrl, home: o.home }, async (s) => {
    const setup = openPool(s.url, 4).db;
    let world: PaymentWorld;
    try {
      world = await buildPaymentWorld(setup, { perAgency: 5, amountEach: '100000000.00', tag: 'BM' });
      await sql`vacuum analyze`.execute(setup);
    } finally {
      await setup.destroy();
    }
    if (s.mode === 'embedded') await dropStaleCopies(s.serverUrl);
    const copy = `${s.name}${SUFFIX}`;
    let copied = false;
    const dropCopy = async () => {
      if (!copied) return;
      copied = false;
      await onServer(s.serverUrl, (c) => c.query(`drop database if exists "${copy}" with (force)`));
      log(`dropped ${copy}`, true);
    };
    const onSignal = () => {
      dropCopy().catch(() => {});
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const sides: Side[] = [];
    try {
      await onServer(s.serverUrl, (c) => c.query(`create database "${copy}" template "${s.name}"`));
      copied = true;
      const u = new URL(s.url);
      u.pathname = `/${copy}`;
      log(`copied the scratch database to ${copy}: no rules on ${s.name}, all rules on ${copy}`);
      for (const [name, url] of [
        ['off', s.url],
        ['on', u.toString()],
      ] as const) {
        const { db } = openPool(url, CLIENTS + 2);
        sides.push({ name, db, batcher: new CommandBatcher(db, { windowMs: 2 }), next: 0 });
      }
      const [off, on] = sides as [Side, Side];
      const install = await on.batcher.submit(
        envelope('monitorRule.install', 'monitor', {
          enabled: true,
          ...(o.rules ? { codes: [...o.rules] } : {}),
        }),
        {
          sessionActor: 'monitor',
        },
      );
      if (install.status !== 'accepted') throw new Error(`monitorRule.install: ${describe(install)}`);
      const installed = (install.result as { installed: string[] }).installed.length;
      const chosen = BUILT_IN_RULES.filter((r) => !o.rules || o.rules.includes(r.code));
      const atApprove = chosen.filter((r) => r.trigger === 'approve').length;
      const atSubmit = chosen.filter((r) => r.trigger === 'submit').length;
      const v = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(off.db);
      log(
        `${installed} rules installed (${atSubmit} at submit, ${atApprove} at approval); ` +
          `warm-up ${warmup} per side, then ${n} per side in ${rounds} alternating rounds, ${CLIENTS} clients`,
      );
      let at = 0;
      for (const side of [off, on]) {
        const w = await phase(side, world, warmup, at++);
        log(`warm-up ${side.name}: ${w.perSecond.toFixed(1)} payments/s`);
      }
      const phases: Phase[] = [];
      for (let r = 0; r < rounds; r++) {
        // Planner statistics that describe the tables as they are now, as autovacuum keeps them
        // (it may be off on the server, and the tables grow from nothing): untimed, both sides.
        for (const side of sides) await sql`analyze`.execute(side.db);
        const count = Math.floor(n / rounds) + (r < n % rounds ? 1 : 0);
        // ABBA: each side goes first as often as second, so drift and growth cancel out.
        const order = r % 2 === 0 ? [off, on] : [on, off];
        for (const side of order) {
          const p = await phase(side, world, count, at++);
          phases.push(p);
          log(
            `round ${r + 1}/${rounds} rules ${side.name}: ${p.payments} in ${p.seconds.toFixed(2)} s = ` +
              `${p.perSecond.toFixed(1)} payments/s${p.errors ? ` (${p.errors} failed: ${p.firstError})` : ''}`,
          );
        }
      }
      const offs = phases.filter((p) => p.side === 'off');
      const ons = phases.filter((p) => p.side === 'on');
      const m0 = median(offs.map((p) => p.perSecond));
      const m1 = median(ons.map((p) => p.perSecond));
      const ratio = m1 / m0;
      const perRound = offs.map((p, i) => round(ons[i]!.perSecond / p.perSecond, 3));
      const warnings = await warningsOf(on.db);
      const common = {
        payments: n,
        clients: CLIENTS,
        rounds,
        warmupPerSide: warmup,
        steps: 'draft → submit → unitApprove → review approve, one request each (CommandBatcher)',
        postgres: v.rows[0]?.v,
        server: s.mode,
        cpus: cpus().length,
      };
      const offErrors = sum(offs, 'errors');
      const onErrors = sum(ons, 'errors');
      const m0Figure: Figure = {
        figure: 'M0',
        name: 'online payments per second, no monitoring rules',
        value: round(m0, 1),
        unit: 'payments/s',
        baseline: null,
        baselineValue: null,
        ratio: null,
        goal: 'baseline',
        met: null,
        sizes: {
          ...common,
          rules: 0,
          approved: sum(offs, 'approved'),
          perRound: offs.map((p) => round(p.perSecond, 1)),
          seconds: round(
            offs.reduce((t, p) => t + p.seconds, 0),
            2,
          ),
        },
      };
      if (offErrors) {
        m0Figure.errors = offErrors;
        m0Figure.error = `${offErrors} payments failed, first: ${offs.find((p) => p.firstError)?.firstError}`;
      }
      emit(m0Figure);
      const held = sum(ons, 'held');
      const refused = sum(ons, 'refused');
      const m1Figure: Figure = {
        figure: 'M1',
        name: o.rules
          ? 'online payments per second, the chosen built-in monitoring rules on'
          : 'online payments per second, all built-in monitoring rules on',
        value: round(m1, 1),
        unit: 'payments/s',
        baseline: 'M0 no rules',
        baselineValue: round(m0, 1),
        ratio: round(ratio, 3),
        goal: '>= 0.9x',
        met: ratio >= 0.9 && onErrors === 0 && offErrors === 0,
        sizes: {
          ...common,
          rules: installed,
          ...(o.rules ? { ruleCodes: [...o.rules] } : {}),
          rulesAtSubmit: atSubmit,
          rulesAtApprove: atApprove,
          approved: sum(ons, 'approved'),
          held,
          refused,
          warnings: warnings.warnings,
          warningsByRule: warnings.byRule,
          warningsByAction: warnings.byAction,
          perRound: ons.map((p) => round(p.perSecond, 1)),
          ratioPerRound: perRound,
          seconds: round(
            ons.reduce((t, p) => t + p.seconds, 0),
            2,
          ),
        },
      };
      if (held || refused || warnings.warnings)
        m1Figure.note = `the rules raised ${warnings.warnings} warnings (${held} held, ${refused} refused): the payments were meant to be compliant`;
      if (onErrors) {
        m1Figure.errors = onErrors;
        m1Figure.error = `${onErrors} payments failed, first: ${ons.find((p) => p.firstError)?.firstError}`;
      }
      emit(m1Figure);
    } finally {
      for (const side of sides) await side.db.destroy();
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      await dropCopy();
    }
  });
  return { figures, failed };
}
