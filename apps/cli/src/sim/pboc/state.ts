import { formatYuan, parseYuan } from '@fiscus/core/kernel/money';

/**
 * The simulated treasury's memory: events (append-only, see store.ts) folded into the current
 * state. Amounts travel as yuan strings in events and are fen (bigint) in memory; dates are
 * yyyyMMdd. Every decision (cleared, refunded, refused) is an event of its own, so a replay never
 * decides again.
 */

/** The coding a payment is reported by on the 3410 (from the finance copy of the voucher). */
export interface Coding {
  readonly supDepCode: string;
  readonly expFuncCode: string;
  readonly fundTypeCode: string;
  readonly agencyCode: string;
}

export interface QuotaLine {
  readonly payVoucherNo: string;
  /** The covered voucher's type: 5201/8202 for payments, 5253/5351 for corrections, 2203 refunds. */
  readonly oriVtCode: string;
  readonly amount: string;
}

export interface RequestLine {
  readonly voucherNo: string;
  readonly oriVtCode: string;
  readonly amount: string;
  readonly supDepCode: string;
  readonly expFuncCode: string;
}

/** What the simulator keeps of a received voucher besides its XML. */
export type DocSummary =
  | {
      readonly kind: 'payment';
      readonly amount: string;
      readonly payTypeCode: string;
      readonly bankCode: string;
      readonly coding: Coding;
    }
  | {
      readonly kind: 'quota';
      /** 11 for a 5108, 12 for a 5106. */
      readonly payTypeCode: string;
      readonly bankCode: string;
      readonly amount: string;
      readonly lines: readonly QuotaLine[];
    }
  | {
      readonly kind: 'allocation';
      readonly amount: string;
      readonly payeeAcctNo: string;
      readonly payeeAcctName: string;
    }
  | { readonly kind: 'correction'; readonly amount: string; readonly oriVoucherNo: string }
  | {
      readonly kind: 'clearing';
      readonly payTypeCode: string;
      readonly agentAcctNo: string;
      readonly agentAcctName: string;
      readonly clearAcctNo: string;
      readonly amount: string;
      readonly lines: readonly RequestLine[];
    };

/** One detail of a decided 2301/2302: the payment voucher it clears or refunds. */
export interface DecidedLine {
  readonly paymentKey: string;
  readonly voucherNo: string;
  readonly vtCode: string;
  readonly amount: string;
}

export type PbocEvent =
  | {
      readonly type: 'opened';
      readonly at: string;
      readonly tsaAcctNo: string;
      readonly tsaAcctName: string;
      readonly opening: string;
    }
  | {
      readonly type: 'received';
      readonly at: string;
      readonly key: string;
      readonly vtCode: string;
      /** A one-voucher MOF envelope (UTF-8) holding the voucher exactly as received. */
      readonly xml: string;
      readonly doc: DocSummary;
    }
  | {
      readonly type: 'cleared' | 'refunded';
      readonly at: string;
      readonly key: string;
      /** The PBOC's business date (XClearDate). */
      readonly date: string;
      readonly bankCode: string;
      readonly agentAcctNo: string;
      readonly agentAcctName: string;
      readonly payTypeCode: string;
      readonly amount: string;
      readonly lines: readonly DecidedLine[];
    }
  | {
      readonly type: 'refused';
      readonly at: string;
      readonly key: string;
      readonly date: string;
      readonly reason: string;
    }
  | {
      readonly type: 'allocated';
      readonly at: string;
      readonly key: string;
      readonly date: string;
      readonly amount: string;
    }
  | { readonly type: 'delivered'; readonly at: string; readonly items: readonly string[] }
  /** A receiver's answer to a 3502 / 3504 (XCheckResult 0 相符 / 1 不符, XCheckReason). */
  | {
      readonly type: 'checked';
      readonly at: string;
      readonly item: string;
      readonly result: string;
      readonly reason: string;
    }
  /** The `--crash-after` fault went off after this many clearing decisions (once per store). */
  | { readonly type: 'crashed'; readonly at: string; readonly afterDecided: number }
  | {
      readonly type: 'dayClosed';
      readonly at: string;
      readonly date: string;
      readonly reports: readonly StoredReport[];
      /** Report lines changed by the `alter` fault, e.g. `3501 20260315000123 +0.01`. */
      readonly altered: readonly string[];
    };

export interface StoredReport {
  readonly vtCode: string;
  readonly voucherNo: string;
  /** The agent bank a 3502 goes to (PayBankCode); absent: to Fiscus. */
  readonly bankCode?: string;
  /** Signed one-voucher envelope, resent as is. */
  readonly xml: string;
}

