import { formatYuan } from '@fiscus/core/kernel/money';
import { bounceReason, decideOutcome, type Outcome, type OutcomeRules, shortHash } from './decisions';
import { answerItem, type BankEvent, type VoucherRecord } from './state';
import type { EventStore } from './store';

export interface ProcessorConfig extends OutcomeRules {
  readonly bankCode: string;
  readonly delayMs: number;
  /** yyyyMMdd, or null for today. */
  readonly payDate: string | null;
  readonly crashAfter: number | null;
  /** `clearing`: a voucher chosen to bounce waits until a PBOC receipt cleared it (default `receipt`). */
  readonly bounceAfter?: 'receipt' | 'clearing';
}

export interface ProcessorHooks {
  readonly now: () => Date;
  /** Called right after the crash is recorded; the real one is `process.exit(86)`. */
  readonly crash: () => void;
}

/** yyyyMMdd of a local calendar day. */
export function ymd(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}`;
}

/** 银行业务流水号: bank code, pay date, a running number, unique per payment. */
export function agentBusinessNo(bankCode: string, payDate: string, seq: number): string {
  return `${bankCode}${payDate}${String(seq).padStart(8, '0')}`;
}

/**
 * The teller: pays or returns each received voucher in order once its delay has passed, and
 * bounces paid vouchers whose receipt Fiscus has acknowledged. Every step is one fsync'ed event, so
 * a restart continues where the last run stopped and never pays twice.
 */
export class Processor {
  private halted = false;
  /** Decisions are pure; remembered so the bounce scan does not hash every voucher each tick. */
  private readonly outcomes = new Map<string, Outcome>();

  constructor(
    private readonly store: EventStore,
    private readonly config: ProcessorConfig,
    private readonly hooks: ProcessorHooks,
  ) {}

  private payDate(): string {
    return this.config.payDate ?? ymd(this.hooks.now());
  }

  /** Processes everything that is due; returns ms until the next voucher is due, or null. */
  step(): number | null {
    if (this.halted) return null;
    const now = this.hooks.now();
    let wait: number | null = null;
    for (const v of [...this.store.state.vouchers.values()]) {
      if (v.state === 'received') {
        const due = Date.parse(v.receivedAt) + this.config.delayMs - now.getTime();
        if (due > 0) {
          wait = wait === null ? due : Math.min(wait, due);
          // In order: a later voucher waits for an earlier one.
          break;
        }
        this.decide(v, now);
        if (this.halted) return null;
      }
    }
    this.bounceDue(now);
    return wait;
  }

  private outcome(v: VoucherRecord): Outcome {
    let o = this.outcomes.get(v.key);
    if (o === undefined) {
      o = decideOutcome(v.key, v.payeeAcctName, this.config);
      this.outcomes.set(v.key, o);
    }
    return o;
  }

  private decide(v: VoucherRecord, now: Date): void {
    const outcome = this.outcome(v);
    const at = now.toISOString();
    if (outcome.kind === 'return') {
      this.store.append({ type: 'returned', at, key: v.key, reason: outcome.reason });
      return;
    }
    const payDate = this.payDate();
    const seq = this.store.state.paidCount + 1;
    const paid: BankEvent = {
      type: 'paid',
      at,
      key: v.key,
      agentBusinessNo: agentBusinessNo(this.config.bankCode, payDate, seq),
      payDate,
      amount: formatYuan(v.amount),
    };
    const crash = this.config.crashAfter;
    if (crash !== null && !this.store.state.crashed && seq >= crash) {
      // Paid and recorded, receipt not delivered: the worst moment to die.
      this.store.append(paid, { type: 'crashed', at, afterPaid: seq });
      this.halted = true;
      this.hooks.crash();
      return;
    }
    this.store.append(paid);
  }

  /** 退票: after Fiscus acknowledged the receipt of a voucher chosen to bounce. */
  private bounceDue(now: Date): void {
    const s = this.store.state;
    for (const v of s.vouchers.values()) {
      if (v.state !== 'paid' || !s.delivered.has(answerItem(v.key))) continue;
      if (this.config.bounceAfter === 'clearing' && !s.clearedBy.has(v.key)) continue;
      const outcome = this.outcome(v);
      if (outcome.kind !== 'pay' || !outcome.bounce) continue;
      this.bounce(v, now, bounceReason(this.config.seed, v.key));
    }
  }

  private bounce(v: VoucherRecord, now: Date, reason: string, vtCode: '2203' | '2252' = '2203'): string {
    const n = shortHash(this.config.seed, 'refund-no', v.key, 16).toUpperCase();
    this.store.append({
      type: 'bounced',
      at: now.toISOString(),
      key: v.key,
      ...(vtCode === '2203' ? {} : { vtCode }),
      refundVoucherNo: `TP${n}`,
      agentBusinessNo: `${this.config.bankCode}TP${n}`,
      payDate: this.payDate(),
      reason,
    });
    return `TP${n}`;
  }

  /**
   * `POST /sim/bounce`: 退票 of a paid voucher now (its receipt must have been acknowledged, so the
   * 2203 follows it). Returns the 2203 VoucherNo or why not.
   */
  bounceNow(
    key: string,
    reason: string,
    vtCode: '2203' | '2252' = '2203',
  ): { refundVoucherNo: string } | { error: string; status: number } {
    const s = this.store.state;
    const v = s.vouchers.get(key);
    if (v === undefined) return { status: 404, error: `no voucher ${key}` };
    if (v.state !== 'paid') return { status: 409, error: `voucher ${key} is ${v.state}, not paid` };
    if (!s.delivered.has(answerItem(key))) {
      return { status: 409, error: `the receipt of ${key} was not acknowledged yet` };
    }
    return { refundVoucherNo: this.bounce(v, this.hooks.now(), reason, vtCode) };
  }
}
