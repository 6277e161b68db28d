import { backoffMs } from '../shared/delivery';
import { MESSAGES_PATH } from '../shared/server';
import { pbocItem, pbocPending } from './state';
import type { EventStore } from './store';

export interface PbocDeliveryHooks {
  readonly now: () => number;
  readonly random: () => number;
  readonly log: (event: Record<string, unknown>) => void;
}

/** How the PBOC answered one voucher: taken (`ok: true`, `status: 1` or `accepted`), refused, or unclear. */
export function pbocAnswer(result: unknown): { kind: 'taken' } | { kind: 'refused'; reason: string } | null {
  if (typeof result !== 'object' || result === null) return null;
  const r = result as { ok?: unknown; status?: unknown; reason?: unknown; error?: unknown };
  if (r.ok === true || r.status === 1 || r.status === 'accepted') return { kind: 'taken' };
  if (r.ok === false || r.status === 2 || r.status === 'rejected') {
    const e = r.error as { code?: unknown; message?: unknown } | undefined;
    const reason =
      typeof r.reason === 'string'
        ? r.reason
        : e !== undefined && typeof e === 'object'
          ? [e.code, typeof e.message === 'string' ? e.message : JSON.stringify(e.message)]
              .filter((x) => x !== undefined)
              .join(': ')
          : 'refused';
    return { kind: 'refused', reason };
  }
  return null;
}

/**
 * The clearing outbox: every stored 2301/2302 goes to `{pboc}/voucher-library/messages`, one per
 * message, in the order built, retried with the same backoff as receipts to Fiscus (network error,
 * non-200, an answer it cannot read). A refusal in the PBOC's answer is final (recorded, shown in
 * /sim/state) until a repeated day-end queues the request again; the PBOC's 回单 comes back later
 * as its own message.
 */
export class PbocDelivery {
  private readonly attempts = new Map<string, { count: number; nextAt: number }>();
  private readonly stopping = new AbortController();

  constructor(
    private readonly store: EventStore,
    private readonly pbocUrl: string,
    private readonly hooks: PbocDeliveryHooks,
  ) {}

  private attempt(key: string) {
    let a = this.attempts.get(key);
    if (a === undefined) {
      a = { count: 0, nextAt: 0 };
      this.attempts.set(key, a);
    }
    return a;
  }

  async step(): Promise<number | null> {
    const pending = pbocPending(this.store.state);
    if (pending.length === 0) return null;
    const now = this.hooks.now();
    const due = pending.filter((k) => this.attempt(k).nextAt <= now);
    if (due.length === 0) {
      const next = pending.reduce((m, k) => Math.min(m, this.attempt(k).nextAt), Number.POSITIVE_INFINITY);
      return Math.max(1, next - now);
    }
    for (const key of due) await this.send(key);
    return 0;
  }

  private async send(key: string): Promise<void> {
    const c = this.store.state.clearing.get(key);
    if (c === undefined) return;
    let why: string;
    try {
      const res = await fetch(`${this.pbocUrl}${MESSAGES_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/xml' },
        body: c.xml,
        signal: AbortSignal.any([AbortSignal.timeout(30_000), this.stopping.signal]),
      });
      const body = await res.text();
      if (res.status === 200) {
        const json = JSON.parse(body) as { results?: unknown };
        const answer = Array.isArray(json.results) ? pbocAnswer(json.results[0]) : null;
        if (answer !== null) {
          const at = new Date(this.hooks.now()).toISOString();
          this.store.append(
            { type: 'delivered', at, items: [pbocItem(key)] },
            ...(answer.kind === 'refused'
              ? [{ type: 'clearingRefused' as const, at, key, reason: answer.reason }]
              : []),
          );
          this.hooks.log({
            event: answer.kind === 'taken' ? 'clearing-sent' : 'clearing-refused',
            voucherNo: c.voucherNo,
            ...(answer.kind === 'refused' ? { reason: answer.reason } : {}),
          });
          return;
        }
        why = `unreadable answer ${body.slice(0, 300)}`;
      } else {
        why = `${res.status} ${body.slice(0, 300)}`;
      }
    } catch (e) {
      why = e instanceof Error ? e.message : String(e);
    }
    const a = this.attempt(key);
    a.count += 1;
    a.nextAt = this.hooks.now() + backoffMs(a.count, this.hooks.random);
    this.hooks.log({ event: 'retry', to: 'pboc', items: [c.voucherNo], why });
  }

  stop(): void {
    this.stopping.abort();
  }

  attemptsOf(key: string): number {
    return this.attempts.get(key)?.count ?? 0;
  }
}
