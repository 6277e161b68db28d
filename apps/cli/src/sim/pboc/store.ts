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
import { applyEvent, emptyState, type PbocEvent, type PbocState } from './state';

/**
 * `<data>/events.jsonl`: one event per line, appended and fsync'ed before anyone is told. Opening
 * replays it; a torn last line (the process died mid-write) is cut off, since nobody was answered
 * for it.
 */
export class EventStore {
  readonly state: PbocState = emptyState();
  private fd: number | null;

  private constructor(
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  static open(dataDir: string): EventStore {
    mkdirSync(dataDir, { recursive: true });
    const path = join(dataDir, 'events.jsonl');
    const events: PbocEvent[] = [];
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
            events.push(JSON.parse(line) as PbocEvent);
          } catch {
            break;
          }
        }
        at = nl + 1;
        good = Buffer.byteLength(text.slice(0, at));
      }
      if (good < Buffer.byteLength(text)) truncateSync(path, good);
    }
    const store = new EventStore(path, openSync(path, 'a'));
    for (const e of events) applyEvent(store.state, e);
    return store;
  }

  /** Appends and fsyncs the events, then folds them into the state. Synchronous on purpose. */
  append(...events: PbocEvent[]): void {
    if (events.length === 0) return;
    if (this.fd === null) throw new Error('event store is closed');
    writeSync(this.fd, events.map((e) => `${JSON.stringify(e)}\n`).join(''));
    fsyncSync(this.fd);
    for (const e of events) applyEvent(this.state, e);
  }

  close(): void {
    if (this.fd === null) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = null;
  }
}
