import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EnvelopeEntry } from '@fiscus/core/exchange/voucher/model';
import { verifyVoucher } from '@fiscus/core/exchange/voucher/signing';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningPboc, startPboc } from './pboc';
import {
  bankSigner,
  CLEARING_ACCT,
  clearingRequest,
  FakeInbox,
  financeSigner,
  paymentCopy,
  post,
  quotaNotice,
  TSA,
  testConfig,
  until,
} from './testing';

const dirs: string[] = [];
const running: RunningPboc[] = [];
const inboxes: FakeInbox[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) await p.close();
  for (const i of inboxes.splice(0)) await i.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function setup(extra: Record<string, unknown> = {}, dataDir?: string, crash = () => {}) {
  const data = dataDir ?? mkdtempSync(join(tmpdir(), 'sim-pboc-'));
  if (dataDir === undefined) dirs.push(data);
  const bank = new FakeInbox();
  const fiscus = new FakeInbox();
  inboxes.push(bank, fiscus);
  const bankUrl = await bank.start();
  const fiscusUrl = await fiscus.start();
  const pboc = await startPboc(testConfig(data, { bankUrl: [bankUrl], fiscusUrl, ...extra }), {
    log: () => {},
    random: () => 0,
    crash,
  });
  running.push(pboc);
  bank.pbocKey = { keyId: pboc.keyId, publicKey: pboc.publicKey };
  fiscus.pbocKey = bank.pbocKey;
  const url = `http://127.0.0.1:${pboc.port}`;
  return { pboc, bank, fiscus, url, data };
}

/** Copies, a 5108 and a 2301 of three vouchers on two coding lines; V3 is refunded the same day. */
async function oneDay(url: string) {
  await post(url, [
    await paymentCopy('V1', { amount: 100_00n }),
    await paymentCopy('V2', { amount: 20_50n }),
    await paymentCopy('V3', { amount: 7_00n, supDep: '206', expFunc: '2060101' }),
    await quotaNotice('Q1', [
      { voucherNo: 'V1', amount: 100_00n },
      { voucherNo: 'V2', amount: 20_50n },
      { voucherNo: 'V3', amount: 7_00n },
    ]),
  ]);
  const cleared = await post(url, [
    await clearingRequest('C1', [
      { voucherNo: 'V1', amount: 100_00n },
      { voucherNo: 'V2', amount: 20_50n },
      { voucherNo: 'V3', amount: 7_00n },
    ]),
  ]);
  const refunded = await post(url, [
    await clearingRequest('R1', [{ voucherNo: 'V3', amount: 7_00n }], { vtCode: '2302' }),
  ]);
  return { cleared, refunded };
}

const h = (e: EnvelopeEntry | undefined) => e?.voucher.header ?? {};

