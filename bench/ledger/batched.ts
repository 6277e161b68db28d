import type { Kysely } from 'kysely';
import { executeCommands } from '../../packages/core/src/index';
import type { DB } from '../../packages/core/src/platform/db/schema';
import { INDICATORS } from './indicators';
import {
  ACTOR,
  countResults,
  type Figure,
  HOT_INDICATOR,
  indicatorId,
  log,
  payment,
  round,
  type TimedRun,
  timedLoops,
} from './shared';

export const BATCH = 1000;

/** Client c's own indicators: c, c + N, c + 2N, … (disjoint between clients). */
const ownIndicators = (client: number, clients: number) =>
  Array.from({ length: Math.ceil((INDICATORS - client) / clients) }, (_, k) =>
    indicatorId(client + k * clients),
  );

/** One executeCommands call of BATCH payments (the pipeline's own chunking unless `chunkSize`). */
export async function runBatch(
  db: Kysely<DB>,
  ids: readonly string[],
  tag: string,
  offset: number,
  chunkSize?: number,
) {
  const cmds = Array.from({ length: BATCH }, (_, k) => payment(ids[(offset + k) % ids.length]!, tag));
  return countResults(await executeCommands(db, cmds, chunkSize ? { ...ACTOR, chunkSize } : ACTOR));
}

/** G3: each client posts batches over its own indicators; G4 (hot): every posting on one indicator. */
export function runBatched(
  db: Kysely<DB>,
  clients: number,
  run: BatchedRun,
  hot: boolean,
): Promise<TimedRun> {
  const sets = Array.from({ length: clients }, (_, c) => (hot ? [HOT_INDICATOR] : ownIndicators(c, clients)));
  return timedLoops(
    clients,
    run.seconds,
    hot ? 'G4' : 'G3',
    (c, i) => runBatch(db, sets[c]!, hot ? 'g4' : 'g3', i * BATCH),
    run.rounds,
  );
}

/** How long G3 and G4 run: batches back to back for `seconds`, at least `rounds` per client. */
export interface BatchedRun {
  seconds: number;
  rounds: number;
}

function figure(code: string, run: TimedRun, sizes: Record<string, unknown>) {
  const rate = run.ok / run.seconds;
  log(`${code}: ${run.ok} postings in ${run.seconds.toFixed(1)} s = ${rate.toFixed(1)}/s`);
  if (run.errors) log(`${code}: ${run.errors} refused, first: ${run.firstError}`);
  return {
    rate,
    sizes: { ...sizes, seconds: round(run.seconds, 2), postings: run.ok, batches: run.ok / BATCH },
  };
}

export async function batchedFigures(
  db: Kysely<DB>,
  clients: number,
  run: BatchedRun,
  baselineTps: number,
): Promise<Figure[]> {
  const common = {
    clients,
    batch: BATCH,
    chunkSize: 'pipeline default (500)',
    minSeconds: run.seconds,
    minBatchesPerClient: run.rounds,
    amount: '1.00',
    scenario: 'applicationApproved',
    rules: 'default',
  };
  const how = run.seconds > 0 ? `for ${run.seconds} s` : `${run.rounds} per client`;
  log(`G3: ${clients} clients, batches of ${BATCH}, disjoint indicators, ${how}`);
  const g3run = await runBatched(db, clients, run, false);
  const g3 = figure('G3', g3run, { ...common, indicators: INDICATORS });
  log(`G4: ${clients} clients, batches of ${BATCH}, all on ${HOT_INDICATOR}, ${how}`);
  const g4run = await runBatched(db, clients, run, true);
  const g4 = figure('G4', g4run, { ...common, indicators: 1 });
  const r3 = g3.rate / baselineTps;
  const r4 = g4.rate / g3.rate;
  const out: Figure[] = [
    {
      figure: 'G3',
      name: 'batched postings with per-item results (1 000 per executeCommands call)',
      value: round(g3.rate, 1),
      unit: 'postings/s',
      baseline: 'TPC-B',
      baselineValue: round(baselineTps, 1),
      ratio: round(r3, 2),
      goal: '>= 10x',
      met: r3 >= 10 && g3run.errors === 0,
      sizes: g3.sizes,
    },
    {
      figure: 'G4',
      name: 'G3 with every posting on one hot balance',
      value: round(g4.rate, 1),
      unit: 'postings/s',
      baseline: 'G3',
      baselineValue: round(g3.rate, 1),
      ratio: round(r4, 2),
      goal: '>= 0.8x',
      met: r4 >= 0.8 && g4run.errors === 0,
      sizes: g4.sizes,
    },
  ];
  if (g3run.errors) out[0]!.errors = g3run.errors;
  if (g4run.errors) out[1]!.errors = g4run.errors;
  return out;
}
