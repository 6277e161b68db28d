import { encodeEnvelope } from '@fiscus/core/exchange/voucher/envelope';
import type { EnvelopeEntry } from '@fiscus/core/exchange/voucher/model';
import { acknowledged, backoffMs, FISCUS_INBOX_PATH as INBOX_PATH } from '../shared/delivery';
import type { FaultPlan } from './faults';
import {
  type BankIdentity,
  type BuildFaults,
  buildBounce,
  buildReceipt,
  buildReturn,
  corrupt,
  storedEntry,
} from './receipts';
import { pendingItems } from './state';
import type { EventStore } from './store';

export interface DeliveryConfig {
  /** Base URL of Fiscus. */
  readonly fiscusUrl: string;
  /** Most vouchers per message. */
  readonly batch: number;
}

export interface DeliveryHooks {
  readonly now: () => number;
  readonly random: () => number;
  readonly log: (event: Record<string, unknown>) => void;
}

interface Attempt {
  count: number;
  nextAt: number;
  /** Sent alone after a whole message was refused, so it cannot block the others. */
  solo: boolean;
}

type Sent =
  | { readonly kind: 'answered'; readonly results: readonly unknown[] }
  | { readonly kind: 'refused'; readonly status: number; readonly body: string }
  | { readonly kind: 'failed'; readonly error: string };

/**
 * The outbox: whatever the store says is owed to Fiscus (pendingItems) and not acknowledged is
 * sent in batches and retried with backoff until acknowledged. Nothing outbound is stored besides
 * the acknowledgement: the messages are rebuilt from the events, so they survive a restart.
 */
export class Delivery {
  private readonly attempts = new Map<string, Attempt>();
  /** Aborts a request in flight when the bank shuts down. */
  private readonly stopping = new AbortController();

  constructor(
    private readonly store: EventStore,
    private readonly bank: BankIdentity,
    private readonly faults: FaultPlan,
    private readonly config: DeliveryConfig,
    private readonly hooks: DeliveryHooks,
  ) {}

  private attempt(item: string): Attempt {
    let a = this.attempts.get(item);
    if (a === undefined) {
      a = { count: 0, nextAt: 0, solo: false };
      this.attempts.set(item, a);
    }
    return a;
  }

  /** Sends what is due; returns ms until the next retry is due, or null when nothing is owed. */
  async step(): Promise<number | null> {
    const now = this.hooks.now();
    this.loseReceipts();
    const pending = pendingItems(this.store.state);
    if (pending.length === 0) return null;
    const due = pending.filter((i) => this.attempt(i).nextAt <= now);
    if (due.length === 0) {
      const next = pending.reduce((m, i) => Math.min(m, this.attempt(i).nextAt), Number.POSITIVE_INFINITY);
      return Math.max(1, next - now);
    }
    const groups: string[][] = [];
    let batch: string[] = [];
    for (const item of due) {
      if (this.attempt(item).solo) {
        groups.push([item]);
        continue;
      }
      batch.push(item);
      if (batch.length >= this.config.batch) {
        groups.push(batch);
        batch = [];
      }
    }
    if (batch.length > 0) groups.push(batch);
    for (const group of groups) await this.send(group);
    return 0;
  }

  /** lose-receipt: a payment receipt chosen by the seed is recorded as lost and never sent. */
  private loseReceipts(): void {
    const s = this.store.state;
    const lost = pendingItems(s).filter(
      (item) => item.startsWith('answer:') && this.isPaid(item) && this.faults.planned('loseReceipt', item),
    );
    if (lost.length === 0) return;
    this.store.append({ type: 'lost', at: new Date(this.hooks.now()).toISOString(), items: lost });
    this.hooks.log({ event: 'fault', loseReceipt: lost });
  }

  private async entry(item: string, faults: BuildFaults): Promise<EnvelopeEntry> {
    const [kind, ...rest] = item.split(':');
    const key = rest.join(':');
    if (kind === 'report') {
      const r = this.store.state.reports.get(key);
      if (r === undefined) throw new Error(`outbound item for an unknown report ${key}`);
      const entry = storedEntry(r.xml);
      return faults.breakSignature ? { ...entry, voucher: corrupt(entry.voucher) } : entry;
    }
    const v = this.store.state.vouchers.get(key);
    if (v === undefined) throw new Error(`outbound item for an unknown voucher ${key}`);
    const original = storedEntry(v.xml);
    if (kind === 'bounce' && v.bounce !== undefined) {
      return buildBounce(original, { ...v.bounce, amount: v.amount }, this.bank, faults);
    }
    if (v.state === 'returned') return buildReturn(original, v.returnReason ?? '', this.bank, faults);
    if (v.paid === undefined) throw new Error(`voucher ${key} has no payment to answer`);
    return buildReceipt(original, { amount: v.amount, ...v.paid }, this.bank, faults);
  }

