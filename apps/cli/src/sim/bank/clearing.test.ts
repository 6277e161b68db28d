import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSm2KeyPair, Sm2SoftwareSigner } from '@fiscus/core/exchange/crypto/sm2';
import type { EnvelopeEntry } from '@fiscus/core/exchange/voucher/model';
import { signVoucher, verifyVoucher } from '@fiscus/core/exchange/voucher/signing';
import { buildCorrectionVoucher } from '@fiscus/core/payments/clearing/correction-build';
import { afterEach, describe, expect, it } from 'vitest';
import { type BankHooks, type RunningBank, startBank } from './bank';
import { chosen } from './decisions';
import { clearingAccountNo, parseBankOptions, type RawBankOptions } from './options';
import { pendingItems, stateView } from './state';
import { EventStore } from './store';
import {
  envelope,
  FakeFiscus,
  FakePboc,
  FINANCE_ZBA,
  financeQuota,
  financeSigner,
  financeVoucher,
  pbocSigner,
  UNIT_ZBA,
  until,
} from './testing';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(options: RawBankOptions = {}, hooks: Partial<BankHooks> = {}) {
  const data = mkdtempSync(join(tmpdir(), 'sim-bank-clearing-'));
  cleanups.push(() => rmSync(data, { recursive: true, force: true }));
  const fiscus = new FakeFiscus();
  const pboc = new FakePboc();
  const fiscusUrl = await fiscus.start();
  const pbocUrl = await pboc.start();
  cleanups.push(
    () => fiscus.stop(),
    () => pboc.stop(),
  );
  const config = parseBankOptions({
    port: '0',
    data,
    fiscus: fiscusUrl,
    pbocUrl,
    payDate: '2026-03-15',
    trustKey: [
      `${financeSigner.keyId}:${financeSigner.publicKey}`,
      `${pbocSigner.keyId}:${pbocSigner.publicKey}`,
    ],
    ...options,
  });
  const bank = await startBank(config, { log: () => {}, random: () => 0.5, ...hooks });
  cleanups.push(() => bank.close());
  fiscus.bankKey = { keyId: bank.keyId, publicKey: bank.publicKey };
  pboc.bankKey = { keyId: bank.keyId, publicKey: bank.publicKey };
  pboc.bankUrl = `http://127.0.0.1:${bank.port}`;
  return { bank, fiscus, pboc, data };
}

const url = (bank: RunningBank, path: string) => `http://127.0.0.1:${bank.port}${path}`;

async function post(bank: RunningBank, body: Uint8Array) {
  const res = await fetch(url(bank, '/voucher-library/messages'), {
    method: 'POST',
    headers: { 'content-type': 'application/xml' },
    body,
  });
  return (await res.json()) as { results: { status: number; ok?: boolean; reason?: string }[] };
}

interface DayEndAnswer {
  ok: boolean;
  date: string;
  repeated: boolean;
  sent: {
    clearing: { vtCode: string; voucherNo: string; payTypeCode: string; amount: string; status: string }[];
    dailyReports: { voucherNo: string; payAmt: string; posAmt: string; negAmt: string; details: number }[];
    statements: { voucherNo: string; acctNo: string; closeAmt: string }[];
    statementsPending: boolean;
  };
}

