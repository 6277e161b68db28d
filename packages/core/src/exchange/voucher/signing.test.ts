import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Signer, SM2_SM3 } from '../crypto/signer';
import { generateSm2KeyPair, Sm2SoftwareSigner } from '../crypto/sm2';
import { SAMPLE_5201 } from './__fixtures__/sample-5201';
import { decodeVoucher, encodeVoucher } from './codec';
import { decodeEnvelope, encodeEnvelope } from './envelope';
import type { PaymentVoucher, Voucher } from './model';
import {
  removeSignature,
  SIGNING_VERSION,
  signingBytes,
  signVoucher,
  stampMessage,
  verifyVoucher,
} from './signing';

const finance = new Sm2SoftwareSigner('mof-530700000', generateSm2KeyPair());
const bank = new Sm2SoftwareSigner('bank-icbc-5307', generateSm2KeyPair());
const trusted = new Map([
  [finance.keyId, finance.publicKey],
  [bank.keyId, bank.publicKey],
]);

function roundTrip<V extends Voucher>(v: V, encoding: 'UTF-8' | 'GBK' = 'UTF-8'): Voucher {
  const decoded = decodeVoucher(encodeVoucher(v, { encoding }));
  if (!decoded.ok) throw new Error(JSON.stringify(decoded.errors));
  return decoded.value;
}

describe('signing bytes', () => {
  it('are pinned by a golden file', () => {
    const meta = {
      position: 'zfzx-gz',
      keyId: 'mof-530700000',
      algorithm: SM2_SM3,
      scope: 'voucher' as const,
    };
    const stamped = { ...meta, stamp: { stampId: 'LJCZ-GZ-01', sealType: 'gz' as const } };
    const actual = `${new TextDecoder().decode(signingBytes(SAMPLE_5201, meta))}\n${new TextDecoder().decode(signingBytes(SAMPLE_5201, stamped))}\n`;
    const path = join(import.meta.dirname, '__fixtures__', '5201-signing-bytes.txt');
    if (process.env.FISCUS_UPDATE_GOLDEN === '1') writeFileSync(path, actual);
    expect(actual).toBe(readFileSync(path, 'utf8'));
    expect(actual.startsWith(`{"c14n":"${SIGNING_VERSION}","details":[{"AgencyCode":"205002"`)).toBe(true);
  });

  it('ignore empty elements, X-fields under scope voucher, and XML formatting', () => {
    const meta = { position: 'p', keyId: 'k', algorithm: SM2_SM3, scope: 'voucher' as const };
    const withEmpty = { ...SAMPLE_5201, header: { ...SAMPLE_5201.header, Hold1: '', XPayDate: '20260316' } };
    expect(signingBytes(withEmpty, meta)).toEqual(signingBytes(SAMPLE_5201, meta));
    expect(signingBytes(roundTrip(SAMPLE_5201, 'GBK'), meta)).toEqual(signingBytes(SAMPLE_5201, meta));
    expect(signingBytes(withEmpty, { ...meta, scope: 'receipt' })).not.toEqual(
      signingBytes(SAMPLE_5201, { ...meta, scope: 'receipt' }),
    );
  });

  it('builds the stamp message of DOMAIN.md §4.2', () => {
    expect(stampMessage('cz-gz', 'LJCZ-GZ-01')).toBe('<MOF><Stamp No="cz-gz">LJCZ-GZ-01</Stamp></MOF>');
  });
});