export interface DocRecord {
  readonly key: string;
  readonly vtCode: string;
  readonly xml: string;
  readonly receivedAt: string;
  readonly doc: DocSummary;
}

export type RequestState = 'cleared' | 'refunded' | 'refused';

/** A 2301/2302 and what the PBOC decided. */
export interface RequestRecord {
  readonly key: string;
  readonly vtCode: string;
  readonly xml: string;
  state: RequestState | 'received';
  date?: string;
  amount: bigint;
  bankCode?: string;
  reason?: string;
}

/** A payment voucher cleared by a 2301 (and perhaps refunded by a 2302 later). */
export interface ClearedRecord {
  readonly paymentKey: string;
  readonly voucherNo: string;
  readonly vtCode: string;
  readonly amount: bigint;
  readonly date: string;
  readonly request: string;
  readonly bankCode: string;
  readonly payTypeCode: string;
  readonly coding: Coding;
  refund?: { readonly request: string; readonly date: string; readonly amount: bigint };
}

/** Which positive notice detail covers a payment voucher. */
export interface Cover {
  readonly notice: string;
  readonly bankCode: string;
  readonly payTypeCode: string;
  readonly amount: bigint;
}

export interface Account {
  readonly acctNo: string;
  readonly name: string;
  readonly kind: 'tsa' | 'clearing';
  readonly bankCode: string;
  balance: bigint;
}

export interface Quota {
  readonly bankCode: string;
  readonly payTypeCode: string;
  issued: bigint;
  cleared: bigint;
  refunded: bigint;
}

/** A movement of the TSA, for the 3513 statement. */
export interface Movement {
  readonly date: string;
  readonly delta: bigint;
  readonly ref: string;
}

export interface PbocState {
  tsa: { acctNo: string; name: string; opening: bigint } | null;
  /** Every received voucher but 2301/2302, by key `AdmDivCode|StYear|VtCode|VoucherNo`. */
  readonly docs: Map<string, DocRecord>;
  readonly requests: Map<string, RequestRecord>;
  /** By pay type and the payment voucher's key (coverKey). */
  readonly covers: Map<string, Cover>;
  readonly cleared: Map<string, ClearedRecord>;
  readonly accounts: Map<string, Account>;
  readonly quotas: Map<string, Quota>;
  readonly tsaMovements: Movement[];
  readonly delivered: Set<string>;
  /** By date (yyyyMMdd). */
  readonly closedDays: Map<string, { reports: readonly StoredReport[]; altered: readonly string[] }>;
  /** 2301/2302 decided cleared or refunded since the store was created (`--crash-after`). */
  decided: number;
  crashed: boolean;
  /** Report item → the receiver's check of it (3502 by the bank, 3504 by finance). */
  readonly checks: Map<string, { result: string; reason: string; at: string }>;
}

export function emptyState(): PbocState {
  return {
    tsa: null,
    docs: new Map(),
    requests: new Map(),
    covers: new Map(),
    cleared: new Map(),
    accounts: new Map(),
    quotas: new Map(),
    tsaMovements: [],
    delivered: new Set(),
    closedDays: new Map(),
    decided: 0,
    crashed: false,
    checks: new Map(),
  };
}

export function voucherKey(h: {
  readonly AdmDivCode?: unknown;
  readonly StYear?: unknown;
  readonly VtCode?: unknown;
  readonly VoucherNo?: unknown;
}): string {
  return [h.AdmDivCode, h.StYear, h.VtCode, h.VoucherNo]
    .map((v) => (typeof v === 'string' ? v : ''))
    .join('|');
}

/** 11 直接支付 ↔ 5201 ↔ 5108; 12 授权支付 ↔ 8202 ↔ 5106. */
export const PAYMENT_VT: Readonly<Record<string, string>> = { '11': '5201', '12': '8202' };
export const QUOTA_VT: Readonly<Record<string, string>> = { '11': '5108', '12': '5106' };

/** A notice of pay type 11 (5108) covers for 2301s of pay type 11 only, 12 (5106) for 12. */
export const coverKey = (payTypeCode: string, paymentKey: string) => `${payTypeCode}|${paymentKey}`;

export const quotaKey = (bankCode: string, payTypeCode: string) => `${bankCode}|${payTypeCode}`;

function quota(state: PbocState, bankCode: string, payTypeCode: string): Quota {
  const key = quotaKey(bankCode, payTypeCode);
  let q = state.quotas.get(key);
  if (q === undefined) {
    q = { bankCode, payTypeCode, issued: 0n, cleared: 0n, refunded: 0n };
    state.quotas.set(key, q);
  }
  return q;
}