describe('fiscus sim pboc (in process)', () => {
  it('returns signed 2301/2302 receipts to the bank, verifiable with the core verify function', async () => {
    const { bank, url, pboc } = await setup();
    const { cleared, refunded } = await oneDay(url);
    expect(cleared.body.results[0]).toMatchObject({ ok: true, status: 1, outcome: 'cleared' });
    expect(refunded.body.results[0]).toMatchObject({ ok: true, outcome: 'refunded' });
    const refused = await post(url, [await clearingRequest('C9', [{ voucherNo: 'V1', amount: 100_00n }])]);
    expect(refused.body.results[0]).toMatchObject({ ok: true, outcome: 'refused' });
    await until(() => bank.accepted.size === 3 && pboc.state().counts.pendingDelivery === 0);

    const trusted = new Map([
      [bankSigner.keyId, bankSigner.publicKey],
      [pboc.keyId, pboc.publicKey],
    ]);
    for (const e of [...bank.of('2301'), ...bank.of('2302')]) {
      expect(e.flag).toBe('receipt');
      const report = verifyVoucher(e.voucher, trusted);
      expect(report.failed).toEqual([]);
      expect(report.verified).toEqual(['bank', 'pboc']);
      expect(e.voucher.signatures.find((s) => s.position === 'pboc')?.scope).toBe('receipt');
      expect(h(e).XClearDate).toBe('20260315');
    }
    const byNo = new Map([...bank.accepted.values()].map((e) => [String(h(e).VoucherNo), e]));
    expect(h(byNo.get('C1')).XPayAmt).toBe(127_50n);
    expect(h(byNo.get('R1')).XPayAmt).toBe(7_00n);
    expect(h(byNo.get('C9')).XPayAmt).toBe(0n);
    expect(String(h(byNo.get('C9')).XAddWord)).toMatch(/明细 1 凭证 V1: 已清算/);

    const state = pboc.state();
    expect(state.balances).toEqual([
      { acctNo: TSA, name: '国家金库（国库单一账户）', kind: 'tsa', balance: '999879.50' },
      {
        acctNo: CLEARING_ACCT,
        name: '中国工商银行丽江分行清算户',
        kind: 'clearing',
        bankCode: 'ICBC',
        balance: '120.50',
      },
    ]);
    expect(state.requests.map((r) => [r.key.split('|')[3], r.state, r.receipt])).toEqual([
      ['C1', 'cleared', 'delivered'],
      ['R1', 'refunded', 'delivered'],
      ['C9', 'refused', 'delivered'],
    ]);
  });

  it('sends the day-end 3410, 3501, 3513 and 3504 to Fiscus and the 3502 to the bank; a second call resends the same numbers', async () => {
    const { fiscus, bank, url, pboc } = await setup();
    await oneDay(url);
    const res = await fetch(`${url}/sim/day-end`, {
      method: 'POST',
      body: JSON.stringify({ date: '2026-03-15' }),
    });
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      ok: true,
      date: '20260315',
      again: false,
      delivered: true,
      queued: [],
      sent: {
        '3410': ['341020260315PBOC01'],
        '3501': ['350120260315PBOC01', '350120260315PBOC02'],
        '3513': ['351320260315PBOC01'],
        '3504': ['350420260315PBOC01'],
        '3502': ['350220260315PBOC01'],
      },
      totals: { cleared: '127.50', refunded: '7.00', net: '120.50', allocated: '0.00' },
      businessDate: '20260316',
    });

    const [r3410] = fiscus.of('3410');
    expect(verifyVoucher(r3410!.voucher, new Map([[pboc.keyId, pboc.publicKey]])).verified).toEqual(['pboc']);
    expect(h(r3410)).toMatchObject({
      ReportDate: '20260315',
      PayAmt: 120_50n,
      TreCode: 'PBOC',
      AdmDivCode: '530700',
    });
    expect(
      r3410!.voucher.details.map((d) => [
        d.SupDepCode,
        d.ExpFuncCode,
        d.FundTypeCode,
        d.PayTypeCode,
        d.PayBankCode,
        d.PayAmt,
      ]),
    ).toEqual([
      ['205', '2050203', '1', '11', 'ICBC', 120_50n],
      // Cleared and refunded the same day: the line nets to zero.
      ['206', '2060101', '1', '11', 'ICBC', 0n],
    ]);

    const lists = fiscus.of('3501');
    const direct = lists.find((e) => h(e).EVoucherType === '5201');
    expect(h(direct)).toMatchObject({
      CheckDate: '20260315',
      AllNum: '4',
      AllAmt: 134_50n,
      ClearBankCode: 'PBOC',
    });
    expect(direct!.voucher.details.map((d) => [d.VoucherNo, d.Amt, d.ProState])).toEqual([
      ['V1', 100_00n, '0'],
      ['V2', 20_50n, '0'],
      // V3 cleared and refunded the same day: both events are listed.
      ['V3', 7_00n, '0'],
      ['V3', 7_00n, '1'],
    ]);
    expect(h(lists.find((e) => h(e).EVoucherType === '8202'))).toMatchObject({ AllNum: '0', AllAmt: 0n });

    // 3504 to Fiscus: the 3410's lines as cleared amounts; 3502 to the bank: its vouchers of the day.
    const [r3504] = fiscus.of('3504');
    expect(h(r3504)).toMatchObject({
      BeginDate: '20260315',
      EndDate: '20260315',
      AllAmt: 120_50n,
      ClearAccNo: TSA,
    });
    expect(
      r3504!.voucher.details.map((d) => [d.SupDepCode, d.ExpFuncCode, d.PayBankCode, d.ClearAmt]),
    ).toEqual([
      ['205', '2050203', 'ICBC', 120_50n],
      ['206', '2060101', 'ICBC', 0n],
    ]);
    await until(() => bank.of('3502').length === 1);
    const [r3502] = bank.of('3502');
    expect(h(r3502)).toMatchObject({
      PayBankCode: 'ICBC',
      CheckDate: '20260315',
      EVoucherType: '5201',
      AllNum: '4',
    });
    expect(r3502!.voucher.details.map((d) => [d.VoucherNo, d.Amt, d.ProState])).toEqual(
      direct!.voucher.details.map((d) => [d.VoucherNo, d.Amt, d.ProState]),
    );

    const [r3513] = fiscus.of('3513');
    expect(h(r3513)).toMatchObject({
      AcctNo: TSA,
      BeginDate: '20260315',
      EndDate: '20260315',
      OpenAmt: 1_000_000_00n,
      DebitAmt: 127_50n,
      CreditAmt: 7_00n,
      CloseAmt: 999_879_50n,
    });

    // Again: the same vouchers once more, Fiscus sees duplicates.
    const again = (await (
      await fetch(`${url}/sim/day-end`, { method: 'POST', body: JSON.stringify({ date: '20260315' }) })
    ).json()) as Record<string, unknown>;
    expect(again).toMatchObject({ ok: true, again: true, delivered: true, sent: body.sent });
    expect(
      fiscus.arrivals
        .filter((a) => a.duplicate)
        .map((a) => String(h(a.entry).VoucherNo))
        .sort(),
    ).toEqual([
      '341020260315PBOC01',
      '350120260315PBOC01',
      '350120260315PBOC02',
      '350420260315PBOC01',
      '351320260315PBOC01',
    ]);

    // After the close, what arrives is booked on the next day; D's reports do not change.
    await post(url, [
      await paymentCopy('V4', { amount: 1_00n }),
      await quotaNotice('Q2', [{ voucherNo: 'V4', amount: 1_00n }]),
    ]);
    await post(url, [await clearingRequest('C2', [{ voucherNo: 'V4', amount: 1_00n }])]);
    expect(pboc.state().cleared.find((c) => c.voucherNo === 'V4')?.clearDate).toBe('20260316');
    const next = await pboc.dayEnd({ date: '2026-03-16' });
    expect(next.body).toMatchObject({ totals: { cleared: '1.00' }, businessDate: '20260317' });
    const r3513b = fiscus.of('3513').find((e) => h(e).BeginDate === '20260316');
    expect(h(r3513b)).toMatchObject({
      OpenAmt: 999_879_50n,
      DebitAmt: 1_00n,
      CreditAmt: 0n,
      CloseAmt: 999_878_50n,
    });

    expect((await fetch(`${url}/sim/day-end`, { method: 'POST', body: '{"date":"x"}' })).status).toBe(400);
  });

  it('replays its store after a restart into the same state, and delivers what was owed', async () => {
    const first = await setup();
    first.bank.failNext = 1_000;
    await oneDay(first.url);
    await first.pboc.dayEnd({ date: '2026-03-15' });
    const before = first.pboc.state();
    expect(before.counts.pendingDelivery).toBeGreaterThan(0);
    await first.pboc.close();
    running.splice(running.indexOf(first.pboc), 1);
    // A torn last line (died mid-write) is cut off.
    appendFileSync(join(first.data, 'events.jsonl'), '{"type":"received","at":"T","key":"x|y');

    const second = await setup({}, first.data);
    expect(second.pboc.state()).toEqual(before);
    // The receipts and the 3502 the first bank never took go to the new one; Fiscus had its reports.
    await until(() => second.bank.accepted.size === 3 && second.pboc.state().counts.pendingDelivery === 0);
    expect(second.fiscus.arrivals).toEqual([]);
    dirs.push(first.data);
  });

  it('retries with backoff until the bank answers', async () => {
    const { bank, url, pboc } = await setup();
    bank.failNext = 2;
    await oneDay(url);
    await until(() => bank.accepted.size === 2);
    const attempts = ['C1', 'R1'].map((no) =>
      pboc.delivery.attemptsOf(`receipt:530700|2026|${no === 'C1' ? '2301' : '2302'}|${no}`),
    );
    expect(attempts[0]! + attempts[1]!).toBeGreaterThanOrEqual(2);
  });

  it('faults: lose-receipt, break-signature, duplicate, alter', async () => {
    const lose = await setup({ loseReceipt: '1' });
    await oneDay(lose.url);
    await new Promise((r) => setTimeout(r, 300));
    expect(lose.bank.arrivals).toEqual([]);
    expect(lose.pboc.state().requests.map((r) => r.receipt)).toEqual(['lost', 'lost']);
    expect(lose.pboc.state().counts.pendingDelivery).toBe(0);

    const brk = await setup({ breakSignature: '1', duplicate: '1' });
    await oneDay(brk.url);
    await until(() => brk.bank.accepted.size === 2 && brk.bank.arrivals.length === 4);
    // Each first attempt was refused for its signature, the retry verified, then sent twice.
    expect(brk.bank.refusedMessages).toBeGreaterThanOrEqual(1);
    expect(brk.bank.arrivals.filter((a) => a.duplicate)).toHaveLength(2);

    const alter = await setup({ alter: '1' });
    await oneDay(alter.url);
    const end = await alter.pboc.dayEnd({ date: '2026-03-15' });
    expect(end.body.altered).toEqual([
      '3410 205|2050203|1|11|ICBC +0.01',
      '3410 206|2060101|1|11|ICBC +0.01',
      '3501 V1 +0.01',
      '3501 V2 +0.01',
      '3501 V3 +0.01',
    ]);
    // The totals answered are the true ones; the reports carry the altered lines (and sums).
    expect(end.body.totals).toMatchObject({ net: '120.50' });
    const direct = alter.fiscus.of('3501').find((e) => h(e).EVoucherType === '5201');
    // The refund line (V3, ProState 1) carries the refunded amount as it is.
    expect(direct!.voucher.details.map((d) => d.Amt)).toEqual([100_01n, 20_51n, 7_01n, 7_00n]);
    expect(h(direct).AllAmt).toBe(134_53n);
    expect(h(alter.fiscus.of('3410')[0]).PayAmt).toBe(120_52n);
  });

  it('faults: drop (no answer, nothing stored, the retry is taken) and crash-after (once per store)', async () => {
    const drop = await setup({ drop: '1' });
    const copy = await paymentCopy('V1', { amount: 100_00n });
    await expect(post(drop.url, [copy])).rejects.toThrow();
    expect(drop.pboc.state().counts.payments).toBe(0);
    const retry = await post(drop.url, [copy]);
    expect(retry.body.results[0]).toMatchObject({ ok: true, status: 1 });
    expect(drop.pboc.state().counts.payments).toBe(1);

    let crashes = 0;
    const first = await setup({ crashAfter: '1' }, undefined, () => {
      crashes += 1;
    });
    await post(first.url, [
      await paymentCopy('V1', { amount: 100_00n }),
      await paymentCopy('V2', { amount: 20_50n }),
      await quotaNotice('Q1', [
        { voucherNo: 'V1', amount: 100_00n },
        { voucherNo: 'V2', amount: 20_50n },
      ]),
    ]);
    const request = await clearingRequest('C1', [
      { voucherNo: 'V1', amount: 100_00n },
      { voucherNo: 'V2', amount: 20_50n },
    ]);
    // Decided and recorded, then dead before answering: no answer, no receipt.
    await expect(post(first.url, [request])).rejects.toThrow();
    expect(crashes).toBe(1);
    const died = first.pboc.state();
    expect(died.crashed).toBe(true);
    expect(died.requests.map((r) => [r.state, r.receipt])).toEqual([['cleared', 'pending']]);
    await new Promise((r) => setTimeout(r, 200));
    expect(first.bank.arrivals).toEqual([]);
    await first.pboc.close();
    running.splice(running.indexOf(first.pboc), 1);

    // Restarted on the same store: the owed receipt goes out, the resent 2301 is answered from the
    // store (cleared once), and it does not crash again.
    const second = await setup({ crashAfter: '1' }, first.data, () => {
      crashes += 1;
    });
    await until(() => second.bank.accepted.size === 1);
    const again = await post(second.url, [request]);
    expect(again.body.results[0]).toMatchObject({ ok: true, outcome: 'cleared' });
    const st = second.pboc.state();
    expect(st.balances.find((b) => b.kind === 'tsa')?.balance).toBe('999879.50');
    expect(st.counts.cleared).toBe(1);
    expect(crashes).toBe(1);
    dirs.push(first.data);
  });

  it('trusts only the configured keys', async () => {
    const { url } = await setup({ trustKey: [`${financeSigner.keyId}:${financeSigner.publicKey}`] });
    const res = await post(url, [await clearingRequest('C1', [{ voucherNo: 'V1', amount: 1_00n }])]);
    expect(res.body.results[0]).toMatchObject({ ok: false, status: 2 });
    expect(String(res.body.results[0]?.reason)).toMatch(/bank\/bank-ICBC UNTRUSTED_KEY/);
    expect((await fetch(`${url}/voucher-library/messages`, { method: 'POST', body: 'nope' })).status).toBe(
      400,
    );
  });
});
