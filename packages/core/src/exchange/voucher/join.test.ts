import { describe, expect, it } from 'vitest';
import { SAMPLE_5201 } from './__fixtures__/sample-5201';
import { decodeEnvelope, encodeEnvelope, joinEnvelopes } from './envelope';

const one = (no: string) =>
  new TextDecoder().decode(
    encodeEnvelope([
      {
        flag: 'send',
        returnReason: '',
        attach: '',
        voucher: { ...SAMPLE_5201, header: { ...SAMPLE_5201.header, VoucherNo: no } },
      },
    ]),
  );

describe('joinEnvelopes', () => {
  it('makes one message that decodes to every voucher, in order', () => {
    const joined = joinEnvelopes([one('A1'), one('A2'), one('A3')]);
    const d = decodeEnvelope(new TextEncoder().encode(joined));
    expect(d.ok).toBe(true);
    if (d.ok) expect(d.value.map((e) => e.voucher.header.VoucherNo)).toEqual(['A1', 'A2', 'A3']);
  });

  it('refuses what the encoder did not write', () => {
    expect(() => joinEnvelopes(['<MOF><VoucherCount>1</VoucherCount></MOF>'])).toThrow();
    expect(() => joinEnvelopes([one('A1').replace('<VoucherCount>1<', '<VoucherCount>2<')])).toThrow();
    expect(() => joinEnvelopes([`${one('A1')}<MOF/>`])).toThrow();
  });
});
