import { cpus } from 'node:os';
import { sql } from 'kysely';
import { openPool } from '../../packages/core/src/platform/db/connect';
import { batchedFigures } from './batched';
import { approveIndicators } from './indicators';
import { onlineFigures } from './online';
import { reportFigure } from './report';
import { withScratchDatabase } from './scratch-db';
import { type Figure, interrupted, log } from './shared';
import { baselineFigure } from './tpcb';
import { verifyFigure } from './verify';

export interface LedgerBenchOptions {
  databaseUrl?: string | undefined;
  home: string;
  quick: boolean;
  clients: number;
  /** Duration of each timed run (TPC-B, G1, G3, G4); default 5 (quick) or 20. */
  seconds?: number | undefined;
  /** Where a figure's JSON line goes (stdout). */
  print: (line: string) => void;
}

export interface LedgerBenchReport {
  figures: Figure[];
  /** Figures that could not be measured (an error, not a missed goal). */
  failed: number;
}

/**
 * `fiscus bench ledger`: TPC-B baseline and the ledger figures G1, G3, G4, G7, G8 on a scratch
 * database of the configured server, one JSON line per figure as it is measured.
 */
export async function runLedgerBench(o: LedgerBenchOptions): Promise<LedgerBenchReport> {
  const t0 = Date.now();
  const durationS = o.seconds ?? (o.quick ? 5 : 20);
  // G1 and G1-direct: quick runs are shorter so that the whole quick run stays under a minute.
  const onlineS = o.seconds ?? (o.quick ? 2.5 : 20);
  // G3/G4: quick = one batch of 1 000 per client; full = batches back to back for the duration.
  const batched = { seconds: o.seconds ?? (o.quick ? 0 : 20), rounds: 1 };
  const targetLines = o.quick ? 100_000 : 1_000_000;
  const verifyRuns = 3;
  const reportRuns = 5;
  const figures: Figure[] = [];
  let failed = 0;
  const emit = (f: Figure) => {
    if (interrupted()) return;
    figures.push(f);
    if (f.error) failed++;
    o.print(JSON.stringify(f));
  };
  const broken = (figure: string, e: unknown): Figure => ({
    figure,
    name: figure,
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
  log(
    `ledger benchmark (${o.quick ? 'quick' : 'full'}): ${o.clients} clients; TPC-B ${durationS} s, ` +
      `G1 ${onlineS} s, G3/G4 ${batched.seconds ? `${batched.seconds} s` : 'one batch per client'}, G7 ${targetLines} lines`,
  );
  await withScratchDatabase({ databaseUrl: o.databaseUrl, home: o.home }, async (scratch) => {
    const { db } = openPool(scratch.url, o.clients + 2);
    try {
      const v = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db);
      const machine = {
        postgres: v.rows[0]?.v,
        server: scratch.mode,
        cpus: cpus().length,
        node: process.version,
      };
      const base = await baselineFigure(scratch.url, o.clients, durationS);
      emit({ ...base, sizes: { ...base.sizes, ...machine } });
      const tps = base.value ?? 0;
      await approveIndicators(db);
      const phases: [string, () => Promise<Figure[]>][] = [
        ['G1', () => onlineFigures(db, o.clients, onlineS, tps)],
        ['G3', () => batchedFigures(db, o.clients, batched, tps)],
        ['G7', async () => [await verifyFigure(db, o.clients, targetLines, verifyRuns)]],
        ['G8', async () => [await reportFigure(db, reportRuns)]],
      ];
      for (const [name, run] of phases) {
        try {
          for (const f of await run()) emit(f);
        } catch (e) {
          log(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
          emit(broken(name, e));
        }
      }
    } finally {
      await db.destroy();
    }
  });
  log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { figures, failed };
}
