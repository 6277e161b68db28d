import { formatYuan, parseYuan } from '@fiscus/core/kernel/money';

/**
 * The simulated bank's memory: events (append-only, see store.ts) folded into the current state.
 * Amounts travel as yuan strings in events and are fen (bigint) in memory.
 */
export type BankEvent =
  | {
      readonly type: 'received';
      readonly at: string;
      readonly key: string;
      /** A one-voucher MOF envelope (UTF-8) holding the voucher exactly as received, signatures included. */
      readonly xml: string;
      readonly amount: string;
      readonly payAcctNo: string;
      readonly payAcctName: string;
      readonly payeeAcctNo: string;
      readonly payeeAcctName: string;
    }
  | {
      readonly type: 'paid';
      readonly at: string;
      readonly key: string;
      readonly agentBusinessNo: string;
      /** yyyyMMdd */
      readonly payDate: string;
      readonly amount: string;
    }
  | { readonly type: 'returned'; readonly at: string; readonly key: string; readonly reason: string }
  | {
      readonly type: 'bounced';
      readonly at: string;
      readonly key: string;
      /** 2203 财政直接支付退款通知书 (default) or 2252 收款银行退款通知. */
      readonly vtCode?: '2203' | '2252';
      readonly refundVoucherNo: string;
      readonly agentBusinessNo: string;
      readonly payDate: string;
      readonly reason: string;
    }
  | { readonly type: 'delivered'; readonly at: string; readonly items: readonly string[] }
  | { readonly type: 'crashed'; readonly at: string; readonly afterPaid: number }
  /** A 5106/5108 quota notice from finance (stored, shown, not acted on). */
  | {
      readonly type: 'quota';
      readonly at: string;
      readonly key: string;
      readonly xml: string;
      readonly amount: string;
    }
  /** A PBOC 3502 voucher list and the bank's check of it (the answer it gave). */
  | {
      readonly type: 'voucherCheck';
      readonly at: string;
      readonly key: string;
      readonly date: string;
      readonly result: '0' | '1';
      readonly reason: string;
    }
  /** A 5253/5351 correction from finance (stored, shown; the money already moved). */
  | {
      readonly type: 'correction';
      readonly at: string;
      readonly key: string;
      readonly xml: string;
      readonly oriVoucherNo: string;
    }
  /** A 2301/2302 clearing request built at day-end, signed; `xml` is what goes to the PBOC. */
  | {
      readonly type: 'clearing';
      readonly at: string;
      readonly key: string;
      readonly vtCode: '2301' | '2302';
      /** yyyyMMdd: the business day it clears. */
      readonly date: string;
      readonly payTypeCode: string;
      readonly amount: string;
      /** Voucher keys of the details, in detail order. */
      readonly vouchers: readonly string[];
      readonly xml: string;
      /** Set on the copy the duplicate-clearing / double-refund fault sends. */
      readonly duplicateOf?: string;
    }
  /** The PBOC refused the request when receiving it (its answer, not a receipt). */
  | { readonly type: 'clearingRefused'; readonly at: string; readonly key: string; readonly reason: string }
  /** The PBOC's 回单 of a 2301/2302: accepted (XPayAmt = PayAmt, money moved) or rejected (XPayAmt 0). */
  | {
      readonly type: 'clearingReceipt';
      readonly at: string;
      readonly key: string;
      readonly xml: string;
      readonly accepted: boolean;
      readonly clearDate: string;
      readonly clearedAmt: string;
      readonly addWord: string;
    }
  /** A 2206 daily report or 3513 account statement for Fiscus, built once per date (and account). */
  | {
      readonly type: 'report';
      readonly at: string;
      readonly key: string;
      readonly vtCode: '2206' | '3513';
      readonly date: string;
      readonly xml: string;
      readonly acctNo?: string;
    }
  | { readonly type: 'dayEnd'; readonly at: string; readonly date: string; readonly final: boolean }
  /** The day's 3513 statements were built (the listed keys; none when no account moved). */
  | { readonly type: 'closed'; readonly at: string; readonly date: string; readonly keys: readonly string[] }
  /** Answers the lose-receipt fault swallowed: never sent. */
  | { readonly type: 'lost'; readonly at: string; readonly items: readonly string[] }
  /** Delivered items to send again (a repeated day-end). */
  | { readonly type: 'requeue'; readonly at: string; readonly items: readonly string[] };

