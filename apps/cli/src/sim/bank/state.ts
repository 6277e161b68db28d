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
      readonly refundVoucherNo: string;
      readonly agentBusinessNo: string;
      readonly payDate: string;
      readonly reason: string;
    }
  | { readonly type: 'delivered'; readonly at: string; readonly items: readonly string[] }
  | { readonly type: 'crashed'; readonly at: string; readonly afterPaid: number };

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
    readonly refundVoucherNo: string;
    readonly agentBusinessNo: string;
    readonly payDate: string;
    readonly reason: string;
  };
}

export interface Account {
  readonly acctNo: string;
  readonly name: string;
  balance: bigint;
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
}

export function emptyState(): BankState {
  return { vouchers: new Map(), delivered: new Set(), accounts: new Map(), paidCount: 0, crashed: false };
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

function move(state: BankState, acctNo: string, name: string, delta: bigint): void {
  const account = state.accounts.get(acctNo) ?? { acctNo, name, balance: 0n };
  account.balance += delta;
  state.accounts.set(acctNo, account);
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
      // 零余额账户 debited, payee credited.
      move(state, v.payAcctNo, v.payAcctName, -v.amount);
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
        refundVoucherNo: e.refundVoucherNo,
        agentBusinessNo: e.agentBusinessNo,
        payDate: e.payDate,
        reason: e.reason,
      };
      move(state, v.payeeAcctNo, v.payeeAcctName, -v.amount);
      move(state, v.payAcctNo, v.payAcctName, v.amount);
      return;
    }
    case 'delivered':
      for (const item of e.items) state.delivered.add(item);
      return;
    case 'crashed':
      state.crashed = true;
      return;
  }
}

/** Outbound item ids: the answer to a voucher (receipt or return) and its 2203 bounce. */
export const answerItem = (key: string) => `answer:${key}`;
export const bounceItem = (key: string) => `bounce:${key}`;

/** Items owed to Fiscus and not yet acknowledged, answers before bounces, in voucher order. */
export function pendingItems(state: BankState): string[] {
  const out: string[] = [];
  for (const v of state.vouchers.values()) {
    if (v.state === 'received') continue;
    if (!state.delivered.has(answerItem(v.key))) out.push(answerItem(v.key));
    if (v.state === 'bounced' && !state.delivered.has(bounceItem(v.key))) out.push(bounceItem(v.key));
  }
  return out;
}

/** `GET /sim/state`. */
export function stateView(state: BankState) {
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
    })),
  };
}
