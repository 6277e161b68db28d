import type { EnvelopeEntry } from '@fiscus/core/exchange/voucher/model';
import { describe, expect, it } from 'vitest';
import { type ReceiveResult, receiveMessage } from './inbound';
import { applyEvent, emptyState, type PbocEvent, type PbocState, stateView } from './state';
import {
  bankSigner,
  CLEARING_ACCT,
  clearingRequest,
  envelope,
  financeSigner,
  paymentCopy,
  quotaNotice,
  TSA,
} from './testing';

const trusted = new Map([
  [financeSigner.keyId, financeSigner.publicKey],
  [bankSigner.keyId, bankSigner.publicKey],
]);

/** A treasury in memory: the same receiveMessage the server runs, events folded straight in. */
function treasury() {
  const state = emptyState();
  const events: PbocEvent[] = [];
  const append = (...es: PbocEvent[]) => {
    for (const e of es) {
      events.push(e);
      applyEvent(state, e);
    }
  };
  append({ type: 'opened', at: 'T0', tsaAcctNo: TSA, tsaAcctName: '国库', opening: '1000000.00' });
  let date = '20260315';
  const receive = (...entries: EnvelopeEntry[]): ReceiveResult[] => {
    const a = receiveMessage(envelope(entries), {
      state,
      trusted,
      tsaAcctNo: TSA,
      businessDate: () => date,
      at: 'T1',
      append,
    });
    if (a.kind !== 'answered') throw new Error(a.error);
    return a.results;
  };
  return {
    state,
    events,
    receive,
    setDate: (d: string) => {
      date = d;
    },
  };
}

const balance = (s: PbocState, acct: string) => s.accounts.get(acct)?.balance;

