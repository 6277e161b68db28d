import { encodeEnvelope } from '@fiscus/core/exchange/voucher/envelope';
import type { EnvelopeEntry } from '@fiscus/core/exchange/voucher/model';
import { acknowledged, backoffMs, FISCUS_INBOX_PATH } from '../shared/delivery';
import type { FaultPlan } from './faults';
import { buildReceipt, corrupt, type PbocIdentity, storedEntry } from './receipts';
import { type PbocState, receiptItem, reportItem } from './state';
import type { EventStore } from './store';

export interface DeliveryConfig {
  /** Receipt destinations by bank code; `*` for any other bank. */
  readonly bankUrls: ReadonlyMap<string, string>;
  readonly fiscusUrl: string;
  readonly batch: number;
}

export interface DeliveryHooks {
  readonly now: () => number;
  readonly random: () => number;
  readonly log: (event: Record<string, unknown>) => void;
}

export const LIBRARY_PATH = '/voucher-library/messages';

/** Items owed and not acknowledged: receipts (unless lost) in arrival order, then closed days' reports. */
export function pendingItems(state: PbocState, lost: (key: string) => boolean): string[] {
  const out: string[] = [];
  for (const r of state.requests.values()) {
    if (r.state === 'received' || lost(r.key)) continue;
    if (!state.delivered.has(receiptItem(r.key))) out.push(receiptItem(r.key));
  }
  for (const [date, day] of state.closedDays) {
    for (const rep of day.reports) {
      const item = reportItem(date, rep.vtCode, rep.voucherNo);
      if (!state.delivered.has(item)) out.push(item);
    }
  }
  return out;
}

/** XCheckResult / XCheckReason of an answer: the bank's `{checkResult}` or Fiscus's `{result: {checkResult}}`. */
export function checkOf(answer: unknown): { result: string; reason: string } | null {
  if (typeof answer !== 'object' || answer === null) return null;
  const a = answer as { checkResult?: unknown; checkReason?: unknown; result?: unknown };
  const c = (typeof a.result === 'object' && a.result !== null ? a.result : a) as {
    checkResult?: unknown;
    checkReason?: unknown;
  };
  if (typeof c.checkResult !== 'string') return null;
  return { result: c.checkResult, reason: typeof c.checkReason === 'string' ? c.checkReason : '' };
}

interface Attempt {
  count: number;
  nextAt: number;
  solo: boolean;
}

type Sent =
  | { readonly kind: 'answered'; readonly results: readonly unknown[] }
  | { readonly kind: 'refused'; readonly status: number; readonly body: string }
  | { readonly kind: 'failed'; readonly error: string };

/**
 * The outbox, built like the bank simulator's: whatever the store says is owed (pendingItems) is
 * sent in batches per destination and retried with backoff until acknowledged; only the
 * acknowledgement is stored, the messages are rebuilt from the events (receipts) or taken from the
 * `dayClosed` event (reports), so they survive a restart.
 */
export class Delivery {
  private readonly attempts = new Map<string, Attempt>();
  private readonly stopping = new AbortController();

  constructor(
    private readonly store: EventStore,
    private readonly pboc: PbocIdentity,
    private readonly faults: FaultPlan,
    private readonly config: DeliveryConfig,
    private readonly hooks: DeliveryHooks,
  ) {}

  lost = (key: string): boolean => this.faults.planned('loseReceipt', key);

  pending(): string[] {
    return pendingItems(this.store.state, this.lost);
  }

  private attempt(item: string): Attempt {
    let a = this.attempts.get(item);
    if (a === undefined) {
      a = { count: 0, nextAt: 0, solo: false };
      this.attempts.set(item, a);
    }
    return a;
  }

  /** Where an item goes. */
  destination(item: string): string {
    const bank = (code: string | undefined) =>
      `${this.config.bankUrls.get(code ?? '') ?? this.config.bankUrls.get('*') ?? ''}${LIBRARY_PATH}`;
    if (item.startsWith('report:')) {
      const rep = this.report(item);
      return rep?.bankCode === undefined
        ? `${this.config.fiscusUrl}${FISCUS_INBOX_PATH}`
        : bank(rep.bankCode);
    }
    return bank(this.store.state.requests.get(item.slice('receipt:'.length))?.bankCode);
  }

  private report(item: string) {
    const [date = '', vtCode, voucherNo] = item.slice('report:'.length).split('|');
    return this.store.state.closedDays
      .get(date)
      ?.reports.find((x) => x.vtCode === vtCode && x.voucherNo === voucherNo);
  }

