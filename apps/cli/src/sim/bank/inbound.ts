import type { TrustedKeys } from '@fiscus/core/exchange/crypto/signer';
import { decodeEnvelope, encodeEnvelope } from '@fiscus/core/exchange/voucher/envelope';
import type { EnvelopeEntry } from '@fiscus/core/exchange/voucher/model';
import { verifyVoucher } from '@fiscus/core/exchange/voucher/signing';
import { ATTR, buildXml, parseXml, splitNode } from '@fiscus/core/exchange/voucher/xml';
import { formatYuan } from '@fiscus/core/kernel/money';
import type { BankEvent, BankState } from './state';
import { voucherKey } from './state';
import { checkVoucherList } from './voucher-check';

/** The finance bureau signs what it sends at this position. */
export const FINANCE_POSITION = 'finance';
/** The PBOC signs its clearing receipts (2301/2302 回单) at this position. */
export const PBOC_POSITION = 'pboc';
/** Voucher types an agent bank pays. */
export const ACCEPTED_VT_CODES: ReadonlySet<string> = new Set(['5201', '8202', '5207']);
/** 清算额度通知单 finance sends the bank (stored). */
export const QUOTA_VT_CODES: ReadonlySet<string> = new Set(['5106', '5108']);
/** Clearing requests whose PBOC 回单 come back. */
export const CLEARING_VT_CODES: ReadonlySet<string> = new Set(['2301', '2302']);
/** 3502 人民银行与代理银行凭证对账: the PBOC's list of our cleared vouchers, answered with our check. */
export const CHECK_VT_CODES: ReadonlySet<string> = new Set(['3502']);
/** 5253 财政直接支付调整凭证 / 5351 授权支付调整书: re-code a voucher we paid; no money moves. */
export const CORRECTION_VT_CODES: ReadonlySet<string> = new Set(['5253', '5351']);

/**
 * One line of the answer: 1 已接收, 2 接收失败. Answers to quota notices and clearing receipts
 * also carry `ok` (the PBOC's reading of an answer).
 */
export interface ReceiveResult {
  readonly admDivCode: string;
  readonly stYear: string;
  readonly vtCode: string;
  readonly voucherNo: string;
  readonly status: 1 | 2;
  readonly ok?: boolean;
  readonly reason?: string;
  /** A 3502's check: XCheckResult 0 相符 / 1 不符, and why not. */
  readonly checkResult?: '0' | '1';
  readonly checkReason?: string;
}

export type InboundAnswer =
  | { readonly kind: 'refused'; readonly error: string }
  | {
      readonly kind: 'answered';
      readonly results: ReceiveResult[];
      /** Events to store (fsync'ed) before the answer is sent. */
      readonly events: BankEvent[];
      readonly keys: string[];
    };

type Body = { entry: EnvelopeEntry } | { errors: string; attrs: Record<string, string> };

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * Decodes a message body by body, so one malformed voucher is answered 2 while its neighbours
 * are received. Null when the message as a whole is not a MOF envelope.
 */
export function decodeBodies(bytes: Uint8Array): Body[] | null {
  const whole = decodeEnvelope(bytes);
  if (whole.ok) return whole.value.map((entry) => ({ entry }));
  const doc = parseXml(bytes, 'MOF');
  if (!doc.ok) return null;
  const mof = splitNode(doc.value.MOF);
  const bodies = mof.children.VoucherBody;
  if (!Array.isArray(bodies) || bodies.length === 0) return null;
  return bodies.map((node) => {
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(splitNode(node).attrs)) attrs[k.replace(ATTR, '')] = text(v);
    const one = decodeEnvelope(buildXml({ MOF: { VoucherCount: '1', VoucherBody: [node] } }, 'UTF-8'));
    if (one.ok && one.value[0] !== undefined) return { entry: one.value[0] };
    const errors = one.ok
      ? 'empty'
      : one.errors
          .slice(0, 3)
          .map((e) => `${e.path.replace(/^MOF\/VoucherBody\[0\]\/?/, '')}: ${e.message}`)
          .join('; ');
    return { errors, attrs };
  });
}

function keyOf(h: Record<string, unknown>) {
  return {
    admDivCode: text(h.AdmDivCode),
    stYear: text(h.StYear),
    vtCode: text(h.VtCode),
    voucherNo: text(h.VoucherNo),
  };
}