describe('signVoucher / verifyVoucher', () => {
  it('round-trips a signed and stamped voucher through the envelope and verifies every position', async () => {
    let v: PaymentVoucher = await signVoucher(SAMPLE_5201, finance, 'zfzx-qm');
    v = await signVoucher(v, finance, 'zfzx-gz', { stamp: { stampId: 'LJCZ-GZ-01', sealType: 'gz' } });
    const decoded = decodeEnvelope(
      encodeEnvelope([{ flag: 'send', returnReason: '', attach: '', voucher: v }]),
    );
    if (!decoded.ok) throw new Error(JSON.stringify(decoded.errors));
    const received = decoded.value[0]!.voucher;
    expect(received).toEqual(v);
    expect(received.signatures.map((s) => [s.position, s.scope, s.stamp?.sealType])).toEqual([
      ['zfzx-qm', 'voucher', undefined],
      ['zfzx-gz', 'voucher', 'gz'],
    ]);
    expect(verifyVoucher(received, trusted)).toEqual({ verified: ['zfzx-qm', 'zfzx-gz'], failed: [] });
  });

  it('keeps the sender’s signature valid on the receipt, and the bank’s covers the X-fields', async () => {
    const sent = roundTrip(await signVoucher(SAMPLE_5201, finance, 'zfzx-gz'));
    const filled: Voucher = {
      ...sent,
      header: { ...sent.header, XPayDate: '20260316', XPayAmt: 1_234_50n, XAgentBusinessNo: 'ICBC-0316-889' },
    };
    const receipt = roundTrip(
      await signVoucher(filled, bank, 'yh-zqz', { stamp: { stampId: 'ICBC-ZQZ-7', sealType: 'zqz' } }),
    );
    expect(receipt.signatures[1]?.scope).toBe('receipt');
    expect(verifyVoucher(receipt, trusted).verified).toEqual(['zfzx-gz', 'yh-zqz']);

    const changedX = { ...receipt, header: { ...receipt.header, XPayAmt: 1_234_00n } };
    expect(verifyVoucher(changedX, trusted)).toEqual({
      verified: ['zfzx-gz'],
      failed: [{ position: 'yh-zqz', keyId: bank.keyId, reason: 'BAD_SIGNATURE' }],
    });
  });

  it('fails on changed content, reordered details, moved or altered signatures, and unknown keys', async () => {
    const signed = await signVoucher(SAMPLE_5201, finance, 'zfzx-gz', {
      stamp: { stampId: 'S1', sealType: 'gz' },
    });
    const bad = (v: Voucher) => verifyVoucher(v, trusted).failed.map((f) => f.reason);
    const sig = signed.signatures[0]!;
    expect(bad({ ...signed, header: { ...signed.header, PayAmt: 1_234_51n } })).toEqual(['BAD_SIGNATURE']);
    expect(bad({ ...signed, header: { ...signed.header, PayeeAcctNo: '6222000000000000001' } })).toEqual([
      'BAD_SIGNATURE',
    ]);
    expect(bad({ ...signed, header: { ...signed.header, Hold1: 'x' } })).toEqual(['BAD_SIGNATURE']);
    expect(bad({ ...signed, details: [...signed.details].reverse() })).toEqual(['BAD_SIGNATURE']);
    expect(bad({ ...signed, signatures: [{ ...sig, position: 'other' }] })).toEqual(['BAD_SIGNATURE']);
    expect(bad({ ...signed, signatures: [{ ...sig, stamp: { stampId: 'S2', sealType: 'gz' } }] })).toEqual([
      'BAD_SIGNATURE',
    ]);
    expect(bad({ ...signed, signatures: [{ ...sig, stamp: { stampId: 'S1', sealType: 'sz' } }] })).toEqual([
      'BAD_SIGNATURE',
    ]);
    expect(bad({ ...signed, signatures: [{ ...sig, scope: 'receipt' }] })).toEqual(['BAD_SIGNATURE']);
    expect(bad({ ...signed, signatures: [{ ...sig, keyId: bank.keyId }] })).toEqual(['BAD_SIGNATURE']);
    expect(verifyVoucher(signed, new Map([[bank.keyId, bank.publicKey]])).failed).toEqual([
      { position: 'zfzx-gz', keyId: finance.keyId, reason: 'UNTRUSTED_KEY' },
    ]);
  });

  it('refuses a taken position until it is revoked, and bad names', async () => {
    const signed = await signVoucher(SAMPLE_5201, finance, 'zfzx-gz');
    await expect(signVoucher(signed, bank, 'zfzx-gz')).rejects.toThrow(/already signed/);
    const again = await signVoucher(removeSignature(signed, 'zfzx-gz'), bank, 'zfzx-gz');
    expect(verifyVoucher(again, trusted)).toEqual({ verified: ['zfzx-gz'], failed: [] });
    await expect(signVoucher(SAMPLE_5201, finance, 'a"b')).rejects.toThrow(/invalid signature position/);
    await expect(
      signVoucher(SAMPLE_5201, finance, 'p', { stamp: { stampId: '<x>', sealType: 'gz' } }),
    ).rejects.toThrow(/invalid stamp id/);
  });

  it('refuses a signer that answers for another key', async () => {
    const liar: Signer = {
      ...finance,
      keyId: finance.keyId,
      publicKey: finance.publicKey,
      algorithm: SM2_SM3,
      sign: (b) => bank.sign(b),
    };
    await expect(signVoucher(SAMPLE_5201, liar, 'p')).rejects.toThrow(
      /returned a signature of bank-icbc-5307/,
    );
  });
});
