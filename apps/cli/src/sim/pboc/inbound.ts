import type { TrustedKeys } from '@fiscus/core/exchange/crypto/signer';
import { decodeEnvelope, encodeEnvelope } from '@fiscus/core/exchange/voucher/envelope';
import type { EnvelopeEntry, VoucherFields } from '@fiscus/core/exchange/voucher/model';
import { verifyVoucher } from '@fiscus/core/exchange/voucher/signing';
import { ATTR, buildXml, parseXml, splitNode } from '@fiscus/core/exchange/voucher/xml';
import { formatYuan } from '@fiscus/core/kernel/money';
import { decisionEvent } from './rules';
import { type DocSummary, type PbocEvent, type PbocState, voucherKey } from './state';

/** Who must have signed what the PBOC receives. */
export const FINANCE_POSITION = 'finance';
export const BANK_POSITION = 'bank';
export const SIGNER_OF: Readonly<Record<string, string>> = {
  '5201': FINANCE_POSITION,
  '8202': FINANCE_POSITION,
  '5207': FINANCE_POSITION,
  '5108': FINANCE_POSITION,
  '5106': FINANCE_POSITION,
  '5253': FINANCE_POSITION,
  '5351': FINANCE_POSITION,
  '2301': BANK_POSITION,
  '2302': BANK_POSITION,
};

/**
 * One line of the answer: `status` 1 已接收 / 2 接收失败 like the bank simulator, and `ok` as in
 * the protocol. A received 2301/2302 also says what the PBOC decided (`outcome`); the decision
 * itself travels back later as the signed receipt.
 */
export interface ReceiveResult {
  readonly admDivCode: string;
  readonly stYear: string;
  readonly vtCode: string;
  readonly voucherNo: string;
  readonly ok: boolean;
  readonly status: 1 | 2;
  readonly reason?: string;
  readonly outcome?: 'cleared' | 'refunded' | 'refused';
  readonly outcomeReason?: string;
}

type Body = { entry: EnvelopeEntry } | { errors: string; attrs: Record<string, string> };

const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const money = (v: unknown): string => formatYuan(typeof v === 'bigint' ? v : 0n);

/**
 * Decodes a message body by body, so one malformed voucher is answered 2 while its neighbours are
 * received. Null when the message as a whole is not a MOF envelope.
 */
export function decodeBodies(bytes: Uint8Array): Body[] | null {
  const whole = decodeEnvelope(bytes);
  if (whole.ok) return whole.value.map((entry) => ({ entry }));
  const doc = parseXml(bytes, 'MOF');
  if (!doc.ok) return null;
  const bodies = splitNode(doc.value.MOF).children.VoucherBody;
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
  const vt = text(h.VtCode);
  const position = SIGNER_OF[vt];
  if (entry.flag !== 'send') return '凭证标志应为 0（发送单） VoucherFlag must be 0';
  if (position === undefined) return `不受理的凭证类型 VtCode ${vt}`;
  const report = verifyVoucher(entry.voucher, trusted);
  const bad = report.failed.filter((f) => f.reason === 'BAD_SIGNATURE' || f.position === position);
  if (bad.length > 0) {
    return `验签失败 signature invalid: ${bad.map((f) => `${f.position}/${f.keyId} ${f.reason}`).join(', ')}`;
  }
  if (!report.verified.includes(position)) return `缺少签章 no verified signature at position ${position}`;
  if ((vt === '5201' || vt === '8202' || vt === '5207') && !(typeof h.PayAmt === 'bigint' && h.PayAmt > 0n)) {
    return '支付金额应大于零 PayAmt must be positive';
  }
  return null;
}

