import { formatYuan } from '../../kernel/money';
import type { XmlEncoding } from './charset';
import { type CodecError, codecError, type Decoded, VoucherCodecError } from './errors';
import type { FieldSpec, FieldValue, LayoutRegistry, VoucherLayout } from './layout';
import { STANDARD_LAYOUTS } from './layouts';
import type { Voucher, VoucherFields } from './model';
import { parseRecord } from './schema';
import { signaturesFromNode, signatureToNode } from './signature-xml';
import { buildXml, parseXml, splitNode, type XmlNode } from './xml';

/**
 * The inner <Voucher>: header elements in layout order (every layout element written, empty ones
 * as `<Hold1/>`, as counterpart templates do), <DetailList>, then <Signatures> when signed.
 */

export interface CodecOptions {
  readonly layouts?: LayoutRegistry;
  /** Encoding of the written bytes; decoding follows the declaration. UTF-8 by default. */
  readonly encoding?: XmlEncoding;
}

function fieldText(spec: FieldSpec, value: FieldValue | undefined, path: string): string | CodecError {
  if (value === undefined) return '';
  if (spec.kind === 'amount') {
    return typeof value === 'bigint'
      ? formatYuan(value)
      : codecError('FIELD_INVALID', path, 'amount must be bigint fen');
  }
  return typeof value === 'string' ? value : codecError('FIELD_INVALID', path, 'expected a string');
}

function recordToNode(
  fields: readonly FieldSpec[],
  record: VoucherFields,
  path: string,
  errors: CodecError[],
): XmlNode {
  const known = new Set(fields.map((f) => f.name));
  for (const key of Object.keys(record)) {
    if (!known.has(key)) {
      errors.push(codecError('FIELD_UNKNOWN', `${path}/${key}`, 'element not in the layout'));
    }
  }
  const node: XmlNode = {};
  for (const f of fields) {
    const text = fieldText(f, record[f.name], `${path}/${f.name}`);
    if (typeof text === 'string') node[f.name] = text;
    else errors.push(text);
  }
  return node;
}

function layoutOf(header: VoucherFields, layouts: LayoutRegistry, path: string): VoucherLayout | CodecError {
  const vtCode = header.VtCode;
  const layout = typeof vtCode === 'string' ? layouts.get(vtCode) : undefined;
  return layout ?? codecError('VT_CODE_UNKNOWN', `${path}/VtCode`, `no layout for VtCode ${String(vtCode)}`);
}

/**
 * The XML object of a voucher. Throws when the voucher is not one we would accept: the object is
 * decoded again with the same rules before it is returned.
 */
export function voucherToNode(voucher: Voucher, layouts: LayoutRegistry, path = 'Voucher'): XmlNode {
  const layout = layoutOf(voucher.header, layouts, path);
  if ('code' in layout) throw new VoucherCodecError([layout]);
  const errors: CodecError[] = [];
  const node = recordToNode(layout.header, voucher.header, path, errors);
  const details = voucher.details.map((d, i) =>
    recordToNode(layout.detail, d, `${path}/DetailList/Detail[${i}]`, errors),
  );
  node.DetailList = details.length === 0 ? '' : { Detail: details };
  if (voucher.signatures.length > 0) node.Signatures = { Signature: voucher.signatures.map(signatureToNode) };
  if (errors.length > 0) throw new VoucherCodecError(errors);
  const check = voucherFromNode(node, layouts, path);
  if (!check.ok) throw new VoucherCodecError(check.errors);
  return node;
}

export function encodeVoucher(voucher: Voucher, options: CodecOptions = {}): Uint8Array {
  const node = voucherToNode(voucher, options.layouts ?? STANDARD_LAYOUTS);
  return buildXml({ Voucher: node }, options.encoding ?? 'UTF-8');
}

export function decodeVoucher(
  bytes: Uint8Array,
  options: CodecOptions = {},
  path = 'Voucher',
): Decoded<Voucher> {
  const doc = parseXml(bytes, path);
  if (!doc.ok) return doc;
  const keys = Object.keys(doc.value);
  if (keys.length !== 1 || keys[0] !== 'Voucher') {
    return {
      ok: false,
      errors: [codecError('ENVELOPE_INVALID', path, 'expected one <Voucher> root element')],
    };
  }
  return voucherFromNode(doc.value.Voucher, options.layouts ?? STANDARD_LAYOUTS, path);
}

function asRecord(value: unknown): Record<string, unknown> | null {
  const { attrs, text, children } = splitNode(value);
  return Object.keys(attrs).length === 0 && text === '' ? children : null;
}

function detailsFromNode(
  node: unknown,
  layout: VoucherLayout,
  path: string,
  errors: CodecError[],
): VoucherFields[] {
  if (node === undefined || node === '') return [];
  const list = asRecord(node);
  const rows = list?.Detail;
  if (list === null || !Array.isArray(rows) || Object.keys(list).length !== 1) {
    errors.push(codecError('FIELD_INVALID', path, 'expected <Detail> elements only'));
    return [];
  }
  return rows.map((row, i) => {
    const at = `${path}/Detail[${i}]`;
    const record = asRecord(row);
    if (record === null) {
      errors.push(codecError('FIELD_INVALID', at, 'expected elements, not text or attributes'));
      return {};
    }
    const parsed = parseRecord(layout.detail, record, at);
    errors.push(...parsed.errors);
    return parsed.value;
  });
}

function checkTotals(
  layout: VoucherLayout,
  header: VoucherFields,
  details: VoucherFields[],
  path: string,
): CodecError[] {
  const errors: CodecError[] = [];
  if (details.length < layout.minDetails) {
    errors.push(
      codecError(
        'DETAIL_COUNT',
        `${path}/DetailList`,
        `${layout.vtCode} needs at least ${layout.minDetails} <Detail>`,
      ),
    );
  }
  // With no details there is nothing to add up; minDetails decides whether that is allowed.
  if (details.length === 0) return errors;
  for (const sum of layout.sums) {
    const total = header[sum.header];
    let added = 0n;
    for (const d of details) {
      const v = d[sum.detail];
      if (typeof v === 'bigint') added += v;
    }
    if (typeof total === 'bigint' && total !== added) {
      errors.push(
        codecError(
          'AMOUNT_SUM_MISMATCH',
          `${path}/${sum.header}`,
          `${sum.header} ${formatYuan(total)} ≠ Σ Detail/${sum.detail} ${formatYuan(added)}`,
        ),
      );
    }
  }
  return errors;
}

/** Validates a parsed <Voucher> element completely; any error means no voucher at all. */
export function voucherFromNode(node: unknown, layouts: LayoutRegistry, path: string): Decoded<Voucher> {
  const record = asRecord(node);
  if (record === null) {
    return {
      ok: false,
      errors: [codecError('FIELD_INVALID', path, 'expected elements, not text or attributes')],
    };
  }
  const { DetailList, Signatures, ...rawHeader } = record;
  const layout = layoutOf(rawHeader as VoucherFields, layouts, path);
  if ('code' in layout) return { ok: false, errors: [layout] };
  const header = parseRecord(layout.header, rawHeader, path);
  const errors = [...header.errors];
  const details = detailsFromNode(DetailList, layout, `${path}/DetailList`, errors);
  const signatures = signaturesFromNode(Signatures, `${path}/Signatures`);
  errors.push(...signatures.errors);
  if (errors.length > 0) return { ok: false, errors };
  const totals = checkTotals(layout, header.value, details, path);
  if (totals.length > 0) return { ok: false, errors: totals };
  return { ok: true, value: { header: header.value, details, signatures: signatures.value } };
}
