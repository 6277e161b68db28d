import { type Kysely, sql } from 'kysely';
import { verifyLedger } from '../../packages/core/src/ledger/verify';
import type { DB } from '../../packages/core/src/platform/db/schema';
import { BATCH, runBatch } from './batched';
import { INDICATORS } from './indicators';
import { type Figure, indicatorId, log, median, REGION, round, seconds, YEAR } from './shared';

async function lineCount(db: Kysely<DB>): Promise<number> {
  const r = await sql<{ n: string }>`select count(*)::text as n from ledger.line
    where region_code = ${REGION} and fiscal_year = ${YEAR}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/** Top the journal up to `target` lines with G3-style batches through executeCommands. */
export async function fillLines(db: Kysely<DB>, clients: number, target: number): Promise<number> {
  const have = await lineCount(db);
  if (have >= target) return have;
  // applicationApproved posts two lines.
  const batches = Math.ceil((target - have) / 2 / BATCH);
  log(`G7: ${have} lines; posting ${batches} batches of ${BATCH} (${clients} clients) to reach ${target}`);
  const t0 = process.hrtime.bigint();
  let next = 0;
  let done = 0;
  let refused = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      const ids = Array.from({ length: Math.ceil((INDICATORS - c) / clients) }, (_, k) =>
        indicatorId(c + k * clients),
      );
      for (let b = next++; b < batches; b = next++) {
        const r = await runBatch(db, ids, 'g7', b * BATCH, BATCH);
        refused += r.errors;
        if (++done % 20 === 0) log(`  G7 fill: ${done}/${batches} batches, ${seconds(t0).toFixed(0)} s`);
      }
    }),
  );
  if (refused) throw new Error(`filling the journal: ${refused} postings refused`);
  const n = await lineCount(db);
  log(`G7: ${n} lines after ${seconds(t0).toFixed(1)} s of posting`);
  return n;
}

async function timeIt<T>(fn: () => Promise<T>): Promise<{ s: number; out: T }> {
  const t0 = process.hrtime.bigint();
  const out = await fn();
  return { s: seconds(t0), out };
}

export async function verifyFigure(
  db: Kysely<DB>,
  clients: number,
  targetLines: number,
  runs: number,
): Promise<Figure> {
  const base: Figure = {
    figure: 'G7',
    name: '`ledger verify` vs a plain GROUP BY scan of the same lines',
    value: null,
    unit: 's',
    baseline: 'GROUP BY scan of ledger.line',
    baselineValue: null,
    ratio: null,
    goal: '<= 1.5x',
    met: null,
    sizes: { targetLines, region: REGION, year: YEAR, runs },
  };
  const lines = await fillLines(db, clients, targetLines);
  const scan = () =>
    sql`select account, element_key_id,
          sum(amount_fen) filter (where side = 'debit') as debit_fen,
          sum(amount_fen) filter (where side = 'credit') as credit_fen
        from ledger.line where region_code = ${REGION} and fiscal_year = ${YEAR}
        group by 1, 2`.execute(db);
  await sql`analyze ledger.line, ledger.entry, ledger.balance, ledger.balance_month`.execute(db);
  await scan(); // warm the cache for both
  const scans: number[] = [];
  const verifies: number[] = [];
  let groups = 0;
  let result: Awaited<ReturnType<typeof verifyLedger>> | null = null;
  for (let i = 0; i < runs; i++) {
    const s = await timeIt(scan);
    scans.push(s.s);
    groups = s.out.rows.length;
    const v = await timeIt(() => verifyLedger(db, { region: REGION, year: YEAR }));
    verifies.push(v.s);
    result = v.out;
  }
  const scanS = median(scans);
  log(`G7: scan of ${lines} lines into ${groups} groups: median ${scanS.toFixed(3)} s`);
  const sizes = { ...base.sizes, lines, groups };
  const verifyS = median(verifies);
  const ratio = verifyS / scanS;
  const failed = result?.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`) ?? [];
  log(`G7: verify median ${verifyS.toFixed(3)} s (${ratio.toFixed(2)}x the scan), ok=${result?.ok}`);
  const f: Figure = {
    ...base,
    value: round(verifyS, 4),
    baselineValue: round(scanS, 4),
    ratio: round(ratio, 2),
    met: ratio <= 1.5 && result?.ok === true,
    sizes: { ...sizes, verifiedLines: result?.lines ?? null, checks: result?.checks.length ?? 0 },
  };
  if (!result?.ok) {
    f.errors = failed.length || 1;
    f.note = `verify reported a failure: ${failed.join('; ').slice(0, 500)}`;
  }
  return f;
}