/** Why the signatures do not do: any bad one, or none verified at `position`; null when fine. */
function signatureProblem(entry: EnvelopeEntry, trusted: TrustedKeys, position: string): string | null {
  const report = verifyVoucher(entry.voucher, trusted);
  const bad = report.failed.filter((f) => f.reason === 'BAD_SIGNATURE' || f.position === position);
  if (bad.length > 0) {
    return `验签失败 signature invalid: ${bad.map((f) => `${f.position}/${f.keyId} ${f.reason}`).join(', ')}`;
  }
  if (!report.verified.includes(position)) {
    return `缺少${position === FINANCE_POSITION ? '财政' : '人民银行'}签章 no verified signature at position ${position}`;
  }
  return null;
}

/** Why a decoded voucher cannot be received, or null. */
export function rejection(entry: EnvelopeEntry, trusted: TrustedKeys): string | null {
  const h = entry.voucher.header;
  if (entry.flag !== 'send') return '凭证标志应为 0（发送单） VoucherFlag must be 0';
  if (!ACCEPTED_VT_CODES.has(text(h.VtCode))) return `不受理的凭证类型 VtCode ${text(h.VtCode)}`;
  if (typeof h.PayAmt !== 'bigint' || h.PayAmt <= 0n) return '支付金额应大于零 PayAmt must be positive';
  return signatureProblem(entry, trusted, FINANCE_POSITION);
}

/** A 5106/5108 from finance: sent (flag 0) and signed by finance; any amount (0 and < 0 too). */
export function quotaRejection(entry: EnvelopeEntry, trusted: TrustedKeys): string | null {
  if (entry.flag !== 'send') return '凭证标志应为 0（发送单） VoucherFlag must be 0';
  return signatureProblem(entry, trusted, FINANCE_POSITION);
}

/** A 5253/5351 from finance: sent, signed by finance, of a voucher this bank paid. */
export function correctionRejection(
  entry: EnvelopeEntry,
  state: BankState,
  trusted: TrustedKeys,
): string | null {
  const h = entry.voucher.header;
  if (entry.flag !== 'send') return '凭证标志应为 0（发送单） VoucherFlag must be 0';
  const ori = voucherKey({ ...h, VtCode: h.OriVtCode, VoucherNo: h.OriVoucherNo });
  if (state.vouchers.get(ori)?.paid === undefined)
    return `原凭证未由本行支付 the original voucher ${text(h.OriVoucherNo)} was not paid here`;
  return signatureProblem(entry, trusted, FINANCE_POSITION);
}

/**
 * The PBOC's 回单 of a clearing request we sent: flag 1, signed at `pboc` (and our own signature
 * intact), PayAmt as requested, XPayAmt either the amount (cleared) or 0 (rejected, XAddWord why).
 * Returns the receipt event's fields or the reason it is refused.
 */
export function clearingReceipt(
  entry: EnvelopeEntry,
  state: BankState,
  trusted: TrustedKeys,
): { reason: string } | { accepted: boolean; clearDate: string; clearedAmt: bigint; addWord: string } {
  const h = entry.voucher.header;
  if (entry.flag !== 'receipt')
    return { reason: '应为人民银行回单（VoucherFlag 1） expected a PBOC receipt' };
  const request = state.clearing.get(voucherKey(h));
  if (request === undefined)
    return { reason: `未知的清算申请 unknown clearing request ${text(h.VoucherNo)}` };
  const sig = signatureProblem(entry, trusted, PBOC_POSITION);
  if (sig !== null) return { reason: sig };
  if (h.PayAmt !== request.amount) {
    return { reason: `金额与申请不符 PayAmt ≠ requested ${formatYuan(request.amount)}` };
  }
  const x = typeof h.XPayAmt === 'bigint' ? h.XPayAmt : 0n;
  if (x !== 0n && x !== request.amount) {
    return { reason: `清算金额应为 0 或申请金额 XPayAmt must be 0 or ${formatYuan(request.amount)}` };
  }
  return {
    accepted: x !== 0n || request.amount === 0n,
    clearDate: text(h.XClearDate),
    clearedAmt: x,
    addWord: text(h.XAddWord),
  };
}

export interface ReceiveOptions {
  /** Keys a PBOC receipt is verified with (the trusted keys plus the bank's own); default `trusted`. */
  readonly receiptTrust?: TrustedKeys;
}

/**
 * Answers one inbound message against the current state. Pure apart from reading `state`: the
 * caller stores the events and only then replies. A voucher already received is answered 1 again
 * and stored once (idempotent by AdmDivCode, StYear, VtCode, VoucherNo).
 */
