import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

/**
 * A simulator's store, `<data>/events.jsonl`: one event per line, appended and fsync'ed before
 * anyone is told. Opening replays it into the state; a torn last line (the process died
 * mid-write) is cut off, since nobody was answered for it. Shared by the bank and the PBOC.
 */
export class EventLog<E, S> {
  private fd: number | null;

  private constructor(
    readonly path: string,
    fd: number,
    readonly state: S,
    private readonly apply: (state: S, event: E) => void,
  ) {
    this.fd = fd;
  }

  static open<E, S>(dataDir: string, empty: () => S, apply: (state: S, event: E) => void): EventLog<E, S> {
    mkdirSync(dataDir, { recursive: true });
    const path = join(dataDir, 'events.jsonl');
    const events: E[] = [];
    if (existsSync(path)) {
      const text = readFileSync(path, 'utf8');
      let good = 0;
      let at = 0;
      while (at < text.length) {
        const nl = text.indexOf('\n', at);
        if (nl < 0) break;
        const line = text.slice(at, nl);
        if (line.trim() !== '') {
          try {
            events.push(JSON.parse(line) as E);
          } catch {
            break;
          }
        }
        at = nl + 1;
        good = Buffer.byteLength(text.slice(0, at));
      }
      if (good < Buffer.byteLength(text)) truncateSync(path, good);
    }
    const log = new EventLog<E, S>(path, openSync(path, 'a'), empty(), apply);
    for (const e of events) apply(log.state, e);
    return log;
  }

  /** Appends and fsyncs the events, then folds them into the state. Synchronous on purpose. */
  append(...events: E[]): void {
    if (events.length === 0) return;
    if (this.fd === null) throw new Error('event store is closed');
    writeSync(this.fd, events.map((e) => `${JSON.stringify(e)}\n`).join(''));
    fsyncSync(this.fd);
    for (const e of events) this.apply(this.state, e);
  }

  close(): void {
    if (this.fd === null) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = null;
  }
}