describe('2301 clearing checks', () => {
  it('clears vouchers with a copy and a quota notice, moving exactly Σ from the TSA', async () => {
    const t = treasury();
    t.receive(
      await paymentCopy('V1', { amount: 100_00n }),
      await paymentCopy('V2', { amount: 23_45n }),
      await quotaNotice('Q1', [
        { voucherNo: 'V1', amount: 100_00n },
        { voucherNo: 'V2', amount: 23_45n },
      ]),
    );
    const [r] = t.receive(
      await clearingRequest('C1', [
        { voucherNo: 'V1', amount: 100_00n },
        { voucherNo: 'V2', amount: 23_45n, oriVtCode: '5201' },
      ]),
    );
    expect(r).toMatchObject({ vtCode: '2301', voucherNo: 'C1', ok: true, status: 1, outcome: 'cleared' });
    expect(balance(t.state, TSA)).toBe(1_000_000_00n - 123_45n);
    expect(balance(t.state, CLEARING_ACCT)).toBe(123_45n);
    const view = stateView(t.state, { businessDate: '20260315', lost: () => false, pending: [] });
    expect(view.quotas).toEqual([
      {
        bankCode: 'ICBC',
        payTypeCode: '11',
        issued: '123.45',
        cleared: '123.45',
        refunded: '0.00',
        remaining: '0.00',
      },
    ]);
    expect(view.cleared.map((c) => [c.voucherNo, c.amount, c.clearDate])).toEqual([
      ['V1', '100.00', '20260315'],
      ['V2', '23.45', '20260315'],
    ]);
  });

  async function refusal(t: ReturnType<typeof treasury>, entry: EnvelopeEntry): Promise<string> {
    const before = [...t.state.accounts.values()].map((a) => `${a.acctNo}=${a.balance}`);
    const [r] = t.receive(entry);
    expect(r).toMatchObject({ ok: true, status: 1, outcome: 'refused' });
    // Nothing moves on a refusal.
    expect([...t.state.accounts.values()].map((a) => `${a.acctNo}=${a.balance}`)).toEqual(before);
    return String(r?.outcomeReason);
  }

  it('refuses an unknown voucher, naming the detail', async () => {
    const t = treasury();
    t.receive(await paymentCopy('V1'), await quotaNotice('Q1', [{ voucherNo: 'V1', amount: 100_00n }]));
    const reason = await refusal(
      t,
      await clearingRequest('C1', [
        { voucherNo: 'V1', amount: 100_00n },
        { voucherNo: 'NOPE', amount: 5_00n },
      ]),
    );
    expect(reason).toMatch(/^明细 2 凭证 NOPE: 未收到该凭证 unknown voucher/);
    expect(t.state.cleared.size).toBe(0);
  });

  it('refuses a voucher without quota, and one whose quota is of the other pay type', async () => {
    const t = treasury();
    t.receive(await paymentCopy('V1'));
    expect(await refusal(t, await clearingRequest('C1', [{ voucherNo: 'V1', amount: 100_00n }]))).toMatch(
      /无清算额度 no quota notice \(5108\)/,
    );
    // An authorized payment covered only by a 5108 line is not covered.
    t.receive(
      await paymentCopy('A1', { vtCode: '8202' }),
      await quotaNotice('Q2', [{ voucherNo: 'A1', amount: 100_00n, oriVtCode: '8202' }]),
    );
    expect(
      await refusal(
        t,
        await clearingRequest('C2', [{ voucherNo: 'A1', amount: 100_00n }], { payTypeCode: '12' }),
      ),
    ).toMatch(/无清算额度 no quota notice \(5106\)/);
    t.receive(await quotaNotice('Q3', [{ voucherNo: 'A1', amount: 100_00n }], { vtCode: '5106' }));
    const [ok] = t.receive(
      await clearingRequest('C3', [{ voucherNo: 'A1', amount: 100_00n }], { payTypeCode: '12' }),
    );
    expect(ok?.outcome).toBe('cleared');
    // A 2301 of pay type 11 naming an 8202 is refused.
    expect(
      await refusal(
        t,
        await clearingRequest('C4', [{ voucherNo: 'A1', amount: 100_00n, oriVtCode: '8202' }]),
      ),
    ).toMatch(/凭证类型与支付方式不符/);
  });

  it('clears a voucher at most once', async () => {
    const t = treasury();
    t.receive(await paymentCopy('V1'), await quotaNotice('Q1', [{ voucherNo: 'V1', amount: 100_00n }]));
    const c1 = await clearingRequest('C1', [{ voucherNo: 'V1', amount: 100_00n }]);
    expect(t.receive(c1)[0]?.outcome).toBe('cleared');
    // The same 2301 again: received again, decided once.
    expect(t.receive(c1)[0]).toMatchObject({ ok: true, outcome: 'cleared' });
    expect(balance(t.state, CLEARING_ACCT)).toBe(100_00n);
    // Another 2301 with the same voucher.
    expect(await refusal(t, await clearingRequest('C2', [{ voucherNo: 'V1', amount: 100_00n }]))).toMatch(
      /明细 1 凭证 V1: 已清算 cleared before by 530700\|2026\|2301\|C1 on 20260315/,
    );
    // Twice within one request.
    t.receive(await paymentCopy('V2'), await quotaNotice('Q2', [{ voucherNo: 'V2', amount: 100_00n }]));
    expect(
      await refusal(
        t,
        await clearingRequest('C3', [
          { voucherNo: 'V2', amount: 100_00n },
          { voucherNo: 'V2', amount: 100_00n },
        ]),
      ),
    ).toMatch(/明细 2 凭证 V2: 明细重复/);
  });

  it('refuses an amount that differs from the voucher or from the quota notice', async () => {
    const t = treasury();
    t.receive(
      await paymentCopy('V1', { amount: 100_00n }),
      await paymentCopy('V2', { amount: 50_00n }),
      await quotaNotice('Q1', [
        { voucherNo: 'V1', amount: 100_00n },
        { voucherNo: 'V2', amount: 49_99n },
      ]),
    );
    expect(await refusal(t, await clearingRequest('C1', [{ voucherNo: 'V1', amount: 100_01n }]))).toMatch(
      /金额不符 amount differs: requested 100.01, voucher 100.00/,
    );
    expect(await refusal(t, await clearingRequest('C2', [{ voucherNo: 'V2', amount: 50_00n }]))).toMatch(
      /金额不符 amount differs: requested 50.00, quota notice 49.99/,
    );
  });

  it('refuses a request whose ClearAcctNo is not the TSA', async () => {
    const t = treasury();
    t.receive(await paymentCopy('V1'), await quotaNotice('Q1', [{ voucherNo: 'V1', amount: 100_00n }]));
    expect(
      await refusal(
        t,
        await clearingRequest('C1', [{ voucherNo: 'V1', amount: 100_00n }], { clearAcctNo: '999' }),
      ),
    ).toMatch(/清算账户不是国库单一账户/);
  });
});