  private async post(entries: readonly EnvelopeEntry[]): Promise<Sent> {
    try {
      const res = await fetch(`${this.config.fiscusUrl}${INBOX_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/xml' },
        body: encodeEnvelope(entries, { encoding: 'UTF-8' }),
        signal: AbortSignal.any([AbortSignal.timeout(30_000), this.stopping.signal]),
      });
      const body = await res.text();
      if (res.status !== 200) return { kind: 'refused', status: res.status, body: body.slice(0, 500) };
      const json = JSON.parse(body) as { results?: unknown };
      if (!Array.isArray(json.results)) return { kind: 'failed', error: 'answer without results' };
      return { kind: 'answered', results: json.results };
    } catch (e) {
      return { kind: 'failed', error: e instanceof Error ? e.message : String(e) };
    }
  }

  private async send(group: readonly string[]): Promise<void> {
    const entries: EnvelopeEntry[] = [];
    const altered: string[] = [];
    const broken: string[] = [];
    for (const item of group) {
      const first = this.attempt(item).count === 0;
      const faults: BuildFaults = {
        alterAmount:
          first && item.startsWith('answer:') && this.isPaid(item) && this.faults.take('alter', item),
        breakSignature: first && this.faults.take('breakSignature', item),
      };
      if (faults.alterAmount) altered.push(item);
      if (faults.breakSignature) broken.push(item);
      entries.push(await this.entry(item, faults));
    }
    if (altered.length + broken.length > 0) {
      this.hooks.log({ event: 'fault', alter: altered, breakSignature: broken });
    }
    const sent = await this.post(entries);
    const delivered: string[] = [];
    const failed: string[] = [];
    if (sent.kind === 'answered') {
      for (const [i, item] of group.entries()) {
        (acknowledged(sent.results[i]) ? delivered : failed).push(item);
      }
    } else if (sent.kind === 'refused' && sent.status >= 400 && sent.status < 500 && group.length > 1) {
      // One bad voucher refuses the whole message: retry each on its own, right away.
      for (const item of group) {
        const a = this.attempt(item);
        a.count += 1;
        a.solo = true;
        a.nextAt = 0;
      }
      this.hooks.log({ event: 'split', status: sent.status, items: group.length, body: sent.body });
      return;
    } else {
      failed.push(...group);
    }
    if (delivered.length > 0) {
      this.store.append({
        type: 'delivered',
        at: new Date(this.hooks.now()).toISOString(),
        items: delivered,
      });
      this.hooks.log({ event: 'delivered', items: delivered });
    }
    const now = this.hooks.now();
    for (const item of failed) {
      const a = this.attempt(item);
      a.count += 1;
      a.nextAt = now + backoffMs(a.count, this.hooks.random);
    }
    if (failed.length > 0) {
      const why =
        sent.kind === 'answered'
          ? failed.map((item) => sent.results[group.indexOf(item)] ?? null)
          : sent.kind === 'refused'
            ? `${sent.status} ${sent.body}`
            : sent.error;
      this.hooks.log({ event: 'retry', items: failed, why });
    }
    const twice = delivered.filter((item) => this.faults.take('duplicate', item));
    if (twice.length > 0) {
      // 重复发送: the same answers once more; Fiscus must treat them as duplicates.
      const again = await this.post(await Promise.all(twice.map((item) => this.entry(item, {}))));
      this.hooks.log({ event: 'fault', duplicate: twice, answer: again.kind });
    }
  }

  private isPaid(item: string): boolean {
    const v = this.store.state.vouchers.get(item.slice('answer:'.length));
    return v?.paid !== undefined;
  }

  /** Gives up the request in flight (it is retried after a restart). */
  stop(): void {
    this.stopping.abort();
  }

  /** Attempts so far per item (for tests and /sim/state). */
  attemptsOf(item: string): number {
    return this.attempts.get(item)?.count ?? 0;
  }
}