export type VoucherState = 'received' | 'paid' | 'returned' | 'bounced';

export interface VoucherRecord {
  readonly key: string;
  readonly xml: string;
  readonly amount: bigint;
  readonly payAcctNo: string;
  readonly payAcctName: string;
  readonly payeeAcctNo: string;
  readonly payeeAcctName: string;
  readonly receivedAt: string;
  state: VoucherState;
  paid?: { readonly agentBusinessNo: string; readonly payDate: string };
  returnReason?: string;
  bounce?: {
    readonly vtCode?: '2203' | '2252';
    readonly refundVoucherNo: string;
    readonly agentBusinessNo: string;
    readonly payDate: string;
    readonly reason: string;
  };
}

/** 零余额账户 kinds: the finance bureau's (payer of 5201) or a unit's (payer of 8202). */
export type ZeroBalanceKind = 'finance' | 'unit';

export interface DayMovement {
  debit: bigint;
  credit: bigint;
}

export interface Account {
  readonly acctNo: string;
  readonly name: string;
  balance: bigint;
  /** Set on zero-balance accounts (payers of 5201/8202), which keep dated movements. */
  zba?: {
    readonly kind: ZeroBalanceKind;
    readonly admDivCode: string;
    readonly stYear: string;
    /** By yyyyMMdd. */
    readonly days: Map<string, DayMovement>;
  };
}

export interface ClearingRecord {
  readonly key: string;
  readonly vtCode: '2301' | '2302';
  readonly voucherNo: string;
  readonly date: string;
  readonly payTypeCode: string;
  readonly amount: bigint;
  readonly vouchers: readonly string[];
  readonly xml: string;
  readonly duplicateOf?: string;
  readonly createdAt: string;
  refused?: string;
  receipt?: {
    readonly accepted: boolean;
    readonly clearDate: string;
    readonly clearedAmt: bigint;
    readonly addWord: string;
    readonly at: string;
  };
}

export interface ReportRecord {
  readonly key: string;
  readonly vtCode: '2206' | '3513';
  readonly date: string;
  readonly xml: string;
  readonly acctNo?: string;
}

export interface BankState {
  /** By voucher key `AdmDivCode|StYear|VtCode|VoucherNo`, in the order received. */
  readonly vouchers: Map<string, VoucherRecord>;
  /** Outbound item ids (see outbound.ts) Fiscus has acknowledged. */
  readonly delivered: Set<string>;
  readonly accounts: Map<string, Account>;
  /** Payments made since the store was created (bounces do not undo the count). */
  paidCount: number;
  crashed: boolean;
  readonly quotas: Map<
    string,
    { readonly key: string; readonly xml: string; readonly amount: bigint; readonly at: string }
  >;
  /** 3502 key → the check the bank answered. */
  readonly voucherChecks: Map<
    string,
    { readonly date: string; readonly result: '0' | '1'; readonly reason: string }
  >;
  readonly corrections: Map<
    string,
    { readonly key: string; readonly xml: string; readonly oriVoucherNo: string; readonly at: string }
  >;
  /** 2301/2302 by their key, in the order built. */
  readonly clearing: Map<string, ClearingRecord>;
  /** Voucher key → the (original, not fault-copy) 2301 that carries it. */
  readonly clearingOf: Map<string, string>;
  /** Voucher key → the (original) 2302 that carries it. */
  readonly refundOf: Map<string, string>;
  /** Voucher key → the first 2301 whose receipt cleared it. */
  readonly clearedBy: Map<string, string>;
  readonly reports: Map<string, ReportRecord>;
  /** Day-ends called, by yyyyMMdd: whether one was final, and whether the day's 3513 were built. */
  readonly days: Map<string, { final: boolean; closed: boolean }>;
  /** Answers never to be sent (lose-receipt fault). */
  readonly lost: Set<string>;
}