describe('zero and negative quota lines', () => {
  it('accepts them: zero = adjustment (5253), negative reduces the remaining quota', async () => {
    const t = treasury();
    const results = t.receive(
      await quotaNotice('Q0', [{ voucherNo: 'ADJ5253', amount: 0n, oriVtCode: '5253' }]),
      await quotaNotice('QN', [{ voucherNo: 'R2203', amount: -30_00n, oriVtCode: '2203' }]),
      await quotaNotice('QP', [{ voucherNo: 'V1', amount: 100_00n }]),
    );
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    const view = stateView(t.state, { businessDate: '20260315', lost: () => false, pending: [] });
    expect(view.quotas).toEqual([
      {
        bankCode: 'ICBC',
        payTypeCode: '11',
        issued: '70.00',
        cleared: '0.00',
        refunded: '0.00',
        remaining: '70.00',
      },
    ]);
    // Neither covers a voucher.
    expect([...t.state.covers.keys()]).toEqual(['11|530700|2026|5201|V1']);
  });
});

describe('2302 refund clearing', () => {
  async function clearedTreasury() {
    const t = treasury();
    t.receive(
      await paymentCopy('V1', { amount: 100_00n }),
      await paymentCopy('V2', { amount: 40_00n }),
      await quotaNotice('Q1', [
        { voucherNo: 'V1', amount: 100_00n },
        { voucherNo: 'V2', amount: 40_00n },
      ]),
      await clearingRequest('C1', [
        { voucherNo: 'V1', amount: 100_00n },
        { voucherNo: 'V2', amount: 40_00n },
      ]),
    );
    t.setDate('20260316');
    return t;
  }

  it('returns the money to the TSA', async () => {
    const t = await clearedTreasury();
    const [r] = t.receive(
      await clearingRequest('R1', [{ voucherNo: 'V2', amount: 40_00n }], { vtCode: '2302' }),
    );
    expect(r?.outcome).toBe('refunded');
    expect(balance(t.state, TSA)).toBe(1_000_000_00n - 100_00n);
    expect(balance(t.state, CLEARING_ACCT)).toBe(100_00n);
    expect(t.state.cleared.get('530700|2026|5201|V2')?.refund).toEqual({
      request: '530700|2026|2302|R1',
      date: '20260316',
      amount: 40_00n,
    });
    const q = stateView(t.state, { businessDate: '20260316', lost: () => false, pending: [] }).quotas[0];
    expect(q).toMatchObject({ cleared: '140.00', refunded: '40.00', remaining: '40.00' });
  });

  it('refuses a second refund of a detail, naming the first', async () => {
    const t = await clearedTreasury();
    t.receive(await clearingRequest('R1', [{ voucherNo: 'V2', amount: 40_00n }], { vtCode: '2302' }));
    const [r] = t.receive(
      await clearingRequest('R2', [{ voucherNo: 'V2', amount: 40_00n }], { vtCode: '2302' }),
    );
    expect(r?.outcome).toBe('refused');
    expect(r?.outcomeReason).toMatch(
      /明细 1 凭证 V2: 重复退款 refunded before by 530700\|2026\|2302\|R1 on 20260316/,
    );
    expect(balance(t.state, TSA)).toBe(1_000_000_00n - 100_00n);
  });

  it('refuses a refund amount other than the cleared amount, and a refund of what was never cleared', async () => {
    const t = await clearedTreasury();
    const [partial] = t.receive(
      await clearingRequest('R1', [{ voucherNo: 'V1', amount: 50_00n }], { vtCode: '2302' }),
    );
    expect(partial?.outcomeReason).toMatch(
      /退款金额不符 refund amount 50.00 differs from the cleared amount 100.00/,
    );
    const [never] = t.receive(
      await clearingRequest('R2', [{ voucherNo: 'V9', amount: 1_00n }], { vtCode: '2302' }),
    );
    expect(never?.outcomeReason).toMatch(/明细 1 凭证 V9: 未清算/);
    expect(balance(t.state, TSA)).toBe(1_000_000_00n - 140_00n);
  });
});