function move(
  state: PbocState,
  acct: { acctNo: string; name: string; kind: 'tsa' | 'clearing'; bankCode: string },
  delta: bigint,
): void {
  const a = state.accounts.get(acct.acctNo) ?? { ...acct, balance: 0n };
  a.balance += delta;
  state.accounts.set(acct.acctNo, a);
}

function moveTsa(state: PbocState, date: string, delta: bigint, ref: string): void {
  if (state.tsa === null) return;
  move(state, { acctNo: state.tsa.acctNo, name: state.tsa.name, kind: 'tsa', bankCode: '' }, delta);
  state.tsaMovements.push({ date, delta, ref });
}

const NO_CODING: Coding = { supDepCode: '', expFuncCode: '', fundTypeCode: '', agencyCode: '' };

/** Folds one event into the state; events that do not fit (never written so) are ignored. */
export function applyEvent(state: PbocState, e: PbocEvent): void {
  switch (e.type) {
    case 'opened': {
      if (state.tsa !== null) return;
      const opening = parseYuan(e.opening);
      state.tsa = { acctNo: e.tsaAcctNo, name: e.tsaAcctName, opening };
      state.accounts.set(e.tsaAcctNo, {
        acctNo: e.tsaAcctNo,
        name: e.tsaAcctName,
        kind: 'tsa',
        bankCode: '',
        balance: opening,
      });
      return;
    }
    case 'received': {
      if (state.docs.has(e.key) || state.requests.has(e.key)) return;
      if (e.doc.kind === 'clearing') {
        state.requests.set(e.key, {
          key: e.key,
          vtCode: e.vtCode,
          xml: e.xml,
          state: 'received',
          amount: parseYuan(e.doc.amount),
        });
        return;
      }
      state.docs.set(e.key, { key: e.key, vtCode: e.vtCode, xml: e.xml, receivedAt: e.at, doc: e.doc });
      if (e.doc.kind === 'quota') {
        const [adm = '', year = ''] = e.key.split('|');
        const q = quota(state, e.doc.bankCode, e.doc.payTypeCode);
        for (const line of e.doc.lines) {
          const amount = parseYuan(line.amount);
          q.issued += amount;
          // Only positive lines cover a payment (a zero line is a correction, a negative one a reduction).
          if (amount <= 0n) continue;
          const cover = coverKey(e.doc.payTypeCode, `${adm}|${year}|${line.oriVtCode}|${line.payVoucherNo}`);
          if (!state.covers.has(cover)) {
            state.covers.set(cover, {
              notice: e.key,
              bankCode: e.doc.bankCode,
              payTypeCode: e.doc.payTypeCode,
              amount,
            });
          }
        }
      }
      return;
    }
    case 'cleared':
    case 'refunded': {
      const r = state.requests.get(e.key);
      if (r === undefined || r.state !== 'received') return;
      const amount = parseYuan(e.amount);
      state.decided += 1;
      r.state = e.type;
      r.date = e.date;
      r.bankCode = e.bankCode;
      const clearing = {
        acctNo: e.agentAcctNo,
        name: e.agentAcctName,
        kind: 'clearing' as const,
        bankCode: e.bankCode,
      };
      const q = quota(state, e.bankCode, e.payTypeCode);
      if (e.type === 'cleared') {
        for (const line of e.lines) {
          const doc = state.docs.get(line.paymentKey)?.doc;
          state.cleared.set(line.paymentKey, {
            paymentKey: line.paymentKey,
            voucherNo: line.voucherNo,
            vtCode: line.vtCode,
            amount: parseYuan(line.amount),
            date: e.date,
            request: e.key,
            bankCode: e.bankCode,
            payTypeCode: e.payTypeCode,
            coding: doc?.kind === 'payment' ? doc.coding : NO_CODING,
          });
        }
        moveTsa(state, e.date, -amount, e.key);
        move(state, clearing, amount);
        q.cleared += amount;
      } else {
        for (const line of e.lines) {
          const c = state.cleared.get(line.paymentKey);
          if (c !== undefined) c.refund = { request: e.key, date: e.date, amount: parseYuan(line.amount) };
        }
        moveTsa(state, e.date, amount, e.key);
        move(state, clearing, -amount);
        q.refunded += amount;
      }
      return;
    }
    case 'refused': {
      const r = state.requests.get(e.key);
      if (r === undefined || r.state !== 'received') return;
      r.state = 'refused';
      r.date = e.date;
      r.reason = e.reason;
      return;
    }
    case 'allocated': {
      if (!state.docs.has(e.key)) return;
      moveTsa(state, e.date, -parseYuan(e.amount), e.key);
      return;
    }
    case 'delivered':
      for (const item of e.items) state.delivered.add(item);
      return;
    case 'crashed':
      state.crashed = true;
      return;
    case 'checked':
      state.checks.set(e.item, { result: e.result, reason: e.reason, at: e.at });
      return;
    case 'dayClosed':
      if (!state.closedDays.has(e.date)) {
        state.closedDays.set(e.date, { reports: e.reports, altered: e.altered });
      }
      return;
  }
}

