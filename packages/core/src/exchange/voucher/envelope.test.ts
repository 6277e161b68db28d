import { describe, expect, it } from 'vitest';
import { SAMPLE_5201 } from './__fixtures__/sample-5201';
import { encodeVoucher } from './codec';
import { decodeEnvelope, encodeEnvelope } from './envelope';
import { type CodecErrorCode, type Decoded, VoucherCodecError } from './errors';
import type { EnvelopeEntry, PaymentVoucher } from './model';

const send: EnvelopeEntry = { flag: 'send', returnReason: '', attach: '', voucher: SAMPLE_5201 };
const paid: PaymentVoucher = {
  ...SAMPLE_5201,
  header: {
    ...SAMPLE_5201.header,
    XPayDate: '20260316',
    XPayAmt: 1_234_50n,
    XAgentBusinessNo: 'ICBC-0316-889',
  },
};
const receipt: EnvelopeEntry = { flag: 'receipt', returnReason: '', attach: '', voucher: paid };

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
const bytes = (s: string) => new TextEncoder().encode(s);

function codes(result: Decoded<unknown>): { code: CodecErrorCode; path: string }[] {
  if (result.ok) throw new Error('expected a refusal');
  expect(result).not.toHaveProperty('value');
  return result.errors.map(({ code, path }) => ({ code, path }));
}

function envelopeWithInner(inner: string, outer = send): string {
  const xml = text(encodeEnvelope([outer]));
  return xml.replace(
    /<Voucher>[^<]*<\/Voucher>/,
    `<Voucher>${Buffer.from(inner).toString('base64')}</Voucher>`,
  );
}

