import type { Kysely } from 'kysely';
import { CommandBatcher, executeCommands } from '../../packages/core/src/index';
import type { DB } from '../../packages/core/src/platform/db/schema';
import { INDICATORS } from './indicators';
import {
  ACTOR,
  countResults,
  type Figure,
  indicatorId,
  log,
  payment,
  round,
  type TimedRun,
  timedLoops,
} from './shared';

const pick = () => indicatorId(Math.floor(Math.random() * INDICATORS));

/** Each client: one command per executeCommands call (one transaction each), back to back. */
export function runDirect(db: Kysely<DB>, clients: number, durationS: number): Promise<TimedRun> {
  return timedLoops(clients, durationS, 'G1-direct', async () =>
    countResults(await executeCommands(db, [payment(pick(), 'g1d')], ACTOR)),
  );
}

/** Each client: one command per submit; the batcher groups what arrives together. */
export function runBatcher(clients: number, durationS: number, batcher: CommandBatcher): Promise<TimedRun> {
  return timedLoops(clients, durationS, 'G1', async () =>
    countResults([await batcher.submit(payment(pick(), 'g1b'), ACTOR)]),
  );
}

function figure(
  code: string,
  name: string,
  run: TimedRun,
  baselineTps: number,
  sizes: Record<string, unknown>,
): Figure {
  const rate = run.ok / run.seconds;
  const ratio = rate / baselineTps;
  log(
    `${code}: ${run.ok} postings in ${run.seconds.toFixed(1)} s = ${rate.toFixed(1)}/s (${ratio.toFixed(2)}x TPC-B)`,
  );
  if (run.errors) log(`${code}: ${run.errors} refused, first: ${run.firstError}`);
  const f: Figure = {
    figure: code,
    name,
    value: round(rate, 1),
    unit: 'postings/s',
    baseline: 'TPC-B',
    baselineValue: round(baselineTps, 1),
    ratio: round(ratio, 2),
    goal: '>= 1.0x',
    met: ratio >= 1.0 && run.errors === 0,
    sizes: { ...sizes, seconds: round(run.seconds, 2), postings: run.ok },
  };
  if (run.errors) f.errors = run.errors;
  return f;
}

/** G1 through the group-commit batcher (the main figure) and one call per posting (G1-direct). */
export async function onlineFigures(
  db: Kysely<DB>,
  clients: number,
  durationS: number,
  baselineTps: number,
): Promise<Figure[]> {
  const sizes = {
    clients,
    indicators: INDICATORS,
    amount: '1.00',
    scenario: 'applicationApproved',
    rules: 'default',
  };
  const batcher = new CommandBatcher(db, { windowMs: 2, maxBatch: 500 });
  log(`G1: ${clients} clients through CommandBatcher for ${durationS} s`);
  const viaBatcher = await runBatcher(clients, durationS, batcher);
  log(`G1-direct: ${clients} clients, one executeCommands call each, for ${durationS} s`);
  const direct = await runDirect(db, clients, durationS);
  return [
    figure(
      'G1',
      'online postings, one per request, all rules (through CommandBatcher)',
      viaBatcher,
      baselineTps,
      { ...sizes, batcher: { windowMs: 2, maxBatch: 500 } },
    ),
    figure(
      'G1-direct',
      'online postings, one per request, all rules (one executeCommands call each)',
      direct,
      baselineTps,
      sizes,
    ),
  ];
}