/** yyyyMMdd of a local calendar day. */
export function ymd(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}`;
}

export function nextDay(date: string): string {
  const d = new Date(
    Date.UTC(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6, 8)) + 1),
  );
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}`;
}

/**
 * The business date: the configured (or today's) date, but never a day already closed — after
 * day-end D whatever arrives is booked on D + 1, so a closed day's reports never change.
 */
export function businessDate(state: PbocState, base: string, closing: Iterable<string> = []): string {
  const closed = [...state.closedDays.keys(), ...closing].sort();
  let date = base;
  for (const d of closed) {
    if (d >= date) date = nextDay(d);
  }
  return date;
}

/** Outbound item ids: a 2301/2302 receipt to the bank, a day-end report to Fiscus. */
export const receiptItem = (key: string) => `receipt:${key}`;
export const reportItem = (date: string, vtCode: string, voucherNo: string) =>
  `report:${date}|${vtCode}|${voucherNo}`;

/** `GET /sim/state`. */
export function stateView(
  state: PbocState,
  extra: { businessDate: string; lost: (key: string) => boolean; pending: readonly string[] },
) {
  const requests = [...state.requests.values()];
  const docs = [...state.docs.values()];
  const count = (kind: DocSummary['kind']) => docs.filter((d) => d.doc.kind === kind).length;
  return {
    businessDate: extra.businessDate,
    counts: {
      payments: count('payment'),
      notices: count('quota'),
      allocations: count('allocation'),
      corrections: count('correction'),
      requests: requests.length,
      cleared: requests.filter((r) => r.state === 'cleared').length,
      refunded: requests.filter((r) => r.state === 'refunded').length,
      refused: requests.filter((r) => r.state === 'refused').length,
      clearedVouchers: state.cleared.size,
      pendingDelivery: extra.pending.length,
    },
    crashed: state.crashed,
    balances: [...state.accounts.values()].map((a) => ({
      acctNo: a.acctNo,
      name: a.name,
      kind: a.kind,
      ...(a.bankCode === '' ? {} : { bankCode: a.bankCode }),
      balance: formatYuan(a.balance),
    })),
    quotas: [...state.quotas.values()].map((q) => ({
      bankCode: q.bankCode,
      payTypeCode: q.payTypeCode,
      issued: formatYuan(q.issued),
      cleared: formatYuan(q.cleared),
      refunded: formatYuan(q.refunded),
      remaining: formatYuan(q.issued - q.cleared + q.refunded),
    })),
    cleared: [...state.cleared.values()].map((c) => ({
      key: c.paymentKey,
      vtCode: c.vtCode,
      voucherNo: c.voucherNo,
      amount: formatYuan(c.amount),
      clearDate: c.date,
      request: c.request,
      bankCode: c.bankCode,
      payTypeCode: c.payTypeCode,
      ...(c.refund === undefined
        ? {}
        : {
            refund: { request: c.refund.request, date: c.refund.date, amount: formatYuan(c.refund.amount) },
          }),
    })),
    requests: requests.map((r) => ({
      key: r.key,
      vtCode: r.vtCode,
      state: r.state,
      amount: formatYuan(r.amount),
      ...(r.date === undefined ? {} : { clearDate: r.date }),
      ...(r.bankCode === undefined ? {} : { bankCode: r.bankCode }),
      ...(r.reason === undefined ? {} : { reason: r.reason }),
      receipt: extra.lost(r.key) ? 'lost' : state.delivered.has(receiptItem(r.key)) ? 'delivered' : 'pending',
    })),
    days: [...state.closedDays.entries()].map(([date, day]) => ({
      date,
      reports: day.reports.map((rep) => {
        const item = reportItem(date, rep.vtCode, rep.voucherNo);
        const check = state.checks.get(item);
        return {
          vtCode: rep.vtCode,
          voucherNo: rep.voucherNo,
          ...(rep.bankCode === undefined ? {} : { bankCode: rep.bankCode }),
          delivered: state.delivered.has(item),
          ...(check === undefined ? {} : { checkResult: check.result, checkReason: check.reason }),
        };
      }),
      altered: day.altered,
    })),
  };
}