export function emptyState(): BankState {
  return {
    vouchers: new Map(),
    delivered: new Set(),
    accounts: new Map(),
    paidCount: 0,
    crashed: false,
    quotas: new Map(),
    corrections: new Map(),
    voucherChecks: new Map(),
    clearing: new Map(),
    clearingOf: new Map(),
    refundOf: new Map(),
    clearedBy: new Map(),
    reports: new Map(),
    days: new Map(),
    lost: new Set(),
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

function move(state: BankState, acctNo: string, name: string, delta: bigint): Account {
  const account = state.accounts.get(acctNo) ?? { acctNo, name, balance: 0n };
  account.balance += delta;
  state.accounts.set(acctNo, account);
  return account;
}

/** VtCode of a voucher key. */
export const vtOf = (key: string): string => key.split('|')[2] ?? '';

/** Moves the payer (zero-balance) account of a 5201/8202 and books the movement on `date`. */
function movePayer(state: BankState, v: VoucherRecord, delta: bigint, date: string): void {
  const account = move(state, v.payAcctNo, v.payAcctName, delta);
  const vt = vtOf(v.key);
  if (vt !== '5201' && vt !== '8202') return;
  if (account.zba === undefined) {
    const [admDivCode = '', stYear = ''] = v.key.split('|');
    account.zba = { kind: vt === '5201' ? 'finance' : 'unit', admDivCode, stYear, days: new Map() };
  }
  const day = account.zba.days.get(date) ?? { debit: 0n, credit: 0n };
  if (delta < 0n) day.debit -= delta;
  else day.credit += delta;
  account.zba.days.set(date, day);
}

/** Folds one event into the state; events about unknown vouchers are ignored (never written). */
export function applyEvent(state: BankState, e: BankEvent): void {
  switch (e.type) {
    case 'received':
      if (state.vouchers.has(e.key)) return;
      state.vouchers.set(e.key, {
        key: e.key,
        xml: e.xml,
        amount: parseYuan(e.amount),
        payAcctNo: e.payAcctNo,
        payAcctName: e.payAcctName,
        payeeAcctNo: e.payeeAcctNo,
        payeeAcctName: e.payeeAcctName,
        receivedAt: e.at,
        state: 'received',
      });
      return;
    case 'paid': {
      const v = state.vouchers.get(e.key);
      if (v === undefined || v.state !== 'received') return;
      v.state = 'paid';
      v.paid = { agentBusinessNo: e.agentBusinessNo, payDate: e.payDate };
      state.paidCount += 1;
      // 零余额账户 debited (the bank advances), payee credited.
      movePayer(state, v, -v.amount, e.payDate);
      move(state, v.payeeAcctNo, v.payeeAcctName, v.amount);
      return;
    }
    case 'returned': {
      const v = state.vouchers.get(e.key);
      if (v === undefined || v.state !== 'received') return;
      v.state = 'returned';
      v.returnReason = e.reason;
      return;
    }
    case 'bounced': {
      const v = state.vouchers.get(e.key);
      if (v === undefined || v.state !== 'paid') return;
      v.state = 'bounced';
      v.bounce = {
        ...(e.vtCode === undefined ? {} : { vtCode: e.vtCode }),
        refundVoucherNo: e.refundVoucherNo,
        agentBusinessNo: e.agentBusinessNo,
        payDate: e.payDate,
        reason: e.reason,
      };
      // The money came back to the 零余额账户.
      move(state, v.payeeAcctNo, v.payeeAcctName, -v.amount);
      movePayer(state, v, v.amount, e.payDate);
      return;
    }
    case 'delivered':
      for (const item of e.items) state.delivered.add(item);
      return;
    case 'crashed':
      state.crashed = true;
      return;
    case 'voucherCheck':
      if (!state.voucherChecks.has(e.key))
        state.voucherChecks.set(e.key, { date: e.date, result: e.result, reason: e.reason });
      return;
    case 'correction':
      if (!state.corrections.has(e.key))
        state.corrections.set(e.key, { key: e.key, xml: e.xml, oriVoucherNo: e.oriVoucherNo, at: e.at });
      return;
    case 'quota':
      if (!state.quotas.has(e.key)) {
        state.quotas.set(e.key, { key: e.key, xml: e.xml, amount: parseYuan(e.amount), at: e.at });
      }
      return;
    case 'clearing': {
      if (state.clearing.has(e.key)) return;
      state.clearing.set(e.key, {
        key: e.key,
        vtCode: e.vtCode,
        voucherNo: e.key.split('|')[3] ?? '',
        date: e.date,
        payTypeCode: e.payTypeCode,
        amount: parseYuan(e.amount),
        vouchers: e.vouchers,
        xml: e.xml,
        createdAt: e.at,
        ...(e.duplicateOf === undefined ? {} : { duplicateOf: e.duplicateOf }),
      });
      if (e.duplicateOf === undefined) {
        const of = e.vtCode === '2301' ? state.clearingOf : state.refundOf;
        for (const k of e.vouchers) if (!of.has(k)) of.set(k, e.key);
      }
      return;
    }
    case 'clearingRefused': {
      const c = state.clearing.get(e.key);
      if (c !== undefined && c.receipt === undefined) c.refused = e.reason;
      return;
    }
    case 'clearingReceipt': {
      const c = state.clearing.get(e.key);
      if (c === undefined || c.receipt !== undefined) return;
      c.receipt = {
        accepted: e.accepted,
        clearDate: e.clearDate,
        clearedAmt: parseYuan(e.clearedAmt),
        addWord: e.addWord,
        at: e.at,
      };
      delete c.refused;
      if (!e.accepted) return;
      for (const k of c.vouchers) {
        const v = state.vouchers.get(k);
        if (v === undefined) continue;
        if (c.vtCode === '2301') {
          // TSA → clearing account → the 零余额账户: the advance is repaid.
          movePayer(state, v, v.amount, c.date);
          if (!state.clearedBy.has(k)) state.clearedBy.set(k, c.key);
        } else {
          // 2302: the returned money goes back to the TSA.
          movePayer(state, v, -v.amount, c.date);
        }
      }
      return;
    }
    case 'report':
      if (!state.reports.has(e.key)) {
        state.reports.set(e.key, {
          key: e.key,
          vtCode: e.vtCode,
          date: e.date,
          xml: e.xml,
          ...(e.acctNo === undefined ? {} : { acctNo: e.acctNo }),
        });
      }
      return;
    case 'dayEnd': {
      const d = state.days.get(e.date) ?? { final: false, closed: false };
      d.final ||= e.final;
      state.days.set(e.date, d);
      return;
    }
    case 'closed': {
      const d = state.days.get(e.date) ?? { final: false, closed: false };
      d.closed = true;
      state.days.set(e.date, d);
      return;
    }
    case 'lost':
      for (const item of e.items) state.lost.add(item);
      return;
    case 'requeue':
      for (const item of e.items) {
        state.delivered.delete(item);
        // A request refused on receipt is sent again and waits for a new answer.
        const c = item.startsWith('pboc:') ? state.clearing.get(item.slice('pboc:'.length)) : undefined;
        if (c !== undefined) delete c.refused;
      }
      return;
  }
}

/** Outbound item ids: the answer to a voucher (receipt or return) and its 2203 bounce. */
export const answerItem = (key: string) => `answer:${key}`;
export const bounceItem = (key: string) => `bounce:${key}`;
/** A 2206 / 3513 for Fiscus. */
export const reportItem = (key: string) => `report:${key}`;
/** A 2301 / 2302 for the PBOC. */
export const pbocItem = (key: string) => `pboc:${key}`;

/**
 * Items owed to Fiscus and not yet acknowledged, answers before bounces, in voucher order, then
 * the day-end reports in the order built. Answers the lose-receipt fault swallowed are not owed.
 */
export function pendingItems(state: BankState): string[] {
  const out: string[] = [];
  for (const v of state.vouchers.values()) {
    if (v.state === 'received') continue;
    const answer = answerItem(v.key);
    if (!state.delivered.has(answer) && !state.lost.has(answer)) out.push(answer);
    if (v.state === 'bounced' && !state.delivered.has(bounceItem(v.key))) out.push(bounceItem(v.key));
  }
  for (const r of state.reports.values()) {
    if (!state.delivered.has(reportItem(r.key))) out.push(reportItem(r.key));
  }
  return out;
}

/**
 * Clearing requests owed to the PBOC, in the order built. A fault copy waits until its original
 * was acknowledged, so the PBOC always sees the original first.
 */
export function pbocPending(state: BankState): string[] {
  const out: string[] = [];
  for (const c of state.clearing.values()) {
    if (state.delivered.has(pbocItem(c.key))) continue;
    if (c.duplicateOf !== undefined && !state.delivered.has(pbocItem(c.duplicateOf))) continue;
    out.push(c.key);
  }
  return out;
}

export type ClearingStatus = 'queued' | 'sent' | 'refused' | 'cleared' | 'rejected';

export function clearingStatus(state: BankState, c: ClearingRecord): ClearingStatus {
  if (c.receipt !== undefined) return c.receipt.accepted ? 'cleared' : 'rejected';
  if (c.refused !== undefined) return 'refused';
  return state.delivered.has(pbocItem(c.key)) ? 'sent' : 'queued';
}

/** No receipt will come any more: cleared, rejected by receipt, or refused on receipt. */
export const clearingSettled = (c: ClearingRecord) => c.receipt !== undefined || c.refused !== undefined;

export function clearingView(state: BankState, c: ClearingRecord) {
  return {
    key: c.key,
    vtCode: c.vtCode,
    voucherNo: c.voucherNo,
    date: c.date,
    payTypeCode: c.payTypeCode,
    amount: formatYuan(c.amount),
    vouchers: c.vouchers.map((k) => k.split('|')[3] ?? k),
    status: clearingStatus(state, c),
    ...(c.duplicateOf === undefined ? {} : { duplicateOf: c.duplicateOf.split('|')[3] ?? c.duplicateOf }),
    ...(c.refused === undefined ? {} : { refusedReason: c.refused }),
    ...(c.receipt === undefined
      ? {}
      : {
          clearDate: c.receipt.clearDate,
          clearedAmt: formatYuan(c.receipt.clearedAmt),
          ...(c.receipt.addWord === '' ? {} : { addWord: c.receipt.addWord }),
        }),
  };
}

/** `GET /sim/state`; `extra` (the bank's accounts) is merged in. */
export function stateView(state: BankState, extra: Record<string, unknown> = {}) {
  const vouchers = [...state.vouchers.values()];
  const count = (s: VoucherState) => vouchers.filter((v) => v.state === s).length;
  return {
    counts: {
      received: vouchers.length,
      paid: count('paid'),
      returned: count('returned'),
      bounced: count('bounced'),
      delivered: state.delivered.size,
      pendingDelivery: pendingItems(state).length,
    },
    paidTotal: state.paidCount,
    crashed: state.crashed,
    vouchers: vouchers.map((v) => ({
      key: v.key,
      state: v.state,
      amount: formatYuan(v.amount),
      delivered:
        v.state !== 'received' &&
        state.delivered.has(answerItem(v.key)) &&
        (v.state !== 'bounced' || state.delivered.has(bounceItem(v.key))),
      ...(v.paid === undefined ? {} : { agentBusinessNo: v.paid.agentBusinessNo, payDate: v.paid.payDate }),
      ...(v.returnReason === undefined ? {} : { returnReason: v.returnReason }),
      ...(v.bounce === undefined ? {} : { refundVoucherNo: v.bounce.refundVoucherNo }),
    })),
    accounts: [...state.accounts.values()].map((a) => ({
      acctNo: a.acctNo,
      name: a.name,
      balance: formatYuan(a.balance),
      ...(a.zba === undefined ? {} : { kind: `${a.zba.kind}-zero-balance` }),
    })),
    zeroBalanceAccounts: [...state.accounts.values()].flatMap((a) =>
      a.zba === undefined
        ? []
        : [
            {
              acctNo: a.acctNo,
              name: a.name,
              kind: a.zba.kind,
              balance: formatYuan(a.balance),
              days: Object.fromEntries(
                [...a.zba.days].map(([d, m]) => [
                  d,
                  { debit: formatYuan(m.debit), credit: formatYuan(m.credit) },
                ]),
              ),
            },
          ],
    ),
    lostReceipts: [...state.lost].map((i) => i.slice('answer:'.length)),
    quotas: [...state.quotas.values()].map((q) => ({ key: q.key, amount: formatYuan(q.amount), at: q.at })),
    voucherChecks: [...state.voucherChecks.entries()].map(([key, c]) => ({ key, ...c })),
    corrections: [...state.corrections.values()].map((c) => ({
      key: c.key,
      oriVoucherNo: c.oriVoucherNo,
      at: c.at,
    })),
    clearing: [...state.clearing.values()].map((c) => clearingView(state, c)),
    reports: [...state.reports.values()].map((r) => ({
      key: r.key,
      vtCode: r.vtCode,
      voucherNo: r.key.split('|')[3] ?? '',
      date: r.date,
      ...(r.acctNo === undefined ? {} : { acctNo: r.acctNo }),
      delivered: state.delivered.has(reportItem(r.key)),
    })),
    days: Object.fromEntries(state.days),
    ...extra,
  };
}
