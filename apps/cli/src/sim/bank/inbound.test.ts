import { generateSm2KeyPair, Sm2SoftwareSigner } from '@fiscus/core/exchange/crypto/sm2';
import { describe, expect, it } from 'vitest';
import { receiveMessage } from './inbound';
import { applyEvent, emptyState } from './state';
import { envelope, financeSigner, financeVoucher } from './testing';

const trusted = new Map([[financeSigner.keyId, financeSigner.publicKey]]);
const AT = '2026-03-15T08:00:00.000Z';

describe('receiving vouchers (电子凭证库)', () => {
  it('answers 1 for a good voucher and keeps it, with its amount and accounts', async () => {
    const state = emptyState();
    const a = receiveMessage(
      envelope([await financeVoucher('V001', { amount: 500_00n })]),
      state,
      trusted,
      AT,
    );
    if (a.kind !== 'answered') throw new Error(a.error);
    expect(a.results).toEqual([
      { admDivCode: '530700', stYear: '2026', vtCode: '5201', voucherNo: 'V001', status: 1 },
    ]);
    expect(a.events).toHaveLength(1);
    expect(a.events[0]).toMatchObject({ type: 'received', key: '530700|2026|5201|V001', amount: '500.00' });
  });

  it('answers 1 again for a voucher already received and stores nothing (idempotent)', async () => {
    const state = emptyState();
    const v = await financeVoucher('V002');
    const first = receiveMessage(envelope([v, v]), state, trusted, AT);
    if (first.kind !== 'answered') throw new Error(first.error);
    expect(first.results.map((r) => r.status)).toEqual([1, 1]);
    expect(first.events).toHaveLength(1);
    for (const e of first.events) applyEvent(state, e);
    const again = receiveMessage(envelope([v]), state, trusted, AT);
    expect(again).toMatchObject({ kind: 'answered', events: [], results: [{ status: 1 }] });
  });

  it('answers 2 for a signature that does not verify with a trusted key', async () => {
    const stranger = new Sm2SoftwareSigner(financeSigner.keyId, generateSm2KeyPair());
    const untrusted = new Sm2SoftwareSigner('someone-else', generateSm2KeyPair());
    const forged = await financeVoucher('V003', { signer: stranger });
    const unknown = await financeVoucher('V004', { signer: untrusted });
    const good = await financeVoucher('V005');
    const a = receiveMessage(envelope([forged, unknown, good]), emptyState(), trusted, AT);
    if (a.kind !== 'answered') throw new Error(a.error);
    expect(a.results.map((r) => [r.voucherNo, r.status])).toEqual([
      ['V003', 2],
      ['V004', 2],
      ['V005', 1],
    ]);
    expect(a.results[0]?.reason).toMatch(/BAD_SIGNATURE/);
    expect(a.results[1]?.reason).toMatch(/UNTRUSTED_KEY/);
    expect(a.events).toHaveLength(1);
  });

  it('answers 2 for an invalid layout while receiving its neighbours', async () => {
    const good = await financeVoucher('V006');
    const xml = new TextDecoder().decode(envelope([good, await financeVoucher('V007')]));
    // Break the second body's inner voucher: VoucherNo attribute no longer matches the inner one.
    const broken = xml.replace('VoucherNo="V007"', 'VoucherNo="V008"');
    const a = receiveMessage(new TextEncoder().encode(broken), emptyState(), trusted, AT);
    if (a.kind !== 'answered') throw new Error(a.error);
    expect(a.results.map((r) => [r.voucherNo, r.status])).toEqual([
      ['V006', 1],
      ['V008', 2],
    ]);
    expect(a.results[1]?.reason).toMatch(/VoucherNo/);
  });

  it('refuses a body that is not a MOF envelope', () => {
    expect(receiveMessage(new TextEncoder().encode('hello'), emptyState(), trusted, AT).kind).toBe('refused');
    expect(receiveMessage(new TextEncoder().encode('<a/>'), emptyState(), trusted, AT).kind).toBe('refused');
  });
});
