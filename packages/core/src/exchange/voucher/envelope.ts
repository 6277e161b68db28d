import { z } from 'zod';
import type { XmlEncoding } from './charset';
import { type CodecOptions, decodeVoucher, encodeVoucher } from './codec';
import { type CodecError, codecError, type Decoded, VoucherCodecError } from './errors';
import { isReceiptField, type LayoutRegistry } from './layout';
import { STANDARD_LAYOUTS } from './layouts';
import type { EnvelopeEntry, Voucher, VoucherFlag } from './model';
import { textValue, zodErrors } from './schema';
import { ATTR, buildXml, parseXml, splitNode } from './xml';

/**
 * The outer message of DOMAIN.md §4.2:
 *   <MOF><VoucherCount>n</VoucherCount>
 *     <VoucherBody AdmDivCode StYear VtCode VoucherNo>
 *       <VoucherFlag>0|1</VoucherFlag><Return_Reason/><Attach/><Voucher>BASE64(inner)</Voucher>
 *     </VoucherBody>…</MOF>
 * The inner voucher is written in the same encoding as the envelope.
 */

export interface EnvelopeOptions extends CodecOptions {
  /** Refuse larger messages before parsing them; 16 MiB by default. */
  readonly maxBytes?: number;
}

const KEY_ATTRIBUTES = ['AdmDivCode', 'StYear', 'VtCode', 'VoucherNo'] as const;
const FLAG_CODE: Record<VoucherFlag, string> = { send: '0', receipt: '1' };
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const bodySchema = z.strictObject({
  [`${ATTR}AdmDivCode`]: z.string(),
  [`${ATTR}StYear`]: z.string(),
  [`${ATTR}VtCode`]: z.string(),
  [`${ATTR}VoucherNo`]: z.string(),
  VoucherFlag: z.enum(['0', '1']),
  Return_Reason: textValue().optional(),
  Attach: textValue(100_000).optional(),
  Voucher: z.string().min(1),
});

/** X-fields belong to the receiver's 回单; on an outbound voucher they are a mistake upstream. */
function receiptFieldsOnSend(voucher: Voucher, path: string): CodecError[] {
  const rows = [
    { at: `${path}/Voucher`, fields: voucher.header },
    ...voucher.details.map((d, i) => ({ at: `${path}/Voucher/DetailList/Detail[${i}]`, fields: d })),
  ];
  return rows.flatMap(({ at, fields }) =>
    Object.keys(fields)
      .filter((k) => isReceiptField(k) && fields[k] !== undefined && fields[k] !== '')
      .map((k) =>
        codecError('RECEIPT_FIELD_ON_SEND', `${at}/${k}`, 'receipt field on a VoucherFlag 0 voucher'),
      ),
  );
}

export function encodeEnvelope(entries: readonly EnvelopeEntry[], options: EnvelopeOptions = {}): Uint8Array {
  const encoding: XmlEncoding = options.encoding ?? 'UTF-8';
  const bodies = entries.map((entry, i) => {
    const path = `MOF/VoucherBody[${i}]`;
    if (entry.flag === 'send') {
      const misplaced = receiptFieldsOnSend(entry.voucher, path);
      if (misplaced.length > 0) throw new VoucherCodecError(misplaced);
    }
    const inner = encodeVoucher(entry.voucher, options);
    const body: Record<string, unknown> = {};
    for (const key of KEY_ATTRIBUTES) body[`${ATTR}${key}`] = entry.voucher.header[key];
    body.VoucherFlag = FLAG_CODE[entry.flag];
    body.Return_Reason = entry.returnReason;
    body.Attach = entry.attach;
    body.Voucher = Buffer.from(inner).toString('base64');
    const check = bodySchema.safeParse(body);
    if (!check.success) throw new VoucherCodecError(zodErrors(check.error, path));
    return body;
  });
  return buildXml({ MOF: { VoucherCount: String(bodies.length), VoucherBody: bodies } }, encoding);
}

