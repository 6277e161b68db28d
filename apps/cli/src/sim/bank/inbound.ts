import type { TrustedKeys } from '@fiscus/core/exchange/crypto/signer';
import { decodeEnvelope, encodeEnvelope } from '@fiscus/core/exchange/voucher/envelope';
import type { EnvelopeEntry } from '@fiscus/core/exchange/voucher/model';
import { verifyVoucher } from '@fiscus/core/exchange/voucher/signing';
import { ATTR, buildXml, parseXml, splitNode } from '@fiscus/core/exchange/voucher/xml';
import { formatYuan } from '@fiscus/core/kernel/money';
import type { BankEvent, BankState } from './state';
import { voucherKey } from './state';

/** The finance bureau signs what it sends at this position. */
export const FINANCE_POSITION = 'finance';
/** Voucher types an agent bank pays. */
export const ACCEPTED_VT_CODES: ReadonlySet<string> = new Set(['5201', '8202', '5207']);

/** One line of the answer to Fiscus: 1 已接收, 2 接收失败. */
export interface ReceiveResult {
  readonly admDivCode: string;
  readonly stYear: string;
  readonly vtCode: string;
  readonly voucherNo: string;
  readonly status: 1 | 2;
  readonly reason?: string;
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

/** Why a decoded voucher cannot be received, or null. */
export function rejection(entry: EnvelopeEntry, trusted: TrustedKeys): string | null {
  const h = entry.voucher.header;
  if (entry.flag !== 'send') return '凭证标志应为 0（发送单） VoucherFlag must be 0';
  if (!ACCEPTED_VT_CODES.has(text(h.VtCode))) return `不受理的凭证类型 VtCode ${text(h.VtCode)}`;
  if (typeof h.PayAmt !== 'bigint' || h.PayAmt <= 0n) return '支付金额应大于零 PayAmt must be positive';
  const report = verifyVoucher(entry.voucher, trusted);
  const bad = report.failed.filter((f) => f.reason === 'BAD_SIGNATURE' || f.position === FINANCE_POSITION);
  if (bad.length > 0) {
    return `验签失败 signature invalid: ${bad.map((f) => `${f.position}/${f.keyId} ${f.reason}`).join(', ')}`;
  }
  if (!report.verified.includes(FINANCE_POSITION)) {
    return `缺少财政签章 no verified signature at position ${FINANCE_POSITION}`;
  }
  return null;
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
