import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { generateSm2KeyPair, Sm2SoftwareSigner } from '../crypto/sm2';
import { SAMPLE_5201 } from './__fixtures__/sample-5201';
import { decodeVoucher, encodeVoucher } from './codec';
import { decodeEnvelope, encodeEnvelope } from './envelope';
import { PAYMENT_DETAIL, PAYMENT_HEADER } from './layouts';
import type { Voucher, VoucherFields } from './model';
import { signVoucher, verifyVoucher } from './signing';

// Characters that stress escaping and both encodings: XML specials, quotes, CJK, full-width forms.
const CHARS = [...'aZ09 -_./&<>"\'中国财政局丽江（）—·￥'];
const value = fc
  .string({ unit: fc.constantFrom(...CHARS), minLength: 1, maxLength: 20 })
  .map((s) => s.trim())
  .filter((s) => s !== '');
const fen = fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n });
const FIXED = new Set(['Id', 'AdmDivCode', 'StYear', 'VtCode', 'VouDate', 'VoucherNo', 'PayAmt']);

/** Random optional values over the fixed keys of the sample; header PayAmt = Σ details. */
const voucher: fc.Arbitrary<Voucher> = fc
  .tuple(
    fc.dictionary(
      fc.constantFrom(
        ...PAYMENT_HEADER.filter((f) => !FIXED.has(f.name) && f.kind === 'text').map((f) => f.name),
      ),
      value,
    ),
    fc.array(
      fc.tuple(
        fc.dictionary(
          fc.constantFrom(
            ...PAYMENT_DETAIL.filter((f) => f.kind === 'text' && f.name !== 'Id').map((f) => f.name),
          ),
          value,
        ),
        fen,
      ),
      { minLength: 1, maxLength: 4 },
    ),
  )
  .map(([header, rows]) => {
    const details: VoucherFields[] = rows.map(([fields, amount], i) => ({
      ...fields,
      Id: `d${i}`,
      PayAmt: amount,
    }));
    const total = rows.reduce((sum, [, amount]) => sum + amount, 0n);
    const required = {
      AgencyCode: '205002',
      PayeeAcctNo: '1',
      PayeeAcctName: 'x',
      PayAcctNo: '2',
      PayAcctName: 'y',
    };
    return {
      header: { ...required, ...header, ...pick(SAMPLE_5201.header, FIXED), PayAmt: total },
      details,
      signatures: [],
    };
  });

function pick(o: VoucherFields, keys: Set<string>): VoucherFields {
  return Object.fromEntries(Object.entries(o).filter(([k]) => keys.has(k)));
}

test.prop([voucher, fc.constantFrom('UTF-8' as const, 'GBK' as const)])(
  'any voucher round-trips',
  (v, encoding) => {
    expect(decodeVoucher(encodeVoucher(v, { encoding }))).toEqual({ ok: true, value: v });
  },
);

const golden = encodeEnvelope([{ flag: 'send', returnReason: '', attach: '', voucher: SAMPLE_5201 }]);

test.prop([fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })])(
  'a corrupted envelope decodes to a result, never a throw',
  (changes) => {
    const bytes = golden.slice();
    for (const [at, byte] of changes) bytes[at % bytes.length] = byte;
    const result = decodeEnvelope(bytes);
    expect(result.ok ? result.value.length : result.errors.length).toBeGreaterThan(0);
  },
);

const signer = new Sm2SoftwareSigner('prop-mof', generateSm2KeyPair());
const trusted = new Map([[signer.keyId, signer.publicKey]]);
const signed = await signVoucher(SAMPLE_5201, signer, 'gz');

test.prop([fc.constantFrom(...Object.keys(SAMPLE_5201.header)), value], { numRuns: 40 })(
  'changing any header value breaks the signature',
  (name, replacement) => {
    const original = SAMPLE_5201.header[name as keyof typeof SAMPLE_5201.header];
    const next = typeof original === 'bigint' ? original + 1n : replacement;
    fc.pre(next !== original);
    const changed = { ...signed, header: { ...signed.header, [name]: next } };
    expect(verifyVoucher(changed, trusted).verified).toEqual([]);
  },
);
