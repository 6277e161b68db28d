import { cpus } from 'node:os';
import { sql } from 'kysely';
import { executeCommands, runYearend } from '../../packages/core/src/index';
import { verifyLedger } from '../../packages/core/src/ledger/verify';
import { openPool } from '../../packages/core/src/platform/db/connect';
import { withScratchDatabase } from '../ledger/scratch-db';
import { type Figure, log, round } from '../ledger/shared';
import { baselineInsertSelect, loadBalances } from './fixture';

export interface YearendBenchOptions {
  databaseUrl?: string | undefined;
  home: string;
  quick: boolean;
  /** Number of balances (default 1 000 000; quick 50 000). */
  balances?: number | undefined;
  chunk?: number | undefined;
  print: (line: string) => void;
}

const REGION = '530700000';
const YEAR = 2026;

/**
 * `fiscus bench yearend`: `n` unspent balances (set-based fixture), the same journal rows written
 * by a raw INSERT…SELECT (baseline), then `fiscus yearend run` over them in chunks; one JSON line
 * per figure. Goal: year-end throughput ≥ 0.3× the baseline's, measured in the same run.
 */
export async function runYearendBench(
  o: YearendBenchOptions,
): Promise<{ figures: Figure[]; failed: number }> {
  const n = o.balances ?? (o.quick ? 50_000 : 1_000_000);
  const chunk = o.chunk ?? 20_000;
  const figures: Figure[] = [];
  let failed = 0;
  const emit = (f: Figure) => {
    figures.push(f);
    if (f.error) failed++;
    o.print(JSON.stringify(f));
  };
  const t0 = Date.now();
  await withScratchDatabase({ databaseUrl: o.databaseUrl, home: o.home }, async (scratch) => {
    const { db } = openPool(scratch.url, 4);
    try {
      const v = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db);
      const machine = {
        postgres: v.rows[0]?.v,
        server: scratch.mode,
        cpus: cpus().length,
        node: process.version,
      };
      // The next year open, with its code sets; the chart of 2026 seeded by one ordinary posting.
      const setup = await executeCommands(
        db,
        [
          {
            id: 'bench-ye-open',
            type: 'fiscalYear.open',
            region: REGION,
            year: YEAR + 1,
            on: '2026-12-01',
            payload: {},
          },
          {
            id: 'bench-ye-codes',
            type: 'codeSet.load',
            region: REGION,
            year: YEAR + 1,
            on: '2026-12-01',
            payload: { version: '2027.1' },
          },
          {
            id: 'bench-ye-seed',
            type: 'ledger.post',
            region: REGION,
            year: YEAR,
            on: '2026-03-01',
            payload: {
              scenario: 'approve',
              amount: '100.00',
              pool: 'executable',
              to: {
                indicatorId: 'YB-SEED',
                agencyCode: '205002',
                deptCode: '205',
                expFuncCode: '2050203',
                depEcoCode: '30211',
                govEcoCode: '50201',
                fundTypeCode: '111',
                sourceTypeCode: '1',
                indicatorTypeCode: '21',
                payTypeCode: '11',
              },
            },
          },
        ],
        { defaultActor: 'budget' },
      );
      const refused = setup.find((r) => r.status !== 'accepted');
      if (refused) throw new Error(`setup refused: ${JSON.stringify(refused)}`);
      let t = process.hrtime.bigint();
      await loadBalances(scratch.url, REGION, YEAR, n);
      const fixtureS = Number(process.hrtime.bigint() - t) / 1e9;
      log(`fixture: ${n} balances (set-based) in ${fixtureS.toFixed(1)} s`);
      const total = n + 1;

      const base = await baselineInsertSelect(scratch.url, REGION, YEAR);
      log(
        `baseline INSERT…SELECT: ${base.entries} entries, ${base.lines} lines in ${base.seconds.toFixed(2)} s`,
      );
      const baseRate = total / base.seconds;
      emit({
        figure: 'YE-baseline',
        name: 'raw INSERT…SELECT of the same journal rows (entries + lines)',
        value: round(baseRate, 1),
        unit: 'balances/s',
        baseline: null,
        baselineValue: null,
        ratio: null,
        goal: '',
        met: null,
        sizes: {
          balances: total,
          entries: base.entries,
          lines: base.lines,
          seconds: round(base.seconds, 2),
          ...machine,
        },
      });

      t = process.hrtime.bigint();
      let chunks = 0;
      const run = await runYearend(db, {
        region: REGION,
        year: YEAR,
        actor: 'chief',
        on: '2026-12-31',
        chunkSize: chunk,
        onProgress: (p) => {
          chunks++;
          log(
            `  chunk ${p.chunk}: ${p.processed}/${p.planned} (${((100 * p.processed) / p.planned).toFixed(1)} %), ` +
              `${(Number(process.hrtime.bigint() - t) / 1e9).toFixed(1)} s`,
          );
        },
      });
      const runS = Number(process.hrtime.bigint() - t) / 1e9;
      const rate = run.processed / runS;
      const ratio = rate / baseRate;
      const entries = await sql<{ n: string }>`
        select count(*)::text as n from ledger.entry where region_code = ${REGION} and command_id like ${`${run.runId}:%`}`.execute(
        db,
      );
      const complete = run.state === 'completed' && run.processed === total;
      emit({
        figure: 'YE',
        name: `fiscus yearend run: ${total} balances in chunks of ${chunk} (one engine batch per chunk)`,
        value: round(rate, 1),
        unit: 'balances/s',
        baseline: 'YE-baseline',
        baselineValue: round(baseRate, 1),
        ratio: round(ratio, 3),
        goal: '≥ 0.3× baseline',
        met: complete && ratio >= 0.3,
        sizes: {
          balances: run.processed,
          chunks,
          carried: run.carried,
          lapsed: run.lapsed,
          entries: Number(entries.rows[0]?.n ?? 0),
          seconds: round(runS, 2),
          fixtureSeconds: round(fixtureS, 1),
        },
        ...(complete ? {} : { error: `run ${run.runId} is ${run.state} after ${run.processed} of ${total}` }),
      });

      t = process.hrtime.bigint();
      const verified = await verifyLedger(db, { region: REGION });
      const verifyS = Number(process.hrtime.bigint() - t) / 1e9;
      emit({
        figure: 'YE-verify',
        name: 'fiscus ledger verify of the region after the run',
        value: round(verifyS, 2),
        unit: 's',
        baseline: null,
        baselineValue: null,
        ratio: null,
        goal: 'clean',
        met: verified.ok,
        sizes: {},
        ...(verified.ok ? {} : { error: 'ledger verify found problems' }),
      });
    } catch (e) {
      log(`yearend bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      emit({
        figure: 'YE',
        name: 'YE',
        value: null,
        unit: '',
        baseline: null,
        baselineValue: null,
        ratio: null,
        goal: '',
        met: null,
        sizes: {},
        error: e instanceof Error ? e.message : String(e),
      });
    } finally {
      await db.destroy();
    }
  });
  log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { figures, failed };
}