export function receiveMessage(
  bytes: Uint8Array,
  state: BankState,
  trusted: TrustedKeys,
  at: string,
  options: ReceiveOptions = {},
): InboundAnswer {
  const bodies = decodeBodies(bytes);
  if (bodies === null) return { kind: 'refused', error: 'not a MOF voucher envelope' };
  const results: ReceiveResult[] = [];
  const events: BankEvent[] = [];
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const body of bodies) {
    if ('errors' in body) {
      results.push({ ...keyOf(body.attrs), status: 2, reason: `格式错误 layout invalid: ${body.errors}` });
      continue;
    }
    const { entry } = body;
    const h = entry.voucher.header;
    const key = voucherKey(h);
    keys.push(key);
    const vt = text(h.VtCode);
    if (CHECK_VT_CODES.has(vt)) {
      const done = state.voucherChecks.get(key);
      if (done !== undefined) {
        results.push({
          ...keyOf(h),
          status: 1,
          ok: true,
          checkResult: done.result,
          checkReason: done.reason,
        });
        continue;
      }
      const reason =
        entry.flag !== 'send'
          ? '凭证标志应为 0（发送单） VoucherFlag must be 0'
          : signatureProblem(entry, options.receiptTrust ?? trusted, PBOC_POSITION);
      if (reason !== null) {
        results.push({ ...keyOf(h), status: 2, ok: false, reason });
        continue;
      }
      // Receipts earlier in this message count: they are stored with it.
      const arriving = new Map(
        events.flatMap((e) =>
          e.type === 'clearingReceipt'
            ? [[e.key, { accepted: e.accepted, clearDate: e.clearDate }] as const]
            : [],
        ),
      );
      const check = checkVoucherList(entry, state, arriving);
      if (!seen.has(key)) events.push({ type: 'voucherCheck', at, key, date: text(h.CheckDate), ...check });
      seen.add(key);
      results.push({
        ...keyOf(h),
        status: 1,
        ok: true,
        checkResult: check.result,
        checkReason: check.reason,
      });
      continue;
    }
    if (QUOTA_VT_CODES.has(vt) || CLEARING_VT_CODES.has(vt) || CORRECTION_VT_CODES.has(vt)) {
      const known = QUOTA_VT_CODES.has(vt)
        ? state.quotas.has(key)
        : CORRECTION_VT_CODES.has(vt)
          ? state.corrections.has(key)
          : state.clearing.get(key)?.receipt !== undefined;
      if (known || seen.has(key)) {
        results.push({ ...keyOf(h), status: 1, ok: true });
        continue;
      }
      const xml = new TextDecoder().decode(encodeEnvelope([entry], { encoding: 'UTF-8' }));
      if (CORRECTION_VT_CODES.has(vt)) {
        const reason = correctionRejection(entry, state, trusted);
        if (reason !== null) {
          results.push({ ...keyOf(h), status: 2, ok: false, reason });
          continue;
        }
        events.push({ type: 'correction', at, key, xml, oriVoucherNo: text(h.OriVoucherNo) });
      } else if (QUOTA_VT_CODES.has(vt)) {
        const reason = quotaRejection(entry, trusted);
        if (reason !== null) {
          results.push({ ...keyOf(h), status: 2, ok: false, reason });
          continue;
        }
        events.push({ type: 'quota', at, key, xml, amount: formatYuan(h.PayAmt as bigint) });
      } else {
        const r = clearingReceipt(entry, state, options.receiptTrust ?? trusted);
        if ('reason' in r) {
          results.push({ ...keyOf(h), status: 2, ok: false, reason: r.reason });
          continue;
        }
        events.push({
          type: 'clearingReceipt',
          at,
          key,
          xml,
          accepted: r.accepted,
          clearDate: r.clearDate,
          clearedAmt: formatYuan(r.clearedAmt),
          addWord: r.addWord,
        });
      }
      seen.add(key);
      results.push({ ...keyOf(h), status: 1, ok: true });
      continue;
    }
    if (state.vouchers.has(key) || seen.has(key)) {
      results.push({ ...keyOf(h), status: 1 });
      continue;
    }
    const reason = rejection(entry, trusted);
    if (reason !== null) {
      results.push({ ...keyOf(h), status: 2, reason });
      continue;
    }
    seen.add(key);
    events.push({
      type: 'received',
      at,
      key,
      xml: new TextDecoder().decode(encodeEnvelope([entry], { encoding: 'UTF-8' })),
      amount: formatYuan(h.PayAmt as bigint),
      payAcctNo: text(h.PayAcctNo),
      payAcctName: text(h.PayAcctName),
      payeeAcctNo: text(h.PayeeAcctNo),
      payeeAcctName: text(h.PayeeAcctName),
    });
    results.push({ ...keyOf(h), status: 1 });
  }
  return { kind: 'answered', results, events, keys };
}
