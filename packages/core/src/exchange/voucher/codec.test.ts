import { describe, expect, it } from 'vitest';
import { SAMPLE_5201 } from './__fixtures__/sample-5201';
import { decodeVoucher, encodeVoucher } from './codec';
import { type CodecErrorCode, type Decoded, VoucherCodecError } from './errors';
import { defineLayout, extendLayout, layoutRegistry, required, text } from './layout';
import { ALLOCATION_5207, AUTHORIZED_PAYMENT_8202, DIRECT_PAYMENT_5201, STANDARD_LAYOUTS } from './layouts';
import type { AllocationVoucher, PaymentVoucher, Voucher } from './model';

const utf8 = (s: string) => new TextEncoder().encode(s);
const sampleXml = Buffer.from(encodeVoucher(SAMPLE_5201)).toString('utf8');

function decodeText(xml: string): Decoded<Voucher> {
  return decodeVoucher(utf8(xml));
}

function codes(result: Decoded<unknown>): { code: CodecErrorCode; path: string }[] {
  if (result.ok) throw new Error('expected a refusal');
  expect(result).not.toHaveProperty('value');
  return result.errors.map(({ code, path }) => ({ code, path }));
}

function thrown(fn: () => unknown): CodecErrorCode[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof VoucherCodecError) return e.errors.map((x) => x.code);
    throw e;
  }
  throw new Error('expected VoucherCodecError');
}