async function dayEnd(bank: RunningBank, date: string, final?: boolean): Promise<DayEndAnswer> {
  const res = await fetch(url(bank, '/sim/day-end'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(final === undefined ? { date } : { date, final }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as DayEndAnswer;
}

interface SimState {
  accounts: { acctNo: string; balance: string; kind?: string }[];
  zeroBalanceAccounts: { acctNo: string; kind: string; balance: string }[];
  clearing: { voucherNo: string; vtCode: string; status: string; duplicateOf?: string; addWord?: string }[];
  quotas: { key: string; amount: string }[];
  lostReceipts: string[];
  bank: { agentAcctNo: string; tsaAcctNo: string };
}
const simState = async (bank: RunningBank) =>
  (await (await fetch(url(bank, '/sim/state'))).json()) as SimState;

const zba = (s: SimState) => Object.fromEntries(s.zeroBalanceAccounts.map((a) => [a.acctNo, a.balance]));

/** Fiscus's accepted messages of one type. */
const ofType = (fiscus: FakeFiscus, vt: string): EnvelopeEntry[] =>
  [...fiscus.accepted.values()].filter((e) => e.voucher.header.VtCode === vt);

/** Two direct payments (100.00 + 23.45) and one authorized (50.00), all paid and acknowledged. */
async function payDay(bank: RunningBank, fiscus: FakeFiscus) {
  await post(
    bank,
    envelope([
      await financeVoucher('D001', { amount: 100_00n }),
      await financeVoucher('D002', { amount: 23_45n }),
      await financeVoucher('A001', { amount: 50_00n, authorized: true }),
    ]),
  );
  await until(() => fiscus.accepted.size === 3);
}

describe('day-end clearing (2301/2302, 2206, 3513)', () => {
  it('builds one 2301 per pay type with per-voucher details and the right totals', async () => {
    const { bank, fiscus, pboc } = await setup();
    await payDay(bank, fiscus);
    pboc.hold = true;
    const answer = await dayEnd(bank, '2026-03-15');
    expect(answer.ok).toBe(true);
    expect(answer.sent.clearing.map((c) => [c.vtCode, c.voucherNo, c.payTypeCode, c.amount])).toEqual([
      ['2301', '230120260315ABC00111ICBC01', '11', '123.45'],
      ['2301', '230120260315ABC00112ICBC01', '12', '50.00'],
    ]);
    await until(() => pboc.requests().length === 2);
    const [direct, authorized] = pboc.requests('2301');
    if (direct === undefined || authorized === undefined) throw new Error('no 2301');
    expect(direct.flag).toBe('send');
    expect(direct.voucher.header).toMatchObject({
      AdmDivCode: '530700',
      StYear: '2026',
      VtCode: '2301',
      VouDate: '20260315',
      PayTypeCode: '11',
      PayAmt: 123_45n,
      AgentAcctNo: '8888101112000001',
      ClearAcctNo: '270751000001',
      PayBankNo: 'ABC001',
    });
    expect(direct.voucher.details.map((d) => [d.VoucherNo, d.OriVtCode, d.PayAmt])).toEqual([
      ['D001', '5201', 100_00n],
      ['D002', '5201', 23_45n],
    ]);
    expect(direct.voucher.details[0]).toMatchObject({
      SupDepCode: '205',
      ExpFuncCode: '2050203',
      AgencyCode: '205002',
    });
    expect(authorized.voucher.header).toMatchObject({ PayTypeCode: '12', PayAmt: 50_00n });
    expect(authorized.voucher.details.map((d) => [d.VoucherNo, d.OriVtCode])).toEqual([['A001', '8202']]);
    const keys = new Map([[bank.keyId, bank.publicKey]]);
    expect(verifyVoucher(direct.voucher, keys)).toEqual({ verified: ['bank'], failed: [] });

    // Paid, not cleared yet: the zero-balance accounts are overdrawn (the bank advanced).
    const before = await simState(bank);
    expect(zba(before)).toEqual({ [FINANCE_ZBA]: '-123.45', [UNIT_ZBA.PayAcctNo]: '-50.00' });
    expect(before.clearing.map((c) => c.status)).toEqual(['sent', 'sent']);
    expect(before.bank).toMatchObject({ agentAcctNo: '8888101112000001', tsaAcctNo: '270751000001' });
    // Statements wait for the receipts.
    expect(ofType(fiscus, '3513')).toEqual([]);
  });

  it('nets each zero-balance account to zero after the receipts and then sends the 3513s and the 2206', async () => {
    const { bank, fiscus, pboc } = await setup();
    await payDay(bank, fiscus);
    pboc.hold = true;
    const first = await dayEnd(bank, '2026-03-15');
    expect(first.sent.statementsPending).toBe(true);
    await until(() => ofType(fiscus, '2206').length === 1);
    await new Promise((r) => setTimeout(r, 150));
    expect(ofType(fiscus, '3513')).toEqual([]);
    await pboc.release();
    await until(() => ofType(fiscus, '3513').length === 2);

    const state = await simState(bank);
    expect(zba(state)).toEqual({ [FINANCE_ZBA]: '0.00', [UNIT_ZBA.PayAcctNo]: '0.00' });
    expect(state.clearing.map((c) => c.status)).toEqual(['cleared', 'cleared']);

    const statements = ofType(fiscus, '3513').map((e) => e.voucher.header);
    expect(
      statements.map((h) => [h.AcctNo, h.AcctKind, h.OpenAmt, h.DebitAmt, h.CreditAmt, h.CloseAmt]),
    ).toEqual([
      [FINANCE_ZBA, '财政零余额账户', 0n, 123_45n, 123_45n, 0n],
      [UNIT_ZBA.PayAcctNo, '单位零余额账户', 0n, 50_00n, 50_00n, 0n],
    ]);
    expect(statements[0]).toMatchObject({
      VoucherNo: '351320260315ABC001001',
      BeginDate: '20260315',
      EndDate: '20260315',
      BankCode: 'ABC001',
    });

    const [report] = ofType(fiscus, '2206');
    if (report === undefined) throw new Error('no 2206');
    expect(report.voucher.header).toMatchObject({
      VoucherNo: '220620260315ABC001',
      ReportDate: '20260315',
      PosAmt: 173_45n,
      NegAmt: 0n,
      PayAmt: 173_45n,
      PayBankCode: 'ABC001',
    });
    expect(
      report.voucher.details.map((d) => [d.VoucherNo, d.OriVtCode, d.PayAmt, d.PayDate, d.PayAcctNo]),
    ).toEqual([
      ['D001', '5201', 100_00n, '20260315', FINANCE_ZBA],
      ['D002', '5201', 23_45n, '20260315', FINANCE_ZBA],
      ['A001', '8202', 50_00n, '20260315', UNIT_ZBA.PayAcctNo],
    ]);
  });

  it('is idempotent per date: a repeat resends the same vouchers and never clears a voucher twice', async () => {
    const { bank, fiscus, pboc } = await setup();
    await payDay(bank, fiscus);
    const first = await dayEnd(bank, '2026-03-15');
    await until(() => ofType(fiscus, '3513').length === 2);
    const arrivalsBefore = fiscus.arrivals.length;
    const second = await dayEnd(bank, '2026-03-15');
    expect(second.repeated).toBe(true);
    expect(second.sent.clearing.map((c) => c.voucherNo)).toEqual(first.sent.clearing.map((c) => c.voucherNo));
    expect(second.sent.dailyReports.map((r) => r.voucherNo)).toEqual(['220620260315ABC001']);
    expect(second.sent.statements.map((s) => s.voucherNo)).toEqual([
      '351320260315ABC001001',
      '351320260315ABC001002',
    ]);
    // Fiscus gets the reports again (and calls them duplicates), the PBOC no new request.
    await until(() => fiscus.arrivals.length >= arrivalsBefore + 3);
    expect(fiscus.arrivals.slice(arrivalsBefore).every((a) => a.duplicate)).toBe(true);
    await new Promise((r) => setTimeout(r, 150));
    expect(pboc.requests().map((e) => e.voucher.header.VoucherNo)).toEqual([
      '230120260315ABC00111ICBC01',
      '230120260315ABC00112ICBC01',
    ]);
    const details = pboc.requests().flatMap((e) => e.voucher.details.map((d) => d.VoucherNo));
    expect(new Set(details).size).toBe(details.length);
    // A voucher paid later that day goes into a new request on the next call, alone.
    await post(bank, envelope([await financeVoucher('D003', { amount: 1_00n })]));
    await until(() => fiscus.accepted.has('530700|2026|5201|D003|receipt'));
    const third = await dayEnd(bank, '2026-03-15');
    expect(third.sent.clearing.map((c) => c.voucherNo)).toEqual([
      '230120260315ABC00111ICBC01',
      '230120260315ABC00112ICBC01',
      '230120260315ABC00111ICBC02',
    ]);
    await until(() => pboc.requests().length === 3);
    expect(pboc.requests()[2]?.voucher.details.map((d) => d.VoucherNo)).toEqual(['D003']);
  });

  it('sends a 2302 (TKLX 1) for a bounce after clearing and the account nets to zero again', async () => {
    // A clock that runs from noon (local) on 15 March and can jump a day ahead.
    let offset = 0;
    const start = Date.now();
    const { bank, fiscus, pboc } = await setup(
      { payDate: undefined },
      { now: () => new Date(Date.parse('2026-03-15T12:00:00') + offset + (Date.now() - start)) },
    );
    await post(bank, envelope([await financeVoucher('B001', { amount: 80_00n })]));
    await until(() => fiscus.accepted.size === 1);
    await dayEnd(bank, '2026-03-15');
    await until(() => ofType(fiscus, '3513').length === 1);

    // The next day the payee's bank sends the money back.
    offset = 24 * 3600_000;
    const res = await fetch(url(bank, '/sim/bounce'), {
      method: 'POST',
      body: JSON.stringify({ voucherNo: 'B001', reason: '收款行退票：账户不存在' }),
    });
    expect(res.status).toBe(200);
    await until(() => ofType(fiscus, '2203').length === 1);
    expect(zba(await simState(bank))).toEqual({ [FINANCE_ZBA]: '80.00' });

    const answer = await dayEnd(bank, '2026-03-16');
    expect(answer.sent.clearing.map((c) => [c.vtCode, c.voucherNo, c.amount])).toEqual([
      ['2302', '230220260316ABC00111ICBC01', '80.00'],
    ]);
    await until(() => pboc.requests('2302').length === 1);
    const [refund] = pboc.requests('2302');
    expect(refund?.voucher.header).toMatchObject({
      TKLX: '1',
      PayAmt: 80_00n,
      PayTypeCode: '11',
      PayEntrustDate: '20260316',
      PayDictateNo: expect.stringMatching(/^\d{8}$/),
    });
    expect(refund?.voucher.details.map((d) => [d.VoucherNo, d.OriVtCode, d.PayAmt])).toEqual([
      ['B001', '5201', 80_00n],
    ]);
    await until(() => ofType(fiscus, '3513').length === 2);
    expect(zba(await simState(bank))).toEqual({ [FINANCE_ZBA]: '0.00' });
    const day2 = ofType(fiscus, '3513').find((e) => e.voucher.header.VouDate === '20260316');
    expect(day2?.voucher.header).toMatchObject({
      OpenAmt: 0n,
      DebitAmt: 80_00n,
      CreditAmt: 80_00n,
      CloseAmt: 0n,
    });
    const report = ofType(fiscus, '2206').find((e) => e.voucher.header.ReportDate === '20260316');
    expect(report?.voucher.header).toMatchObject({ PosAmt: 0n, NegAmt: 80_00n, PayAmt: -80_00n });
    expect(report?.voucher.details.map((d) => [d.VoucherNo, d.OriVtCode, d.PayAmt])).toEqual([
      ['B001', '2203', -80_00n],
    ]);
  });

  it('with --bounce-after clearing, bounces a chosen voucher only once it was cleared', async () => {
    const { bank, fiscus, pboc } = await setup({ bounceAfter: 'clearing' });
    await post(bank, envelope([await financeVoucher('C001', { payeeName: '退票测试公司', amount: 10_00n })]));
    await until(() => fiscus.accepted.size === 1);
    await new Promise((r) => setTimeout(r, 150));
    expect(bank.store.state.vouchers.get('530700|2026|5201|C001')?.state).toBe('paid');
    await dayEnd(bank, '2026-03-15');
    await until(() => ofType(fiscus, '2203').length === 1);
    const again = await dayEnd(bank, '2026-03-15');
    expect(again.sent.clearing.map((c) => c.vtCode)).toEqual(['2301', '2302']);
    await until(() => pboc.requests('2302')[0]?.voucher.header.PayAmt === 10_00n);
    await until(
      () =>
        bank.store.state.clearing.size === 2 &&
        [...bank.store.state.clearing.values()].every((c) => c.receipt),
    );
    expect(zba(await simState(bank))).toEqual({ [FINANCE_ZBA]: '0.00' });
  });

  it('final: true sends the statements without waiting for receipts', async () => {
    const { bank, fiscus, pboc } = await setup();
    await payDay(bank, fiscus);
    pboc.hold = true;
    await dayEnd(bank, '2026-03-15');
    await new Promise((r) => setTimeout(r, 150));
    expect(ofType(fiscus, '3513')).toEqual([]);
    const final = await dayEnd(bank, '2026-03-15', true);
    expect(final.sent.statementsPending).toBe(false);
    expect(final.sent.statements.map((s) => s.closeAmt)).toEqual(['-123.45', '-50.00']);
    await until(() => ofType(fiscus, '3513').length === 2);
  });

  it('retries the PBOC with backoff and, restarted, remembers what was cleared', async () => {
    const { bank, fiscus, pboc, data } = await setup();
    await payDay(bank, fiscus);
    pboc.failNext = 2;
    await dayEnd(bank, '2026-03-15');
    await until(() => ofType(fiscus, '3513').length === 2);
    // Both requests were due in the same step; each failed once (503) and went through on retry.
    expect(bank.pboc.attemptsOf('530700|2026|2301|230120260315ABC00111ICBC01')).toBe(1);
    expect(bank.pboc.attemptsOf('530700|2026|2301|230120260315ABC00112ICBC01')).toBe(1);
    await until(() => pendingItems(bank.store.state).length === 0);
    await bank.close();
    const store = EventStore.open(data);
    cleanups.push(() => store.close());
    const view = stateView(store.state);
    expect(view.clearing.map((c) => c.status)).toEqual(['cleared', 'cleared']);
    expect(view.zeroBalanceAccounts.map((a) => a.balance)).toEqual(['0.00', '0.00']);
    expect(view.days).toEqual({ '20260315': { final: false, closed: true } });
    expect(view.counts.pendingDelivery).toBe(0);
  });

  it('answers 400 to a day-end without a date', async () => {
    const { bank } = await setup();
    const res = await fetch(url(bank, '/sim/day-end'), { method: 'POST', body: '{"date":"15.3.2026"}' });
    expect(res.status).toBe(400);
    const empty = await fetch(url(bank, '/sim/day-end'), { method: 'POST', body: '' });
    expect(empty.status).toBe(400);
  });
});

describe('receiving quota notices and PBOC receipts', () => {
  it('stores a finance-signed 5108/5106 (any amount) and refuses a bad signature', async () => {
    const { bank } = await setup();
    const q = await financeQuota('510820260315ABC00101', [
      { voucherNo: 'D001', amount: 100_00n },
      { voucherNo: 'D009', amount: -5_00n },
    ]);
    const a = await post(
      bank,
      envelope([q, await financeQuota('510620260315ABC00101', [], { vtCode: '5106' })]),
    );
    expect(a.results.map((r) => [r.status, r.ok])).toEqual([
      [1, true],
      [1, true],
    ]);
    const again = await post(bank, envelope([q]));
    expect(again.results[0]).toMatchObject({ status: 1, ok: true });
    const stranger = new Sm2SoftwareSigner(financeSigner.keyId, generateSm2KeyPair());
    const forged = await financeQuota('510820260315ABC00102', [{ voucherNo: 'X', amount: 1n }], {
      signer: stranger,
    });
    const bad = await post(bank, envelope([forged]));
    expect(bad.results[0]).toMatchObject({
      status: 2,
      ok: false,
      reason: expect.stringMatching(/BAD_SIGNATURE/),
    });
    const state = await simState(bank);
    expect(state.quotas.map((x) => [x.key, x.amount])).toEqual([
      ['530700|2026|5108|510820260315ABC00101', '95.00'],
      ['530700|2026|5106|510620260315ABC00101', '0.00'],
    ]);
  });

  it('bounces by hand with a 2252 收款银行退款通知 when asked, a 2203 by default; refuses another type', async () => {
    const { bank, fiscus } = await setup();
    await payDay(bank, fiscus);
    const bounce = (body: Record<string, unknown>) =>
      fetch(url(bank, '/sim/bounce'), { method: 'POST', body: JSON.stringify(body) });
    expect((await bounce({ voucherNo: 'D001', vtCode: '2204' })).status).toBe(400);
    expect((await bounce({ voucherNo: 'D001', vtCode: '2252' })).status).toBe(200);
    expect((await bounce({ voucherNo: 'D002' })).status).toBe(200);
    await until(() => ofType(fiscus, '2252').length === 1 && ofType(fiscus, '2203').length === 1);
    expect(ofType(fiscus, '2252')[0]!.voucher.header).toMatchObject({ OriBillNo: 'D001', PayAmt: 100_00n });
    expect(ofType(fiscus, '2203')[0]!.voucher.header).toMatchObject({ OriBillNo: 'D002', PayAmt: 23_45n });
  });

  it('stores a finance-signed 5253 of a voucher it paid; refuses one of a voucher it never paid', async () => {
    const { bank, fiscus } = await setup();
    await payDay(bank, fiscus);
    const coding = {
      supDepCode: '205',
      supDepName: null,
      agencyCode: '205002',
      agencyName: null,
      expFuncCode: '2050203',
      expFuncName: null,
      expEcoCode: '30201',
      depProCode: null,
      fundTypeCode: '111',
      fundTypeName: null,
      agencyAccoCode: null,
      payBankCode: 'ABC001',
      payBankName: null,
      clearBankCode: null,
      clearBankName: null,
    };
    const correction = async (no: string, ori: string): Promise<EnvelopeEntry> => {
      const unsigned = buildCorrectionVoucher({
        vtCode: '5253',
        admDivCode: '530700',
        year: 2026,
        on: '2026-03-16',
        voucherNo: no,
        oriVtCode: '5201',
        oriVoucherNo: ori,
        amountFen: 100_00n,
        from: coding,
        to: { ...coding, expFuncCode: '2050202' },
        reason: '功能科目错误',
      });
      const voucher = await signVoucher(unsigned, financeSigner, 'finance');
      return { flag: 'send', returnReason: '', attach: '', voucher };
    };
    const good = await correction('525320260316000001', 'D001');
    const a = await post(bank, envelope([good, await correction('525320260316000002', 'NOPE')]));
    expect(a.results.map((r) => [r.status, r.ok])).toEqual([
      [1, true],
      [2, false],
    ]);
    expect(String(a.results[1]?.reason)).toMatch(/not paid here/);
    expect((await post(bank, envelope([good]))).results[0]).toMatchObject({ status: 1, ok: true });
    const state = (await simState(bank)) as unknown as {
      corrections: { key: string; oriVoucherNo: string }[];
    };
    expect(state.corrections.map((c) => [c.key, c.oriVoucherNo])).toEqual([
      ['530700|2026|5253|525320260316000001', 'D001'],
    ]);
  });

  it("checks the PBOC's 3502 against what the PBOC receipted as cleared, and answers 0 / 1 with why", async () => {
    const { bank, fiscus } = await setup();
    await payDay(bank, fiscus);
    await dayEnd(bank, '2026-03-15');
    await until(() => true);
    const cleared = async () =>
      (await simState(bank)).clearing.every((c: { status: string }) => c.status === 'cleared');
    for (let i = 0; i < 80 && !(await cleared()); i++) await new Promise((r) => setTimeout(r, 50));
    const list = async (no: string, lines: [string, bigint][]): Promise<EnvelopeEntry> => {
      const voucher = await signVoucher(
        {
          header: {
            Id: `530700-2026-3502-${no}`,
            AdmDivCode: '530700',
            StYear: '2026',
            VtCode: '3502',
            VouDate: '20260315',
            VoucherNo: no,
            TreCode: 'PBOC',
            PayBankCode: 'ICBC',
            CheckDate: '20260315',
            EVoucherType: '5201',
            AllNum: String(lines.length),
            AllAmt: lines.reduce((t, [, a]) => t + a, 0n),
          },
          details: lines.map(([v, a], i) => ({ Id: `${no}-${i}`, VoucherNo: v, Amt: a, ProState: '0' })),
          signatures: [],
        },
        pbocSigner,
        'pboc',
        { scope: 'voucher' },
      );
      return { flag: 'send', returnReason: '', attach: '', voucher };
    };
    const good = await list('350220260315PBOC01', [
      ['D001', 100_00n],
      ['D002', 23_45n],
    ]);
    const a = await post(bank, envelope([good]));
    expect(a.results[0]).toMatchObject({ status: 1, ok: true, checkResult: '0', checkReason: '' });
    const bad = await list('350220260315PBOC02', [
      ['D001', 100_01n],
      ['X999', 1_00n],
    ]);
    const b = await post(bank, envelope([bad]));
    expect(b.results[0]).toMatchObject({ status: 1, ok: true, checkResult: '1' });
    expect(String((b.results[0] as { checkReason?: string }).checkReason)).toBe(
      '3 笔不符: D001 人行 100.01 ≠ 本行 100.00; D002 人行未列 not listed; X999 本行无清算 not cleared here',
    );
    // Asked again: the same answer, from the store.
    expect((await post(bank, envelope([bad]))).results[0]).toMatchObject({ checkResult: '1' });
    const state = (await simState(bank)) as unknown as { voucherChecks: { key: string; result: string }[] };
    expect(state.voucherChecks.map((c) => [c.key.split('|')[3], c.result])).toEqual([
      ['350220260315PBOC01', '0'],
      ['350220260315PBOC02', '1'],
    ]);
    const forged = await signVoucher(
      { ...bad.voucher, header: { ...bad.voucher.header, VoucherNo: 'F1' }, signatures: [] },
      new Sm2SoftwareSigner(pbocSigner.keyId, generateSm2KeyPair()),
      'pboc',
      { scope: 'voucher' },
    );
    const f = await post(bank, envelope([{ ...bad, voucher: forged }]));
    expect(f.results[0]).toMatchObject({ status: 2, ok: false });
  });

  it('refuses a clearing receipt it did not ask for or not signed by a trusted PBOC key', async () => {
    const { bank, fiscus, pboc } = await setup({
      trustKey: [`${financeSigner.keyId}:${financeSigner.publicKey}`],
    });
    await payDay(bank, fiscus);
    await dayEnd(bank, '2026-03-15');
    await until(() => pboc.arrivals.filter((a) => a.receipt).length === 2);
    // The PBOC key is not trusted here: the receipts are refused and nothing is cleared.
    expect(
      pboc.arrivals.map(
        (a) => (a.receipt?.answer as { results?: { status: number }[] } | undefined)?.results?.[0]?.status,
      ),
    ).toEqual([2, 2]);
    expect((await simState(bank)).clearing.map((c) => c.status)).toEqual(['sent', 'sent']);
  });
});

describe('clearing faults', () => {
  it('--duplicate-clearing sends the same 2301 again under a new number; the refused copy moves nothing', async () => {
    const { bank, fiscus, pboc } = await setup({ duplicateClearing: '1' });
    await payDay(bank, fiscus);
    const answer = await dayEnd(bank, '2026-03-15');
    expect(answer.sent.clearing.map((c) => c.voucherNo)).toEqual([
      '230120260315ABC00111ICBC01',
      '230120260315ABC00111ICBC02',
      '230120260315ABC00112ICBC01',
      '230120260315ABC00112ICBC02',
    ]);
    await until(() => ofType(fiscus, '3513').length === 2);
    const byNo = (no: string) => pboc.requests('2301').find((e) => e.voucher.header.VoucherNo === no);
    const a = byNo('230120260315ABC00111ICBC01');
    const b = byNo('230120260315ABC00111ICBC02');
    expect(a?.voucher.details).toHaveLength(2);
    expect(b?.voucher.details.map((d) => d.VoucherNo)).toEqual(a?.voucher.details.map((d) => d.VoucherNo));
    const state = await simState(bank);
    expect(state.clearing.map((c) => [c.voucherNo, c.status, c.duplicateOf ?? null])).toEqual([
      ['230120260315ABC00111ICBC01', 'cleared', null],
      ['230120260315ABC00111ICBC02', 'rejected', '230120260315ABC00111ICBC01'],
      ['230120260315ABC00112ICBC01', 'cleared', null],
      ['230120260315ABC00112ICBC02', 'rejected', '230120260315ABC00112ICBC01'],
    ]);
    expect(zba(state)).toEqual({ [FINANCE_ZBA]: '0.00', [UNIT_ZBA.PayAcctNo]: '0.00' });
  });

  it('--double-refund sends a 2302 twice for the same detail', async () => {
    const { bank, fiscus, pboc } = await setup({ doubleRefund: '1', bounceAfter: 'clearing' });
    await post(bank, envelope([await financeVoucher('R001', { payeeName: '退票测试公司', amount: 10_00n })]));
    await until(() => fiscus.accepted.size === 1);
    await dayEnd(bank, '2026-03-15');
    await until(() => ofType(fiscus, '2203').length === 1);
    const answer = await dayEnd(bank, '2026-03-15');
    expect(answer.sent.clearing.filter((c) => c.vtCode === '2302').map((c) => c.voucherNo)).toEqual([
      '230220260315ABC00111ICBC01',
      '230220260315ABC00111ICBC02',
    ]);
    await until(() => pboc.requests('2302').length === 2 && pboc.arrivals.every((x) => x.receipt));
    await until(() => [...bank.store.state.clearing.values()].every((c) => c.receipt));
    const state = await simState(bank);
    expect(state.clearing.filter((c) => c.vtCode === '2302').map((c) => c.status)).toEqual([
      'cleared',
      'rejected',
    ]);
    expect(zba(state)).toEqual({ [FINANCE_ZBA]: '0.00' });
  });

  it('--lose-receipt never sends the chosen receipts, the same ones for the same seed', async () => {
    const nos = ['L001', 'L002', 'L003', 'L004', 'L005', 'L006'];
    const item = (n: string) => `answer:530700|2026|5201|${n}`;
    const seed = ['a', 'b', 'c', 'd', 'e'].find((s) => {
      const hit = nos.filter((n) => chosen(s, 'fault-loseReceipt', item(n), 0.5)).length;
      return hit > 0 && hit < nos.length;
    });
    const expected = nos.filter((n) => chosen(seed ?? 'a', 'fault-loseReceipt', item(n), 0.5));
    for (let run = 0; run < 2; run++) {
      const { bank, fiscus } = await setup({ loseReceipt: '0.5', seed: seed ?? 'a' });
      await post(bank, envelope(await Promise.all(nos.map((n) => financeVoucher(n)))));
      await until(() => fiscus.accepted.size === nos.length - expected.length);
      await new Promise((r) => setTimeout(r, 150));
      expect(fiscus.accepted.size).toBe(nos.length - expected.length);
      const state = await simState(bank);
      expect(state.lostReceipts.map((k) => k.split('|')[3])).toEqual(expected);
      // The bank paid them all: they are cleared and reported all the same.
      const answer = await dayEnd(bank, '2026-03-15');
      expect(answer.sent.clearing[0]?.amount).toBe('740.70');
      await until(() => ofType(fiscus, '2206').length === 1);
      expect(ofType(fiscus, '2206')[0]?.voucher.details).toHaveLength(nos.length);
    }
  });

  it('derives a stable clearing account per bank code', () => {
    expect(clearingAccountNo('ABC001')).toBe('8888101112000001');
    expect(clearingAccountNo('abc001')).toBe('8888101112000001');
    expect(clearingAccountNo('ICBC')).toBe('8888181211120000');
    expect(parseBankOptions({}).agentAcct).toBe('8888101112000001');
    expect(parseBankOptions({ agentAcct: '123' }).agentAcct).toBe('123');
    expect(parseBankOptions({}).pbocUrl).toBe('http://127.0.0.1:7402');
    expect(parseBankOptions({}).tsaAcct).toBe('270751000001');
    expect(() => parseBankOptions({ bounceAfter: 'never' })).toThrow(/bounce-after/);
    expect(() => parseBankOptions({ loseReceipt: '2' })).toThrow(/lose-receipt/);
  });
});
