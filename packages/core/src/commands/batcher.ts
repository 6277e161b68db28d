import type { CommandResult } from '@fiscus/contracts';
import type { Kysely } from 'kysely';
import type { DB } from '../platform/db/schema';
import { type ExecuteOptions, executeCommands } from './pipeline';

interface Waiting {
  input: unknown;
  resolve(r: CommandResult): void;
  reject(e: unknown): void;
}

interface Queue {
  opts: ExecuteOptions;
  items: Waiting[];
  timer: NodeJS.Timeout | null;
}

/**
 * Group commit for single commands: concurrent submissions within a short window (same options,
 * i.e. same signed-in user) run as one pipeline batch — one transaction per region, one engine
 * call, one audit append — and each caller still gets its own result. Under load this turns N
 * round-trip-bound transactions into one; alone, a command waits at most `windowMs`.
 */
export class CommandBatcher {
  private readonly queues = new Map<string, Queue>();
  private readonly windowMs: number;
  private readonly maxBatch: number;

  constructor(
    private readonly db: Kysely<DB>,
    opts: { windowMs?: number; maxBatch?: number } = {},
  ) {
    this.windowMs = opts.windowMs ?? 2;
    this.maxBatch = opts.maxBatch ?? 500;
  }

  submit(input: unknown, opts: ExecuteOptions = {}): Promise<CommandResult> {
    const key = JSON.stringify(opts);
    let q = this.queues.get(key);
    if (!q) {
      q = { opts, items: [], timer: null };
      this.queues.set(key, q);
    }
    const queue = q;
    return new Promise<CommandResult>((resolve, reject) => {
      queue.items.push({ input, resolve, reject });
      if (queue.items.length >= this.maxBatch) this.flush(key);
      else queue.timer ??= setTimeout(() => this.flush(key), this.windowMs);
    });
  }

  private flush(key: string): void {
    const q = this.queues.get(key);
    if (!q || q.items.length === 0) return;
    if (q.timer) clearTimeout(q.timer);
    this.queues.delete(key);
    const items = q.items;
    executeCommands(
      this.db,
      items.map((w) => w.input),
      q.opts,
    ).then(
      (results) => {
        for (const [i, w] of items.entries()) w.resolve(results[i]!);
      },
      (e) => {
        for (const w of items) w.reject(e);
      },
    );
  }
}