  /** Sends what is due; returns ms until the next retry is due, or null when nothing is owed. */
  async step(): Promise<number | null> {
    const now = this.hooks.now();
    const pending = this.pending();
    if (pending.length === 0) return null;
    const due = pending.filter((i) => this.attempt(i).nextAt <= now);
    if (due.length === 0) {
      const next = pending.reduce((m, i) => Math.min(m, this.attempt(i).nextAt), Number.POSITIVE_INFINITY);
      return Math.max(1, next - now);
    }
    const byDest = new Map<string, string[]>();
    for (const item of due) {
      const dest = this.destination(item);
      byDest.set(dest, [...(byDest.get(dest) ?? []), item]);
    }
    for (const [dest, items] of byDest) {
      let batch: string[] = [];
      const groups: string[][] = [];
      for (const item of items) {
        if (this.attempt(item).solo) groups.push([item]);
        else {
          batch.push(item);
          if (batch.length >= this.config.batch) {
            groups.push(batch);
            batch = [];
          }
        }
      }
      if (batch.length > 0) groups.push(batch);
      for (const group of groups) await this.send(dest, group);
    }
    return 0;
  }

  /** The entry for an item as it goes out now. */
  async entry(item: string, breakSignature = false): Promise<EnvelopeEntry> {
    if (item.startsWith('receipt:')) {
      const key = item.slice('receipt:'.length);
      const r = this.store.state.requests.get(key);
      if (r === undefined) throw new Error(`receipt for an unknown request ${key}`);
      return buildReceipt(r, this.pboc, { breakSignature });
    }
    const rep = this.report(item);
    if (rep === undefined) throw new Error(`unknown report ${item}`);
    const entry = storedEntry(rep.xml);
    return breakSignature ? corrupt(entry) : entry;
  }

  private async post(url: string, entries: readonly EnvelopeEntry[]): Promise<Sent> {
    try {
      const res = await fetch(url, {
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

  private async send(url: string, group: readonly string[]): Promise<void> {
    const entries: EnvelopeEntry[] = [];
    const broken: string[] = [];
    for (const item of group) {
      const brk = this.attempt(item).count === 0 && this.faults.take('breakSignature', item);
      if (brk) broken.push(item);
      entries.push(await this.entry(item, brk));
    }
    if (broken.length > 0) this.hooks.log({ event: 'fault', breakSignature: broken });
    const sent = await this.post(url, entries);
    const delivered: string[] = [];
    const failed: string[] = [];
    if (sent.kind === 'answered') {
      for (const [i, item] of group.entries())
        (acknowledged(sent.results[i]) ? delivered : failed).push(item);
    } else if (sent.kind === 'refused' && sent.status >= 400 && sent.status < 500 && group.length > 1) {
      // One bad voucher refuses the whole message: retry each on its own, right away.
      for (const item of group) {
        const a = this.attempt(item);
        a.count += 1;
        a.solo = true;
        a.nextAt = 0;
      }
      this.hooks.log({ event: 'split', url, status: sent.status, items: group.length, body: sent.body });
      return;
    } else {
      failed.push(...group);
    }
    if (delivered.length > 0) {
      const at = new Date(this.hooks.now()).toISOString();
      this.store.append({ type: 'delivered', at, items: delivered });
      this.hooks.log({ event: 'delivered', url, items: delivered });
      // A 3502 / 3504 is answered with the receiver's check of it: kept, shown in /sim/state.
      for (const item of delivered) {
        const check = checkOf(sent.kind === 'answered' ? sent.results[group.indexOf(item)] : undefined);
        if (check) {
          this.store.append({ type: 'checked', at, item, ...check });
          this.hooks.log({ event: 'checked', item, ...check });
        }
      }
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
      this.hooks.log({ event: 'retry', url, items: failed, why });
    }
    const twice = delivered.filter((item) => this.faults.take('duplicate', item));
    if (twice.length > 0) {
      // 重复发送: the same vouchers once more; the receiver must treat them as duplicates.
      const again = await this.post(url, await Promise.all(twice.map((item) => this.entry(item))));
      this.hooks.log({ event: 'fault', duplicate: twice, answer: again.kind });
    }
  }

  /**
   * Sends already delivered items once more (a repeated day-end); not stored, not retried — they
   * were acknowledged before. Returns whether the receiver acknowledged them again.
   */
  async resend(items: readonly string[]): Promise<boolean> {
    const byDest = new Map<string, string[]>();
    for (const item of items) {
      const dest = this.destination(item);
      byDest.set(dest, [...(byDest.get(dest) ?? []), item]);
    }
    let ok = true;
    for (const [dest, group] of byDest) {
      const sent = await this.post(dest, await Promise.all(group.map((item) => this.entry(item))));
      const acked = sent.kind === 'answered' && group.every((_, i) => acknowledged(sent.results[i]));
      this.hooks.log({ event: 'resent', url: dest, items: group, acknowledged: acked });
      ok &&= acked;
    }
    return ok;
  }

  stop(): void {
    this.stopping.abort();
  }

  attemptsOf(item: string): number {
    return this.attempts.get(item)?.count ?? 0;
  }
}
