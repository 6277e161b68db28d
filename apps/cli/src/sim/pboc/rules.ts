import { formatYuan, parseYuan } from '@fiscus/core/kernel/money';
import {
  coverKey,
  type DecidedLine,
  type DocSummary,
  PAYMENT_VT,
  type PbocEvent,
  type PbocState,
  QUOTA_VT,
} from './state';

/**
 * The treasury's checks of a clearing request (DOMAIN.md §4.6, clearing-protocol.md step 5):
 *
 * 2301 申请划款: every detail names a payment voucher the PBOC has a finance copy of (5201 for pay
 * type 11, 8202 for 12), covered by a positive detail of a quota notice of the same pay type (5108 /
 * 5106) with the same amount, not cleared before. 2302 申请退款: every detail was cleared, is not
 * refunded yet, and asks back exactly the cleared amount. The first failing detail refuses the
 * whole request and nothing moves.
 */

type Clearing = Extract<DocSummary, { kind: 'clearing' }>;

export type Decision =
  | {
      readonly ok: true;
      readonly bankCode: string;
      readonly lines: readonly DecidedLine[];
    }
  | { readonly ok: false; readonly reason: string };

const refuse = (reason: string): Decision => ({ ok: false, reason });
const yuan = (fen: bigint) => formatYuan(fen);

function header(req: Clearing, tsaAcctNo: string): string | null {
  if (PAYMENT_VT[req.payTypeCode] === undefined) {
    return `支付方式应为 11 或 12 PayTypeCode must be 11 or 12, got ${JSON.stringify(req.payTypeCode)}`;
  }
  if (req.agentAcctNo === '') return '缺少代理银行清算账户 AgentAcctNo is empty';
  if (req.clearAcctNo !== '' && req.clearAcctNo !== tsaAcctNo) {
    return `清算账户不是国库单一账户 ClearAcctNo ${req.clearAcctNo} is not the TSA ${tsaAcctNo}`;
  }
  return null;
}

/** Decides a 2301 (clearing) or 2302 (refund clearing) against the current state. Pure. */
export function decide(
  state: PbocState,
  vtCode: string,
  key: string,
  req: Clearing,
  tsaAcctNo: string,
): Decision {
  const bad = header(req, tsaAcctNo);
  if (bad !== null) return refuse(bad);
  const [adm = '', year = ''] = key.split('|');
  const expectedVt = PAYMENT_VT[req.payTypeCode] ?? '';
  const seen = new Set<string>();
  const lines: DecidedLine[] = [];
  let bankCode: string | null = null;
  for (const [i, line] of req.lines.entries()) {
    const at = `明细 ${i + 1} 凭证 ${line.voucherNo}`;
    const vt = line.oriVtCode === '' ? expectedVt : line.oriVtCode;
    if (vt !== expectedVt) {
      return refuse(
        `${at}: 凭证类型与支付方式不符 OriVtCode ${vt} does not go with PayTypeCode ${req.payTypeCode}`,
      );
    }
    const paymentKey = `${adm}|${year}|${vt}|${line.voucherNo}`;
    if (seen.has(paymentKey)) return refuse(`${at}: 明细重复 voucher listed twice in this request`);
    seen.add(paymentKey);
    const amount = parseYuan(line.amount);
    if (amount <= 0n) return refuse(`${at}: 金额应大于零 PayAmt must be positive`);
    const cleared = state.cleared.get(paymentKey);
    let lineBank: string;
    if (vtCode === '2301') {
      const copy = state.docs.get(paymentKey)?.doc;
      if (copy?.kind !== 'payment')
        return refuse(`${at}: 未收到该凭证 unknown voucher (no finance copy of ${vt})`);
      if (parseYuan(copy.amount) !== amount) {
        return refuse(`${at}: 金额不符 amount differs: requested ${yuan(amount)}, voucher ${copy.amount}`);
      }
      const cover = state.covers.get(coverKey(req.payTypeCode, paymentKey));
      if (cover === undefined) {
        return refuse(`${at}: 无清算额度 no quota notice (${QUOTA_VT[req.payTypeCode]}) covers this voucher`);
      }
      if (cover.amount !== amount) {
        return refuse(
          `${at}: 金额不符 amount differs: requested ${yuan(amount)}, quota notice ${yuan(cover.amount)} (${cover.notice})`,
        );
      }
      if (cleared !== undefined) {
        return refuse(`${at}: 已清算 cleared before by ${cleared.request} on ${cleared.date}`);
      }
      lineBank = cover.bankCode;
    } else {
      if (cleared === undefined) return refuse(`${at}: 未清算 not cleared, nothing to refund`);
      if (cleared.refund !== undefined) {
        return refuse(
          `${at}: 重复退款 refunded before by ${cleared.refund.request} on ${cleared.refund.date}`,
        );
      }
      if (cleared.payTypeCode !== req.payTypeCode) {
        return refuse(`${at}: 支付方式不符 cleared as pay type ${cleared.payTypeCode}`);
      }
      if (cleared.amount !== amount) {
        return refuse(
          `${at}: 退款金额不符 refund amount ${yuan(amount)} differs from the cleared amount ${yuan(cleared.amount)}`,
        );
      }
      lineBank = cleared.bankCode;
    }
    if (bankCode !== null && lineBank !== bankCode) {
      return refuse(`${at}: 代理银行不一致 voucher of bank ${lineBank}, the others of ${bankCode}`);
    }
    bankCode = lineBank;
    lines.push({ paymentKey, voucherNo: line.voucherNo, vtCode: vt, amount: yuan(amount) });
  }
  const total = lines.reduce((s, l) => s + parseYuan(l.amount), 0n);
  if (total !== parseYuan(req.amount)) {
    return refuse(`合计不符 PayAmt ${req.amount} ≠ Σ details ${yuan(total)}`);
  }
  return { ok: true, bankCode: bankCode ?? '', lines };
}

/** The decision as the event to store right after the `received` event. */
export function decisionEvent(
  state: PbocState,
  vtCode: string,
  key: string,
  req: Clearing,
  tsaAcctNo: string,
  date: string,
  at: string,
): PbocEvent {
  const d = decide(state, vtCode, key, req, tsaAcctNo);
  if (!d.ok) return { type: 'refused', at, key, date, reason: d.reason };
  return {
    type: vtCode === '2301' ? 'cleared' : 'refunded',
    at,
    key,
    date,
    bankCode: d.bankCode,
    agentAcctNo: req.agentAcctNo,
    agentAcctName: req.agentAcctName,
    payTypeCode: req.payTypeCode,
    amount: req.amount,
    lines: d.lines,
  };
}