describe('inner voucher codec', () => {
  it('round-trips the sample in UTF-8 and GBK', () => {
    expect(decodeVoucher(encodeVoucher(SAMPLE_5201))).toEqual({ ok: true, value: SAMPLE_5201 });
    const gbk = encodeVoucher(SAMPLE_5201, { encoding: 'GBK' });
    expect(Buffer.from(gbk.subarray(0, 38)).toString('latin1')).toBe(
      '<?xml version="1.0" encoding="GBK"?>\n<',
    );
    // 中国人民银行 in GBK starts D6 D0 B9 FA.
    expect(Buffer.from(gbk).includes(Buffer.from([0xd6, 0xd0, 0xb9, 0xfa]))).toBe(true);
    expect(decodeVoucher(gbk)).toEqual({ ok: true, value: SAMPLE_5201 });
  });

  it('keeps amounts as bigint fen and writes two decimals', () => {
    const decoded = decodeText(sampleXml.replace('<PayAmt>1234.50</PayAmt>', '<PayAmt>1234.5</PayAmt>'));
    expect(decoded.ok && decoded.value.header.PayAmt).toBe(123450n);
    expect(sampleXml).toContain('<PayAmt>1234.50</PayAmt>');
  });

  it('treats empty and absent elements alike', () => {
    const decoded = decodeText(
      sampleXml.replace('<Hold1/>', '').replace('<BgtTypeCode/>', '<BgtTypeCode></BgtTypeCode>'),
    );
    expect(decoded).toEqual({ ok: true, value: SAMPLE_5201 });
  });

  it('round-trips 8202 and a 5207 without details', () => {
    const v8202: PaymentVoucher = { ...SAMPLE_5201, header: { ...SAMPLE_5201.header, VtCode: '8202' } };
    expect(decodeVoucher(encodeVoucher(v8202))).toEqual({ ok: true, value: v8202 });
    const v5207: AllocationVoucher = {
      header: {
        Id: 'a-1',
        AdmDivCode: '530700000',
        StYear: '2026',
        VtCode: '5207',
        VouDate: '20260401',
        VoucherNo: 'SB2026-0001',
        TreCode: '2751000000',
        PayAcctNo: '270751000001',
        PayAcctName: '丽江市财政局',
        PayeeAcctNo: '270751000002',
        PayeeAcctName: '古城区财政局',
        PayAmt: 5_000_000_00n,
      },
      details: [],
      signatures: [],
    };
    expect(decodeVoucher(encodeVoucher(v5207))).toEqual({ ok: true, value: v5207 });
  });

  it.each<[string, string, string, CodecErrorCode, string]>([
    [
      'a missing required element',
      '<PayAmt>1234.50</PayAmt>',
      '<PayAmt/>',
      'FIELD_MISSING',
      'Voucher/PayAmt',
    ],
    ['an unknown element', '<Hold1/>', '<Hold1/><Hold5>x</Hold5>', 'FIELD_UNKNOWN', 'Voucher/Hold5'],
    [
      'three decimals',
      '<PayAmt>1234.50</PayAmt>',
      '<PayAmt>1234.500</PayAmt>',
      'FIELD_INVALID',
      'Voucher/PayAmt',
    ],
    [
      'an exponent',
      '<PayAmt>1234.50</PayAmt>',
      '<PayAmt>1.2345e3</PayAmt>',
      'FIELD_INVALID',
      'Voucher/PayAmt',
    ],
    [
      'full-width digits',
      '<PayAmt>1234.50</PayAmt>',
      '<PayAmt>１２３４.50</PayAmt>',
      'FIELD_INVALID',
      'Voucher/PayAmt',
    ],
    [
      '30 February',
      '<VouDate>20260315</VouDate>',
      '<VouDate>20260230</VouDate>',
      'FIELD_INVALID',
      'Voucher/VouDate',
    ],
    [
      'a bad AdmDivCode',
      '<AdmDivCode>530700</AdmDivCode>',
      '<AdmDivCode>5307</AdmDivCode>',
      'FIELD_INVALID',
      'Voucher/AdmDivCode',
    ],
    [
      'a repeated element',
      '<CheckNo/>',
      '<CheckNo>1</CheckNo><CheckNo>2</CheckNo>',
      'FIELD_INVALID',
      'Voucher/CheckNo',
    ],
    [
      'an attribute on a field',
      '<CheckNo/>',
      '<CheckNo a="1">1</CheckNo>',
      'FIELD_INVALID',
      'Voucher/CheckNo',
    ],
    ['a tab inside a value', '<CheckNo/>', '<CheckNo>a&#9;b</CheckNo>', 'FIELD_INVALID', 'Voucher/CheckNo'],
    [
      'a detail amount',
      '<PayAmt>234.50</PayAmt>',
      '<PayAmt>abc</PayAmt>',
      'FIELD_INVALID',
      'Voucher/DetailList/Detail[1]/PayAmt',
    ],
    [
      'an unknown VtCode',
      '<VtCode>5201</VtCode>',
      '<VtCode>9999</VtCode>',
      'VT_CODE_UNKNOWN',
      'Voucher/VtCode',
    ],
    [
      'a wrong total',
      '<PayAmt>1234.50</PayAmt>',
      '<PayAmt>1234.51</PayAmt>',
      'AMOUNT_SUM_MISMATCH',
      'Voucher/PayAmt',
    ],
    ['text in the root', '<Hold1/>', '<Hold1/>stray', 'FIELD_INVALID', 'Voucher'],
  ])('refuses %s', (_, from, to, code, path) => {
    expect(sampleXml).toContain(from);
    expect(codes(decodeText(sampleXml.replace(from, to)))).toContainEqual({ code, path });
  });

  it('reports every problem at once and returns no voucher', () => {
    const xml = sampleXml
      .replace('<CheckNo/>', '<CheckNo/><Extra/><Extra2>1</Extra2>')
      .replace('<VouDate>20260315', '<VouDate>2026');
    expect(codes(decodeText(xml))).toEqual([
      { code: 'FIELD_INVALID', path: 'Voucher/VouDate' },
      { code: 'FIELD_UNKNOWN', path: 'Voucher/Extra2' },
    ]);
  });

  it('refuses a 5201 without details', () => {
    const xml = sampleXml.replace(/<DetailList>[\s\S]*<\/DetailList>/, '<DetailList/>');
    expect(codes(decodeText(xml))).toEqual([{ code: 'DETAIL_COUNT', path: 'Voucher/DetailList' }]);
  });

  it('refuses malformed XML, DOCTYPE, unknown encodings and invalid bytes', () => {
    expect(codes(decodeText(sampleXml.replace('</AgencyName>', '')))).toEqual([
      { code: 'XML_MALFORMED', path: 'Voucher' },
    ]);
    expect(
      codes(decodeText(sampleXml.replace('<PayAmt>1234.50</PayAmt>', '<PayAmt>1234.50</Payamt>'))).at(0)
        ?.code,
    ).toBe('XML_MALFORMED');
    const doctype = '<?xml version="1.0"?><!DOCTYPE Voucher [<!ENTITY x "y">]><Voucher>&x;</Voucher>';
    expect(codes(decodeText(doctype))).toEqual([{ code: 'XML_DOCTYPE_FORBIDDEN', path: 'Voucher' }]);
    expect(codes(decodeText(sampleXml.replace('UTF-8', 'Big5')))).toEqual([
      { code: 'ENCODING_UNSUPPORTED', path: 'Voucher' },
    ]);
    const invalid = Buffer.concat([
      Buffer.from(sampleXml.slice(0, 100)),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(sampleXml.slice(100)),
    ]);
    expect(codes(decodeVoucher(invalid))).toEqual([{ code: 'ENCODING_INVALID', path: 'Voucher' }]);
    expect(codes(decodeText('<Other/>'))).toEqual([{ code: 'ENVELOPE_INVALID', path: 'Voucher' }]);
  });

  it('decodes character references and refuses references XML does not define', () => {
    const decoded = decodeText(
      sampleXml.replace('<CheckNo/>', '<CheckNo>&#20013;&#x56FD;&amp;&lt;</CheckNo>'),
    );
    expect(decoded.ok && decoded.value.header.CheckNo).toBe('中国&<');
    for (const ref of ['&#7;', '&#0;', '&#xD800;', '&nbsp;', '&foo;', 'a & b', '\u0007']) {
      const xml = sampleXml.replace('<CheckNo/>', `<CheckNo>${ref}</CheckNo>`);
      expect(codes(decodeText(xml)), ref).toEqual([{ code: 'XML_MALFORMED', path: 'Voucher' }]);
    }
    const cdata = decodeText(sampleXml.replace('<CheckNo/>', '<CheckNo><![CDATA[A&B]]></CheckNo>'));
    expect(cdata.ok && cdata.value.header.CheckNo).toBe('A&B');
  });

  it('refuses to encode what it would not decode', () => {
    const header = SAMPLE_5201.header as Record<string, unknown>;
    const bad = (h: Record<string, unknown>) => ({ ...SAMPLE_5201, header: h }) as unknown as Voucher;
    expect(thrown(() => encodeVoucher(bad({ ...header, Unknown: 'x' })))).toEqual(['FIELD_UNKNOWN']);
    expect(thrown(() => encodeVoucher(bad({ ...header, PayAmt: '1234.50' })))).toEqual(['FIELD_INVALID']);
    expect(thrown(() => encodeVoucher(bad({ ...header, PayAmt: 1234.5 })))).toEqual(['FIELD_INVALID']);
    expect(thrown(() => encodeVoucher(bad({ ...header, PayeeAcctName: ' 空格 ' })))).toEqual([
      'FIELD_INVALID',
    ]);
    expect(thrown(() => encodeVoucher(bad({ ...header, PayeeAcctName: '' })))).toEqual(['FIELD_MISSING']);
    expect(thrown(() => encodeVoucher(bad({ ...header, VtCode: '0000' })))).toEqual(['VT_CODE_UNKNOWN']);
    expect(thrown(() => encodeVoucher(bad({ ...header, PayAmt: 1n })))).toEqual(['AMOUNT_SUM_MISMATCH']);
    const emoji = { ...SAMPLE_5201, header: { ...SAMPLE_5201.header, Hold1: '😀' } };
    expect(thrown(() => encodeVoucher(emoji, { encoding: 'GBK' }))).toEqual(['ENCODING_UNREPRESENTABLE']);
    expect(decodeVoucher(encodeVoucher(emoji))).toEqual({ ok: true, value: emoji });
  });
});