function bodyFromNode(node: unknown, path: string, layouts: LayoutRegistry): Decoded<EnvelopeEntry> {
  const parsed = bodySchema.safeParse(node, { reportInput: true });
  if (!parsed.success) {
    return {
      ok: false,
      errors: zodErrors(parsed.error, path).map((e) => ({ ...e, code: 'ENVELOPE_INVALID' })),
    };
  }
  const body = parsed.data;
  // MIME-style line breaks inside the base64 are tolerated; anything else is not.
  const base64 = body.Voucher.replace(/\s+/g, '');
  if (!BASE64.test(base64)) {
    return { ok: false, errors: [codecError('BASE64_INVALID', `${path}/Voucher`, 'not base64')] };
  }
  const inner = decodeVoucher(new Uint8Array(Buffer.from(base64, 'base64')), { layouts }, `${path}/Voucher`);
  if (!inner.ok) return inner;
  const voucher = inner.value;
  const errors: CodecError[] = [];
  for (const key of KEY_ATTRIBUTES) {
    const outer = body[`${ATTR}${key}`];
    if (outer !== voucher.header[key]) {
      errors.push(
        codecError(
          'ENVELOPE_MISMATCH',
          `${path}/@${key}`,
          `${key} ${outer} ≠ inner ${String(voucher.header[key])}`,
        ),
      );
    }
  }
  const flag: VoucherFlag = body.VoucherFlag === '1' ? 'receipt' : 'send';
  if (flag === 'send') errors.push(...receiptFieldsOnSend(voucher, path));
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: { flag, returnReason: body.Return_Reason ?? '', attach: body.Attach ?? '', voucher },
  };
}

export function decodeEnvelope(bytes: Uint8Array, options: EnvelopeOptions = {}): Decoded<EnvelopeEntry[]> {
  const maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
  if (bytes.length > maxBytes) {
    return {
      ok: false,
      errors: [codecError('MESSAGE_TOO_LARGE', 'MOF', `${bytes.length} bytes > ${maxBytes}`)],
    };
  }
  const doc = parseXml(bytes, 'MOF');
  if (!doc.ok) return doc;
  const { MOF, ...others } = doc.value;
  const mof = splitNode(MOF);
  const { VoucherCount, VoucherBody, ...unknown } = mof.children;
  if (
    MOF === undefined ||
    Object.keys(others).length > 0 ||
    Object.keys(mof.attrs).length > 0 ||
    mof.text !== ''
  ) {
    return {
      ok: false,
      errors: [codecError('ENVELOPE_INVALID', 'MOF', 'expected one <MOF> root with elements only')],
    };
  }
  const errors: CodecError[] = Object.keys(unknown).map((k) =>
    codecError('ENVELOPE_INVALID', `MOF/${k}`, 'element not in the envelope'),
  );
  const bodies = Array.isArray(VoucherBody) ? VoucherBody : [];
  if (
    typeof VoucherCount !== 'string' ||
    !/^\d{1,6}$/.test(VoucherCount) ||
    Number(VoucherCount) !== bodies.length
  ) {
    errors.push(
      codecError(
        'VOUCHER_COUNT_MISMATCH',
        'MOF/VoucherCount',
        `VoucherCount ${String(VoucherCount)} ≠ ${bodies.length} bodies`,
      ),
    );
  }
  const layouts = options.layouts ?? STANDARD_LAYOUTS;
  const entries: EnvelopeEntry[] = [];
  bodies.forEach((body, i) => {
    const entry = bodyFromNode(body, `MOF/VoucherBody[${i}]`, layouts);
    if (entry.ok) entries.push(entry.value);
    else errors.push(...entry.errors);
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: entries };
}

/**
 * Joins UTF-8 envelopes this codec wrote into one message without decoding the vouchers again:
 * the sender batches stored single-voucher envelopes. Anything not in the shape `encodeEnvelope`
 * writes is refused, so a hand-edited envelope cannot smuggle in a second root or count.
 */
export function joinEnvelopes(xmls: readonly string[]): string {
  const bodies: string[] = [];
  let count = 0;
  for (const [i, xml] of xmls.entries()) {
    const m =
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\s*<MOF>\s*<VoucherCount>(\d+)<\/VoucherCount>\s*((?:<VoucherBody[\s>][\s\S]*?<\/VoucherBody>\s*)+)<\/MOF>\s*$/.exec(
        xml,
      );
    if (!m) throw new Error(`envelope ${i} is not a UTF-8 MOF envelope written by encodeEnvelope`);
    const parts = m[2]!.match(/<VoucherBody[\s>][\s\S]*?<\/VoucherBody>/g) ?? [];
    if (parts.length !== Number(m[1])) throw new Error(`envelope ${i}: VoucherCount ≠ bodies`);
    count += parts.length;
    bodies.push(...parts.map((b) => `  ${b}`));
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<MOF>\n  <VoucherCount>${count}</VoucherCount>\n${bodies.join('\n')}\n</MOF>\n`;
}
