import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { CommandResult } from '@fiscus/contracts';
import type { DB } from '@fiscus/core';
import { executeCommands, UnparsableInput } from '@fiscus/core';
import cliProgress from 'cli-progress';
import type { Kysely } from 'kysely';

export interface RunOptions {
  as?: string;
  strict?: boolean;
  out?: string;
  batch?: string;
}

export interface RunSummary {
  lines: number;
  accepted: number;
  replayed: number;
  rejected: number;
}

async function countLines(file: string): Promise<number> {
  let n = 0;
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of rl) if (line.trim()) n++;
  return n;
}

/**
 * Run a JSON Lines file of commands through the pipeline, in batches, writing one result per
 * line (with its line number) in input order. A line that is not JSON is refused like any
 * malformed command — audited, reported, and the run goes on.
 */
export async function runFile(db: Kysely<DB>, file: string, opts: RunOptions): Promise<RunSummary> {
  const out = opts.out ? createWriteStream(opts.out) : process.stdout;
  const batchSize = Math.max(1, Number(opts.batch ?? 500));
  const tty = Boolean(process.stderr.isTTY);
  const total = tty ? await countLines(file) : 0;
  const bar = tty
    ? new cliProgress.SingleBar(
        { format: '{bar} {value}/{total} 条命令 | {eta_formatted}' },
        cliProgress.Presets.shades_classic,
      )
    : null;
  bar?.start(total, 0);
  const summary: RunSummary = { lines: 0, accepted: 0, replayed: 0, rejected: 0 };
  let batch: { line: number; input: unknown }[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const results = await executeCommands(
      db,
      batch.map((b) => b.input),
      { ...(opts.as ? { defaultActor: opts.as } : {}), allowSetupActor: true },
    );
    results.forEach((r: CommandResult, i) => {
      if (r.status === 'rejected') summary.rejected++;
      else if (r.replayed) summary.replayed++;
      else summary.accepted++;
      out.write(`${JSON.stringify({ line: batch[i]!.line, ...r })}\n`);
    });
    bar?.increment(batch.length);
    batch = [];
  };
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  let lineNo = 0;
  for await (const line of rl) {
    lineNo++;
    if (!line.trim()) continue;
    summary.lines++;
    let input: unknown;
    try {
      input = JSON.parse(line);
    } catch {
      input = new UnparsableInput(line);
    }
    batch.push({ line: lineNo, input });
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  bar?.stop();
  if (out !== process.stdout) await new Promise<void>((res) => (out as NodeJS.WritableStream).end(res));
  return summary;
}