/** What the simulator keeps of a voucher (besides its XML). */
export function summarize(entry: EnvelopeEntry): DocSummary {
  const h = entry.voucher.header;
  const d = entry.voucher.details;
  const vt = text(h.VtCode);
  switch (vt) {
    case '5201':
    case '8202':
      return {
        kind: 'payment',
        amount: money(h.PayAmt),
        payTypeCode: text(h.PayTypeCode) || (vt === '5201' ? '11' : '12'),
        bankCode: text(h.PayBankCode),
        coding: {
          supDepCode: text(h.SupDepCode),
          expFuncCode: text(h.ExpFuncCode),
          fundTypeCode: text(h.FundTypeCode),
          agencyCode: text(h.AgencyCode),
        },
      };
    case '5108':
    case '5106':
      return {
        kind: 'quota',
        payTypeCode: vt === '5108' ? '11' : '12',
        bankCode: text(h.PayBankCode),
        amount: money(h.PayAmt),
        lines: d.map((line: VoucherFields) => ({
          payVoucherNo: text(line.PayVoucherNo) || text(h.PayVoucherNo),
          oriVtCode: text(line.OriVtCode) || (vt === '5108' ? '5201' : '8202'),
          amount: money(line.PlanAmt),
        })),
      };
    case '5207':
      return {
        kind: 'allocation',
        amount: money(h.PayAmt),
        payeeAcctNo: text(h.PayeeAcctNo),
        payeeAcctName: text(h.PayeeAcctName),
      };
    case '2301':
    case '2302':
      return {
        kind: 'clearing',
        payTypeCode: text(h.PayTypeCode),
        agentAcctNo: text(h.AgentAcctNo),
        agentAcctName: text(h.AgentAcctName),
        clearAcctNo: text(h.ClearAcctNo),
        amount: money(h.PayAmt),
        lines: d.map((line: VoucherFields) => ({
          voucherNo: text(line.VoucherNo),
          oriVtCode: text(line.OriVtCode),
          amount: money(line.PayAmt),
          supDepCode: text(line.SupDepCode),
          expFuncCode: text(line.ExpFuncCode),
        })),
      };
    default:
      return { kind: 'correction', amount: money(h.PayAmt), oriVoucherNo: text(h.OriVoucherNo) };
  }
}

export interface InboundContext {
  readonly state: PbocState;
  readonly trusted: TrustedKeys;
  readonly tsaAcctNo: string;
  /** The business date a clearing or allocation is booked on. */
  readonly businessDate: () => string;
  readonly at: string;
  /** Stores (fsyncs) and folds the events; called per voucher, so later ones see earlier ones. */
  readonly append: (...events: PbocEvent[]) => void;
}

export type InboundAnswer =
  | { readonly kind: 'refused'; readonly error: string }
  | { readonly kind: 'answered'; readonly results: ReceiveResult[]; readonly stored: number };

function outcomeOf(state: PbocState, key: string): Pick<ReceiveResult, 'outcome' | 'outcomeReason'> {
  const r = state.requests.get(key);
  if (r === undefined || r.state === 'received') return {};
  return { outcome: r.state, ...(r.reason === undefined ? {} : { outcomeReason: r.reason }) };
}

/**
 * Receives one message: each voucher is checked, stored and (for 2301/2302) decided in envelope
 * order before the answer goes out. A voucher received before (same AdmDivCode, StYear, VtCode,
 * VoucherNo) is answered 1 again with its earlier outcome and never decided twice.
 */
export function receiveMessage(bytes: Uint8Array, ctx: InboundContext): InboundAnswer {
  const bodies = decodeBodies(bytes);
  if (bodies === null) return { kind: 'refused', error: 'not a MOF voucher envelope' };
  const results: ReceiveResult[] = [];
  let stored = 0;
  for (const body of bodies) {
    if ('errors' in body) {
      results.push({
        ...keyOf(body.attrs),
        ok: false,
        status: 2,
        reason: `格式错误 layout invalid: ${body.errors}`,
      });
      continue;
    }
    const { entry } = body;
    const h = entry.voucher.header;
    const key = voucherKey(h);
    if (ctx.state.docs.has(key) || ctx.state.requests.has(key)) {
      results.push({ ...keyOf(h), ok: true, status: 1, ...outcomeOf(ctx.state, key) });
      continue;
    }
    const reason = rejection(entry, ctx.trusted);
    if (reason !== null) {
      results.push({ ...keyOf(h), ok: false, status: 2, reason });
      continue;
    }
    const vtCode = text(h.VtCode);
    const doc = summarize(entry);
    const received: PbocEvent = {
      type: 'received',
      at: ctx.at,
      key,
      vtCode,
      xml: new TextDecoder().decode(encodeEnvelope([entry], { encoding: 'UTF-8' })),
      doc,
    };
    if (doc.kind === 'clearing') {
      // Decided against the state before this request; stored together with it.
      const decision = decisionEvent(ctx.state, vtCode, key, doc, ctx.tsaAcctNo, ctx.businessDate(), ctx.at);
      ctx.append(received, decision);
    } else if (doc.kind === 'allocation') {
      ctx.append(received, {
        type: 'allocated',
        at: ctx.at,
        key,
        date: ctx.businessDate(),
        amount: doc.amount,
      });
    } else {
      ctx.append(received);
    }
    stored += 1;
    results.push({ ...keyOf(h), ok: true, status: 1, ...outcomeOf(ctx.state, key) });
  }
  return { kind: 'answered', results, stored };
}