describe('envelope', () => {
  it('round-trips several bodies, sends and receipts, UTF-8 and GBK', () => {
    const returned: EnvelopeEntry = { ...send, returnReason: '收款账户名称与账号不符', attach: 'att-1' };
    for (const encoding of ['UTF-8', 'GBK'] as const) {
      const encoded = encodeEnvelope([send, receipt, returned], { encoding });
      expect(text(encoded.subarray(0, 40))).toContain(`encoding="${encoding}"`);
      expect(decodeEnvelope(encoded)).toEqual({ ok: true, value: [send, receipt, returned] });
    }
  });

  it('writes VoucherCount, the key attributes and the flag', () => {
    const xml = text(encodeEnvelope([send, receipt]));
    expect(xml).toContain('<VoucherCount>2</VoucherCount>');
    expect(xml).toContain(
      '<VoucherBody AdmDivCode="530700" StYear="2026" VtCode="5201" VoucherNo="20260315000123">',
    );
    expect(xml.match(/<VoucherFlag>(\d)<\/VoucherFlag>/g)).toEqual([
      '<VoucherFlag>0</VoucherFlag>',
      '<VoucherFlag>1</VoucherFlag>',
    ]);
  });

  it('accepts base64 broken into lines', () => {
    const xml = text(encodeEnvelope([send])).replace(/<Voucher>([^<]*)<\/Voucher>/, (_, b64: string) => {
      return `<Voucher>${b64.replace(/.{76}/g, '$&\n')}</Voucher>`;
    });
    expect(decodeEnvelope(bytes(xml))).toEqual({ ok: true, value: [send] });
  });

  it('refuses receipt fields on an outbound voucher, both ways', () => {
    expect(() => encodeEnvelope([{ ...receipt, flag: 'send' }])).toThrow(VoucherCodecError);
    const xml = text(encodeEnvelope([receipt])).replace('<VoucherFlag>1', '<VoucherFlag>0');
    expect(codes(decodeEnvelope(bytes(xml)))).toEqual([
      { code: 'RECEIPT_FIELD_ON_SEND', path: 'MOF/VoucherBody[0]/Voucher/XPayDate' },
      { code: 'RECEIPT_FIELD_ON_SEND', path: 'MOF/VoucherBody[0]/Voucher/XAgentBusinessNo' },
      { code: 'RECEIPT_FIELD_ON_SEND', path: 'MOF/VoucherBody[0]/Voucher/XPayAmt' },
    ]);
  });

  it.each<[string, (xml: string) => string, CodecErrorCode, string]>([
    [
      'a wrong VoucherCount',
      (x) => x.replace('<VoucherCount>2', '<VoucherCount>3'),
      'VOUCHER_COUNT_MISMATCH',
      'MOF/VoucherCount',
    ],
    [
      'no VoucherCount',
      (x) => x.replace('<VoucherCount>2</VoucherCount>', ''),
      'VOUCHER_COUNT_MISMATCH',
      'MOF/VoucherCount',
    ],
    [
      'an outer VoucherNo that differs',
      (x) => x.replace('VoucherNo="20260315000123"', 'VoucherNo="X1"'),
      'ENVELOPE_MISMATCH',
      'MOF/VoucherBody[0]/@VoucherNo',
    ],
    [
      'a flag of 2',
      (x) => x.replace('<VoucherFlag>0', '<VoucherFlag>2'),
      'ENVELOPE_INVALID',
      'MOF/VoucherBody[0]/VoucherFlag',
    ],
    [
      'a missing flag',
      (x) => x.replace('<VoucherFlag>0</VoucherFlag>', ''),
      'ENVELOPE_INVALID',
      'MOF/VoucherBody[0]/VoucherFlag',
    ],
    [
      'a missing attribute',
      (x) => x.replace(' StYear="2026"', ''),
      'ENVELOPE_INVALID',
      'MOF/VoucherBody[0]/@StYear',
    ],
    [
      'an unknown body element',
      (x) => x.replace('<Attach/>', '<Attach/><Note>x</Note>'),
      'ENVELOPE_INVALID',
      'MOF/VoucherBody[0]/Note',
    ],
    [
      'an unknown MOF element',
      (x) => x.replace('<VoucherCount>', '<Other/><VoucherCount>'),
      'ENVELOPE_INVALID',
      'MOF/Other',
    ],
    [
      'broken base64',
      (x) => x.replace('<Voucher>PD94', '<Voucher>*D94'),
      'BASE64_INVALID',
      'MOF/VoucherBody[0]/Voucher',
    ],
  ])('refuses %s, naming where, and returns nothing', (_, change, code, path) => {
    const xml = text(encodeEnvelope([send, send]));
    expect(codes(decodeEnvelope(bytes(change(xml))))).toContainEqual({ code, path });
  });

  it('refuses the whole message when one body is bad, naming the element inside it', () => {
    const [head, first, second] = text(encodeEnvelope([send, send])).split('<VoucherBody ');
    const inner = text(encodeVoucher(SAMPLE_5201)).replace('<PayAmt>1234.50', '<PayAmt>1,234.50');
    const bad = second!.replace(/<Voucher>[^<]*</, `<Voucher>${Buffer.from(inner).toString('base64')}<`);
    const xml = [head, first, bad].join('<VoucherBody ');
    expect(codes(decodeEnvelope(bytes(xml)))).toEqual([
      { code: 'FIELD_INVALID', path: 'MOF/VoucherBody[1]/Voucher/PayAmt' },
    ]);
  });

  it('refuses an inner voucher that is not XML, and oversized messages', () => {
    expect(codes(decodeEnvelope(bytes(envelopeWithInner('not xml <'))))).toEqual([
      { code: 'XML_MALFORMED', path: 'MOF/VoucherBody[0]/Voucher' },
    ]);
    const encoded = encodeEnvelope([send]);
    expect(codes(decodeEnvelope(encoded, { maxBytes: 100 }))).toEqual([
      { code: 'MESSAGE_TOO_LARGE', path: 'MOF' },
    ]);
    expect(codes(decodeEnvelope(bytes('<NotMOF/>')))).toEqual([{ code: 'ENVELOPE_INVALID', path: 'MOF' }]);
  });
});