describe('signatures and types', () => {
  it('refuses bad or missing signatures per voucher; neighbours are received', async () => {
    const t = treasury();
    const good = await paymentCopy('V1');
    const bad = await paymentCopy('V2');
    const broken: EnvelopeEntry = {
      ...bad,
      voucher: {
        ...bad.voucher,
        header: { ...bad.voucher.header, PayAmt: 999_00n },
        details: bad.voucher.details.map((d) => ({ ...d, PayAmt: 999_00n })),
      },
    };
    // A 2301 signed by finance at `bank`? Not trusted for that: the bank key is needed at `bank`.
    const { generateSm2KeyPair, Sm2SoftwareSigner } = await import('@fiscus/core/exchange/crypto/sm2');
    const stranger = new Sm2SoftwareSigner('bank-STRANGER', generateSm2KeyPair());
    const untrusted = await clearingRequest('C1', [{ voucherNo: 'V1', amount: 100_00n }], {
      signer: stranger,
    });
    const results = t.receive(good, broken, untrusted);
    expect(results.map((r) => r.status)).toEqual([1, 2, 2]);
    expect(results[1]?.reason).toMatch(
      /验签失败 signature invalid: finance\/finance-530700000 BAD_SIGNATURE/,
    );
    expect(results[2]?.reason).toMatch(/验签失败 .*bank\/bank-STRANGER UNTRUSTED_KEY/);
    expect(t.state.docs.size).toBe(1);
    expect(t.state.requests.size).toBe(0);
  });

  it('keeps a 5207 and pays it from the TSA', async () => {
    const t = treasury();
    const { SAMPLE_5201 } = await import('@fiscus/core/exchange/voucher/__fixtures__/sample-5201');
    const { signVoucher } = await import('@fiscus/core/exchange/voucher/signing');
    const h = SAMPLE_5201.header;
    const voucher = await signVoucher(
      {
        header: {
          Id: '530700-2026-5207-A1',
          AdmDivCode: '530700',
          StYear: '2026',
          VtCode: '5207',
          VouDate: '20260315',
          VoucherNo: 'A1',
          PayAcctNo: TSA,
          PayAcctName: '国库',
          PayeeAcctNo: h.PayeeAcctNo,
          PayeeAcctName: h.PayeeAcctName,
          PayAmt: 500_00n,
        },
        details: [],
        signatures: [],
      },
      financeSigner,
      'finance',
    );
    const [r] = t.receive({ flag: 'send', returnReason: '', attach: '', voucher });
    expect(r).toMatchObject({ ok: true, status: 1 });
    expect(balance(t.state, TSA)).toBe(1_000_000_00n - 500_00n);
    expect(t.state.tsaMovements).toEqual([{ date: '20260315', delta: -500_00n, ref: '530700|2026|5207|A1' }]);
  });
});
