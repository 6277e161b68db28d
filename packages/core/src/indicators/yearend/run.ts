import type { CommandResult, YearendPolicy } from '@fiscus/contracts';
import type { Kysely } from 'kysely';
import { yearState } from '../../basedata/store/scope';
import { executeCommands } from '../../commands/pipeline';
import { FiscusError } from '../../kernel/errors';
import type { DB } from '../../platform/db/schema';
import { planJson } from './handlers';
import { plan } from './policy';
import { findRun, loadPolicy, type RunView, unfinishedRun, unspentGroups } from './store';

export {
  findRun as findYearendRun,
  listRuns as listYearendRuns,
  type RunView as YearendRunView,
} from './store';

/** What `--dry-run` shows: the policy and the totals per action (and fund type); writes nothing. */
export async function yearendDryRun(db: Kysely<DB>, region: string, year: number) {
  const { policy, version } = await loadPolicy(db, region);
  const p = plan(await unspentGroups(db, region, year), policy);
  return {
    region,
    year,
    nextYearOpen: (await yearState(db, region, year + 1)) === 'open',
    unfinishedRun: (await unfinishedRun(db, region, year))?.runId ?? null,
    policy: { ...policy, version } as YearendPolicy & { version: number },
    ...planJson(p),
  };
}

export interface ChunkProgress {
  chunk: number;
  balances: number;
  processed: number;
  planned: number;
  carried: { count: number; amount: string };
  lapsed: { count: number; amount: string };
  done: boolean;
  replayed: boolean;
}

export interface YearendRunOptions {
  region: string;
  year: number;
  actor: string;
  /** Business date of the commands' envelopes. */
  on: string;
  /** Balances per chunk for a new run (default 20 000); a resumed run keeps its own. */
  chunkSize?: number | undefined;
  /** A new run's id (default `YE<year>-<region>-<time>`). */
  runId?: string;
  /** Stop after this many chunks (tests; a later call resumes). */
  maxChunks?: number | undefined;
  onStart?: (run: RunView, resumed: boolean) => void;
  onProgress?: (p: ChunkProgress) => void;
}

function accepted(r: CommandResult | undefined): Record<string, unknown> {
  if (!r) throw new Error('no result');
  if (r.status !== 'accepted') throw new FiscusError(r.error.code, r.error.params, r.error.issues);
  return r.result as Record<string, unknown>;
}

/** The chunk command's id: derived from the run id and the chunk number. */
export const chunkCommandId = (runId: string, chunk: number) => `${runId}:c${chunk}`;
export const reverseCommandId = (runId: string, chunk: number) => `${runId}:r${chunk}`;

/**
 * Run (or resume) the year-end of a region-year: the unfinished run is resumed from its stored
 * progress; otherwise a new run starts. One command per chunk, each its own transaction.
 */
export async function runYearend(db: Kysely<DB>, o: YearendRunOptions): Promise<RunView> {
  const opts = { defaultActor: o.actor };
  let run = await unfinishedRun(db, o.region, o.year);
  if (run && run.state !== 'running')
    throw new FiscusError('YEAREND_RUN_STATE', { runId: run.runId, state: run.state, action: '结转 run' });
  const resumed = Boolean(run);
  if (!run) {
    const runId = o.runId ?? `YE${o.year}-${o.region}-${Date.now().toString(36)}`;
    const [r] = await executeCommands(
      db,
      [
        {
          id: `${runId}:start`,
          type: 'yearend.start',
          region: o.region,
          year: o.year,
          on: o.on,
          payload: { runId, chunkSize: o.chunkSize ?? 20_000 },
        },
      ],
      opts,
    );
    accepted(r);
    run = (await findRun(db, runId, o.region))!;
  }
  o.onStart?.(run, resumed);
  let n = 0;
  while (run.state === 'running' && (o.maxChunks === undefined || n < o.maxChunks)) {
    const [r] = await executeCommands(
      db,
      [
        {
          id: chunkCommandId(run.runId, run.nextChunk),
          type: 'yearend.chunk',
          region: o.region,
          year: o.year,
          on: o.on,
          payload: { runId: run.runId, chunk: run.nextChunk, size: run.chunkSize },
        },
      ],
      { ...opts, chunkSize: 1 },
    );
    const res = accepted(r) as unknown as Omit<ChunkProgress, 'replayed'>;
    o.onProgress?.({ ...res, replayed: Boolean(r?.replayed) });
    n++;
    run = (await findRun(db, run.runId, o.region))!;
  }
  return run;
}

/** 红字冲销 of a whole run, chunk by chunk (idempotent: a rerun continues where it stopped). */
export async function reverseYearend(
  db: Kysely<DB>,
  o: {
    runId: string;
    actor: string;
    on: string;
    onProgress?: (p: { chunk: number; entries: number; done: boolean }) => void;
  },
): Promise<RunView> {
  let run = await findRun(db, o.runId);
  if (!run) throw new FiscusError('NOT_FOUND', { entity: '年终结转 year-end run', key: o.runId });
  if (run.state === 'reversed')
    throw new FiscusError('YEAREND_RUN_STATE', {
      runId: run.runId,
      state: run.state,
      action: '冲销 reverse',
    });
  while (run.state !== 'reversed') {
    const [r] = await executeCommands(
      db,
      [
        {
          id: reverseCommandId(run.runId, run.reverseNext),
          type: 'yearend.reverse',
          region: run.region,
          year: run.year,
          on: o.on,
          payload: { runId: run.runId, chunk: run.reverseNext },
        },
      ],
      { defaultActor: o.actor },
    );
    const res = accepted(r) as { chunk: number; entries: number; done: boolean };
    o.onProgress?.(res);
    run = (await findRun(db, run.runId, run.region))!;
  }
  return run;
}