describe('layouts as data', () => {
  const regional = extendLayout(DIRECT_PAYMENT_5201, {
    header: [text('AgencyZeroAcctNo')],
    detail: [required(text('ProjectNo'))],
  });
  const layouts = layoutRegistry([regional, AUTHORIZED_PAYMENT_8202, ALLOCATION_5207]);
  const voucher: Voucher = {
    ...SAMPLE_5201,
    header: { ...SAMPLE_5201.header, AgencyZeroAcctNo: '2510800109200020502' },
    details: SAMPLE_5201.details.map((d, i) => ({ ...d, ProjectNo: `P${i}` })),
  };

  it('carries a region’s extra elements after the standard ones', () => {
    const bytes = encodeVoucher(voucher, { layouts });
    const xml = Buffer.from(bytes).toString('utf8');
    expect(xml.indexOf('<Hold4/>')).toBeLessThan(xml.indexOf('<AgencyZeroAcctNo>'));
    expect(decodeVoucher(bytes, { layouts })).toEqual({ ok: true, value: voucher });
    expect(codes(decodeVoucher(bytes, { layouts: STANDARD_LAYOUTS }))).toContainEqual({
      code: 'FIELD_UNKNOWN',
      path: 'Voucher/AgencyZeroAcctNo',
    });
    expect(thrown(() => encodeVoucher(SAMPLE_5201, { layouts }))).toEqual(['FIELD_MISSING', 'FIELD_MISSING']);
  });

  it('refuses inconsistent layouts when they are defined', () => {
    expect(() => extendLayout(DIRECT_PAYMENT_5201, { header: [text('PayAmt')] })).toThrow(/appears twice/);
    expect(() => extendLayout(DIRECT_PAYMENT_5201, { header: [text('DetailList')] })).toThrow(/not allowed/);
    expect(() => extendLayout(DIRECT_PAYMENT_5201, { header: [required(text('XNew'))] })).toThrow(
      /cannot be required/,
    );
    expect(() => defineLayout({ ...DIRECT_PAYMENT_5201, vtCode: '52' })).toThrow(/4 digits/);
    expect(() => layoutRegistry([DIRECT_PAYMENT_5201, DIRECT_PAYMENT_5201])).toThrow(/two layouts/);
  });
});
