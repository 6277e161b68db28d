import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_5201 } from './__fixtures__/sample-5201';
import { decodeVoucher, encodeVoucher } from './codec';
import { decodeEnvelope, encodeEnvelope } from './envelope';

/**
 * Golden files pin the unsigned encoding byte for byte (SM2's random k rules out golden signed
 * vouchers; those are round-tripped in signing.test.ts). After an intended format change,
 * regenerate with `FISCUS_UPDATE_GOLDEN=1 npx vitest run --project unit <this file>` and review the diff.
 */
const dir = join(import.meta.dirname, '__fixtures__');

function golden(name: string, actual: Uint8Array): void {
  const path = join(dir, name);
  if (process.env.FISCUS_UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  expect(Buffer.from(actual).equals(readFileSync(path)), `${name} differs from the golden file`).toBe(true);
}

describe('5201 golden files', () => {
  it('encodes the inner voucher byte for byte', () => {
    golden('5201-unsigned.voucher.xml', encodeVoucher(SAMPLE_5201));
  });

  it('encodes the envelope byte for byte', () => {
    const bytes = encodeEnvelope([{ flag: 'send', returnReason: '', attach: '', voucher: SAMPLE_5201 }]);
    golden('5201-unsigned.envelope.xml', bytes);
  });

  it('decodes the golden files back to the sample', () => {
    const inner = decodeVoucher(readFileSync(join(dir, '5201-unsigned.voucher.xml')));
    expect(inner).toEqual({ ok: true, value: SAMPLE_5201 });
    const envelope = decodeEnvelope(readFileSync(join(dir, '5201-unsigned.envelope.xml')));
    expect(envelope).toEqual({
      ok: true,
      value: [{ flag: 'send', returnReason: '', attach: '', voucher: SAMPLE_5201 }],
    });
  });
});
