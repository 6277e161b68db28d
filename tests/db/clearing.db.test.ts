import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope } from '../../packages/core/src/exchange/voucher/envelope';
import type { EnvelopeEntry, Voucher } from '../../packages/core/src/exchange/voucher/model';
import { signVoucher, verifyVoucher } from '../../packages/core/src/exchange/voucher/signing';
import { copyMissingAgencies } from '../../packages/core/src/indicators/yearend/store';
import { verifyLedger } from '../../packages/core/src/ledger/verify';
import { quotaBalances, quotaNotices } from '../../packages/core/src/payments/clearing/queries';
import { BANK_POSITION } from '../../packages/core/src/payments/vouchers/inbox';
import { financeSigner } from '../../packages/core/src/payments/vouchers/keys';
import { sendDueVouchers } from '../../packages/core/src/payments/vouchers/sender';
import { as, cmd, errorCode, ok, run1 } from './helpers';
import { paymentFixture, SCHOOL } from './payment-fixture';

let f: Awaited<ReturnType<typeof paymentFixture>>;
const REGION = '530700000';

async function bal(account: string, indicatorId: string, year = 2026): Promise<bigint> {
  const r = await sql<{ b: string | null }>`
    select sum(b.credit_fen - b.debit_fen)::text as b from ledger.balance b join ledger.element_key k
      on k.region_code = b.region_code and k.fiscal_year = b.fiscal_year and k.id = b.element_key_id
    where b.region_code = ${REGION} and b.fiscal_year = ${year} and b.account = ${account}
      and k.indicator_id = ${indicatorId}`.execute(f.t.db);
  return BigInt(r.rows[0]?.b ?? 0);
}

/** The bank's receipt of a voucher, paid on `ymd`. */
async function receipt(entry: EnvelopeEntry, paid: bigint, ymd: string) {
  const header = { ...entry.voucher.header, XPayDate: ymd, XPayAmt: paid, XAgentBusinessNo: `B${ymd}` };
  const voucher = await signVoucher({ ...entry.voucher, header }, f.bank, BANK_POSITION);
  return Buffer.from(encodeEnvelope([{ flag: 'receipt', returnReason: '', attach: '', voucher }]));
}

/** A 2203 refund notice of the bank, booked in `stYear`. */
async function refund2203(entry: EnvelopeEntry, no: string, amount: bigint, stYear: string, ymd: string) {
  const h = entry.voucher.header;
  const notice: Voucher = {
    header: {
      Id: `R${no}`,
      AdmDivCode: h.AdmDivCode!,
      StYear: stYear,
      VtCode: '2203',
      VouDate: ymd,
      VoucherNo: no,
      AgentBusinessNo: `RB${no}`,
      OriBillNo: h.VoucherNo!,
      OriVtCode: h.VtCode!,
      PayAmt: amount,
      PayDate: ymd,
      Remark: '收款账户户名不符',
    },
    details: [],
    signatures: [],
  };
  const voucher = await signVoucher(notice, f.bank, BANK_POSITION, { scope: 'voucher' });
  return Buffer.from(encodeEnvelope([{ flag: 'send', returnReason: '', attach: '', voucher }]));
}

/** A paid application: signed, then the bank's receipt for `ymd`. */
async function paid(payType: 'direct' | 'authorized', amount: string, ymd = '20260315') {
  const s = await f.signed(payType, amount);
  const entry = await f.storedEntry(s.vtCode, s.voucherNo);
  const fen = BigInt(Math.round(Number(amount) * 100));
  const res = await f.post(await receipt(entry, fen, ymd));
  expect(res.json().results[0]).toMatchObject({ status: 'accepted', result: { state: 'paid' } });
  return { ...s, entry, fen };
}

const issue = (date: string, over: Record<string, unknown> = {}) =>
  run1(f.t.db, cmd('clearing.issueQuotas', { date }, { on: date, ...over }), as('treasury'));

function decoded(envelope: string): Voucher {
  const d = decodeEnvelope(new TextEncoder().encode(envelope));
  if (!d.ok) throw new Error(JSON.stringify(d.errors));
  return d.value[0]!.voucher;
}

async function financeKeys() {
  const s = await financeSigner(REGION);
  return new Map([[s.keyId, s.publicKey]]);
}

const appRow = (id: string, year = 2026) =>
  f.t.db
    .selectFrom('payments.application')
    .select(['state', 'indicator_id', 'refund_entry_id'])
    .where('region_code', '=', REGION)
    .where('fiscal_year', '=', year)
    .where('application_id', '=', id)
    .executeTakeFirstOrThrow();

beforeAll(async () => {
  f = await paymentFixture('CL');
  // More indicators of 丽江市第一中学: another classification (差旅费), one too small, one 三公 item
  // on an indicator not flagged 三公, and another authorized one.
  const lines = [
    {
      indicatorId: 'CL-DIR2',
      amount: '100000.00',
      elements: { ...SCHOOL, depEcoCode: '30211', payTypeCode: '11' },
    },
    {
      indicatorId: 'CL-SMALL',
      amount: '10.00',
      elements: { ...SCHOOL, depEcoCode: '30202', payTypeCode: '11' },
    },
    {
      indicatorId: 'CL-SG',
      amount: '100000.00',
      elements: { ...SCHOOL, depEcoCode: '30217', payTypeCode: '11' },
    },
    {
      indicatorId: 'CL-AUT2',
      amount: '100000.00',
      elements: { ...SCHOOL, depEcoCode: '30211', payTypeCode: '12' },
    },
  ].map((l) => ({ ...l, pool: 'executable' }));
  const d = ok(
    await run1(
      f.t.db,
      cmd('indicatorDoc.draft', {
        docNo: '丽财〔2026〕CL2',
        title: '更正测试',
        body: { docType: 'approve', lines },
      }),
      as('budget'),
    ),
  );
  ok(await run1(f.t.db, cmd('indicatorDoc.submit', { docId: d.docId }), as('budget')));
  ok(await run1(f.t.db, cmd('indicatorDoc.approve', { docId: d.docId }), as('chief')));
});
afterAll(async () => {
  await f?.close();
});

describe('clearing quota notices (5108 / 5106)', () => {
  let d1: Awaited<ReturnType<typeof paid>>;
  let d2: Awaited<ReturnType<typeof paid>>;
  let a1: Awaited<ReturnType<typeof paid>>;

  it('issues one notice per agent bank and pay type, a line per voucher paid that day, signed and exact to the fen', async () => {
    d1 = await paid('direct', '1200.00');
    d2 = await paid('direct', '300.51');
    a1 = await paid('authorized', '50.07');
    // Paid on another day: not on the 15th's notices.
    await paid('direct', '9.99', '20260314');
    // Signed but not paid: on no notice.
    await f.signed('direct', '77.00');

    const r = ok(await issue('2026-03-15'));
    expect(r.notices).toEqual([
      { vtCode: '5106', voucherNo: '510620260315ABC001', bankCode: 'ABC', lines: 1, amount: '50.07' },
      { vtCode: '5108', voucherNo: '510820260315ICBC001', bankCode: 'ICBC', lines: 2, amount: '1500.51' },
    ]);
    const [n6, n8] = await quotaNotices(f.t.db, REGION, 2026, '2026-03-15');
    expect(n8).toMatchObject({
      vtCode: '5108',
      amountFen: 150_051n,
      state: 'unsent',
      payTypeCode: '11',
      seq: 1,
    });
    expect(n8!.lines.map((l) => [l.kind, l.oriVtCode, l.payVoucherNo, l.amountFen])).toEqual(
      [
        ['payment', '5201', d1.voucherNo, 120_000n],
        ['payment', '5201', d2.voucherNo, 30_051n],
      ].sort((a, b) => String(a[2]).localeCompare(String(b[2]))),
    );
    expect(n6!.lines.map((l) => [l.kind, l.oriVtCode, l.payVoucherNo, l.amountFen])).toEqual([
      ['payment', '8202', a1.voucherNo, 5_007n],
    ]);

    // The signed notice as the PBOC and the bank will read it.
    const v8 = decoded(n8!.envelope);
    expect(v8.header).toMatchObject({
      VtCode: '5108',
      VoucherNo: '510820260315ICBC001',
      AdmDivCode: '530700',
      StYear: '2026',
      PayAmt: 150_051n,
      PayTypeCode: '11',
      PayBankCode: 'ICBC',
      ClearBankCode: 'PBOC',
      TreCode: 'PBOC',
      SetMonth: '03',
      DeptNum: '1',
      FundTypeCode: '111',
    });
    expect(v8.details).toHaveLength(2);
    expect(v8.details.find((x) => x.PayVoucherNo === d1.voucherNo)).toMatchObject({
      OriVtCode: '5201',
      PlanAmt: 120_000n,
      SupDepCode: '205',
      AgencyCode: '205002',
      ExpFuncCode: '2050203',
      ExpFuncCode1: '205',
      ExpEcoCode: '30201',
      FundTypeCode: '111',
    });
    expect(verifyVoucher(v8, await financeKeys())).toEqual({ verified: ['finance'], failed: [] });
    const v6 = decoded(n6!.envelope);
    expect(v6.header).toMatchObject({
      VtCode: '5106',
      PayAmt: 5_007n,
      PayTypeCode: '12',
      PayBankCode: 'ABC',
    });
    expect(v6.details[0]).toMatchObject({ PayVoucherNo: a1.voucherNo, AgencyAccoCode: '24560101040000205' });

    // Queued for both parties.
    const q = await f.t.db
      .selectFrom('clearing.delivery')
      .select(['vt_code', 'voucher_no', 'destination', 'status'])
      .where('voucher_no', 'in', [n6!.voucherNo, n8!.voucherNo])
      .orderBy('voucher_no')
      .orderBy('destination')
      .execute();
    expect(q.map((x) => `${x.voucher_no}>${x.destination}:${x.status}`)).toEqual([
      `${n6!.voucherNo}>bank:pending`,
      `${n6!.voucherNo}>pboc:pending`,
      `${n8!.voucherNo}>bank:pending`,
      `${n8!.voucherNo}>pboc:pending`,
    ]);
  });

  it('issues nothing new when issued again, and a second notice only for what came after', async () => {
    const before = await quotaNotices(f.t.db, REGION, 2026);
    const again = ok(await issue('2026-03-15'));
    expect(again.notices).toEqual([]);
    expect(await quotaNotices(f.t.db, REGION, 2026)).toHaveLength(before.length);
    // The same request id replays its first answer.
    const c = cmd('clearing.issueQuotas', { date: '2026-03-15' }, { on: '2026-03-15' });
    ok(await run1(f.t.db, c, as('treasury')));
    expect(await run1(f.t.db, c, as('treasury'))).toMatchObject({ status: 'accepted', replayed: true });

    // A receipt of the 15th that arrives late goes on the next notice of the 15th (seq 002).
    const late = await paid('direct', '0.01');
    const r = ok(await issue('2026-03-15'));
    expect(r.notices).toEqual([
      { vtCode: '5108', voucherNo: '510820260315ICBC002', bankCode: 'ICBC', lines: 1, amount: '0.01' },
    ]);
    const lines = await f.t.db
      .selectFrom('clearing.quota_line')
      .select(['voucher_no'])
      .where('source_no', '=', late.voucherNo)
      .execute();
    expect(lines).toEqual([{ voucher_no: '510820260315ICBC002' }]);
    // A voucher is on at most one notice.
    const dup = await sql<{
      n: string;
    }>`select count(*)::text as n from (select source_year, source_vt_code, source_no
      from clearing.quota_line group by 1, 2, 3 having count(*) > 1) x`.execute(f.t.db);
    expect(dup.rows[0]!.n).toBe('0');

    // Quota balances per bank × pay type: issued (cleared is unknown until reconciliation says).
    const b = await quotaBalances(f.t.db, REGION, 2026);
    expect(b.map((x) => [x.vtCode, x.bankCode, x.payTypeCode, x.issued, x.cleared])).toEqual([
      ['5106', 'ABC', '12', '50.07', null],
      ['5108', 'ICBC', '11', '1500.52', null],
    ]);
  });

  it('sends notices to the PBOC and the bank, and a copy of each 5201/8202 to the PBOC; then receipts', async () => {
    const seen: { url: string; vouchers: string[] }[] = [];
    const fake: typeof fetch = async (url, init) => {
      const d = decodeEnvelope(new TextEncoder().encode(String(init?.body)));
      const hs = d.ok ? d.value.map((e) => e.voucher.header) : [];
      seen.push({ url: String(url), vouchers: hs.map((h) => `${h.VtCode}/${h.VoucherNo}`) });
      return new Response(
        JSON.stringify({
          results: hs.map((h) => ({
            stYear: h.StYear,
            vtCode: h.VtCode,
            voucherNo: h.VoucherNo,
            status: 1,
            ok: true,
          })),
        }),
        { status: 200 },
      );
    };
    const s = await sendDueVouchers(f.t.db, {
      bankUrl: 'http://bank.test',
      pbocUrl: 'http://pboc.test',
      fetch: fake,
    });
    expect(s.notBooked).toBe(0);
    const to = (host: string) =>
      seen.filter((x) => x.url.startsWith(`http://${host}`)).flatMap((x) => x.vouchers);
    expect(to('pboc.test')).toEqual(
      expect.arrayContaining([
        '5108/510820260315ICBC001',
        '5108/510820260315ICBC002',
        '5106/510620260315ABC001',
        `5201/${d1.voucherNo}`,
        `8202/${a1.voucherNo}`,
      ]),
    );
    expect(to('bank.test')).toEqual(
      expect.arrayContaining(['5108/510820260315ICBC001', '5106/510620260315ABC001']),
    );
    expect(to('bank.test')).not.toContain(`5201/${d1.voucherNo}`); // the bank answered it long ago
    const n = await quotaNotices(f.t.db, REGION, 2026, '2026-03-15');
    expect(n.map((x) => x.state)).toEqual(['sent', 'sent', 'sent']);
    // Nothing is due any more.
    seen.length = 0;
    expect(
      (
        await sendDueVouchers(f.t.db, {
          bankUrl: 'http://bank.test',
          pbocUrl: 'http://pboc.test',
          fetch: fake,
        })
      ).sent,
    ).toBe(0);

    const rc = cmd('clearing.receipt', {
      vtCode: '5108',
      voucherNo: '510820260315ICBC001',
      party: 'pboc',
      checkResult: '0',
    });
    ok(await run1(f.t.db, rc, as('exchange')));
    const [, n8] = await quotaNotices(f.t.db, REGION, 2026, '2026-03-15');
    expect(n8!.state).toBe('receipted');
    expect(n8!.receipts).toMatchObject({ pboc: { checkResult: '0' } });
  });

  it('puts a refund after clearing on the next notice as a negative line', async () => {
    const r = await f.post(await refund2203(d2.entry, 'RF0001', d2.fen, '2026', '20260320'));
    expect(r.json().results[0]).toMatchObject({ status: 'accepted', result: { state: 'refunded' } });
    // Not before its date.
    expect(ok(await issue('2026-03-19')).notices).toEqual([]);
    const out = ok(await issue('2026-03-20'));
    expect(out.notices).toEqual([
      { vtCode: '5108', voucherNo: '510820260320ICBC001', bankCode: 'ICBC', lines: 1, amount: '-300.51' },
    ]);
    const [n] = await quotaNotices(f.t.db, REGION, 2026, '2026-03-20');
    expect(n!.lines).toEqual([
      expect.objectContaining({
        kind: 'refund',
        oriVtCode: '2203',
        payVoucherNo: d2.voucherNo,
        sourceVtCode: '2203',
        sourceNo: 'RF0001',
        amountFen: -30_051n,
      }),
    ]);
    const v = decoded(n!.envelope);
    expect(v.header.PayAmt).toBe(-30_051n);
    expect(v.details[0]).toMatchObject({ OriVtCode: '2203', PayVoucherNo: d2.voucherNo, PlanAmt: -30_051n });
    expect(ok(await issue('2026-03-21')).notices).toEqual([]);
    const b = await quotaBalances(f.t.db, REGION, 2026);
    expect(b.find((x) => x.vtCode === '5108')!.issued).toBe('1200.01');
  });

  it('refuses without the permission', async () => {
    expect(
      errorCode(await run1(f.t.db, cmd('clearing.issueQuotas', { date: '2026-03-15' }), as('clerk'))),
    ).toBe('PERMISSION_DENIED');
  });
});

describe('payment corrections (支付更正, 5253 / 5351)', () => {
  const correct = (
    applicationId: string,
    indicatorId: string,
    user = 'treasury',
    over: Record<string, unknown> = {},
  ) =>
    run1(
      f.t.db,
      cmd(
        'payment.correct',
        { applicationId, agencyCode: '205002', to: { indicatorId }, reason: '经济分类录入错误' },
        { on: '2026-03-16', ...over },
      ),
      as(user),
    );
  const approve = (correctionId: string, user = 'reviewer', over: Record<string, unknown> = {}) =>
    run1(
      f.t.db,
      cmd('payment.approveCorrection', { correctionId, agencyCode: '205002' }, { on: '2026-03-16', ...over }),
      as(user),
    );

  it('re-codes a paid direct payment: scenario 16 moves the paid amount, a signed 5253, a zero line on the next notice', async () => {
    const p = await paid('direct', '888.88', '20260316');
    const before = {
      dirPaid: await bal('2501', 'CL-DIR'),
      dirAvail: await bal('2101', 'CL-DIR'),
      newPaid: await bal('2501', 'CL-DIR2'),
      newAvail: await bal('2101', 'CL-DIR2'),
    };
    const prep = ok(await correct(p.id, 'CL-DIR2'));
    expect(prep).toMatchObject({ state: 'prepared', from: 'CL-DIR', to: 'CL-DIR2' });
    // Nothing moves until it is approved.
    expect(await bal('2501', 'CL-DIR')).toBe(before.dirPaid);
    // The preparer may not approve it.
    expect(errorCode(await approve(prep.correctionId as string, 'treasury'))).toBe('SOD_SAME_PERSON');
    const r = ok(await approve(prep.correctionId as string));
    expect(r).toMatchObject({ state: 'approved', vtCode: '5253' });
    expect(r.voucherNo).toMatch(/^20265253\d{10}$/);

    expect(await bal('2501', 'CL-DIR')).toBe(before.dirPaid - 88_888n);
    expect(await bal('2101', 'CL-DIR')).toBe(before.dirAvail + 88_888n);
    expect(await bal('2501', 'CL-DIR2')).toBe(before.newPaid + 88_888n);
    expect(await bal('2101', 'CL-DIR2')).toBe(before.newAvail - 88_888n);
    const lines = await sql<{ account: string; side: string; amount_fen: string; indicator_id: string }>`
      select l.account, l.side, l.amount_fen::text, k.indicator_id from ledger.line l
      join ledger.element_key k on k.region_code = l.region_code and k.fiscal_year = l.fiscal_year and k.id = l.element_key_id
      where l.region_code = ${REGION} and l.entry_id = ${BigInt(r.entryId as string)} order by l.line_no`.execute(
      f.t.db,
    );
    expect(lines.rows).toEqual([
      { account: '2501', side: 'debit', amount_fen: '88888', indicator_id: 'CL-DIR' },
      { account: '2101', side: 'credit', amount_fen: '88888', indicator_id: 'CL-DIR' },
      { account: '2101', side: 'debit', amount_fen: '88888', indicator_id: 'CL-DIR2' },
      { account: '2501', side: 'credit', amount_fen: '88888', indicator_id: 'CL-DIR2' },
    ]);
    const v = await verifyLedger(f.t.db, { region: REGION, year: 2026 });
    expect(v.checks.filter((c) => !c.ok)).toEqual([]);
    expect((await appRow(p.id)).indicator_id).toBe('CL-DIR2');

    const c = await f.t.db
      .selectFrom('clearing.correction')
      .selectAll()
      .where('correction_id', '=', prep.correctionId as string)
      .executeTakeFirstOrThrow();
    const cv = decoded(c.envelope!);
    expect(cv.header).toMatchObject({
      VtCode: '5253',
      VoucherNo: r.voucherNo,
      OriVoucherNo: p.voucherNo,
      OriVtCode: '5201',
      PayAmt: 88_888n,
      PayBankCode: 'ICBC',
      Remark: '经济分类录入错误',
    });
    expect(cv.details[0]).toMatchObject({
      OriExpEcoCode: '30201',
      ExpEcoCode: '30211',
      OriAgencyCode: '205002',
      AgencyCode: '205002',
      PayAmt: 88_888n,
    });
    expect(verifyVoucher(cv, await financeKeys()).verified).toEqual(['finance']);
    const deliveries = await f.t.db
      .selectFrom('clearing.delivery')
      .select('destination')
      .where('voucher_no', '=', r.voucherNo as string)
      .orderBy('destination')
      .execute();
    expect(deliveries.map((x) => x.destination)).toEqual(['bank', 'pboc']);

    // The 16th's notice: the payment (old coding) and the correction's zero line (new coding).
    const out = ok(await issue('2026-03-16'));
    expect(out.notices).toEqual([
      { vtCode: '5108', voucherNo: '510820260316ICBC001', bankCode: 'ICBC', lines: 2, amount: '888.88' },
    ]);
    const [n] = await quotaNotices(f.t.db, REGION, 2026, '2026-03-16');
    expect(
      n!.lines.map((l) => [l.kind, l.oriVtCode, l.payVoucherNo, l.amountFen, l.coding.expEcoCode]),
    ).toEqual([
      ['payment', '5201', p.voucherNo, 88_888n, '30201'],
      ['correction', '5253', r.voucherNo, 0n, '30211'],
    ]);
    expect(ok(await issue('2026-03-16')).notices).toEqual([]);

    // A later refund restores the new indicator and is cleared under the new coding.
    const av = await bal('2101', 'CL-DIR2');
    const rr = await f.post(await refund2203(p.entry, 'RF0002', p.fen, '2026', '20260317'));
    expect(rr.json().results[0]).toMatchObject({ status: 'accepted', result: { state: 'refunded' } });
    expect(await bal('2101', 'CL-DIR2')).toBe(av + 88_888n);
    ok(await issue('2026-03-17'));
    const [rn] = await quotaNotices(f.t.db, REGION, 2026, '2026-03-17');
    expect(rn!.lines).toEqual([
      expect.objectContaining({
        kind: 'refund',
        amountFen: -88_888n,
        coding: expect.objectContaining({ expEcoCode: '30211' }),
      }),
    ]);
  });

  it('corrects an authorized payment with a 5351', async () => {
    const p = await paid('authorized', '12.34', '20260316');
    const prep = ok(await correct(p.id, 'CL-AUT2'));
    const r = ok(await approve(prep.correctionId as string));
    expect(r).toMatchObject({ vtCode: '5351' });
    const out = ok(await issue('2026-03-16'));
    expect(out.notices).toEqual([
      { vtCode: '5106', voucherNo: '510620260316ABC001', bankCode: 'ABC', lines: 2, amount: '12.34' },
    ]);
  });

  it('refuses: not paid, same coding, control failures, pending, wrong state, repeated request id, permission', async () => {
    const unpaid = await f.signed('direct', '20.00');
    expect(errorCode(await correct(unpaid.id, 'CL-DIR2'))).toBe('STATE_INVALID');
    const p = await paid('direct', '40.00', '20260316');
    expect(errorCode(await correct(p.id, 'CL-DIR'))).toBe('CORRECTION_SAME_CODING');
    // Availability: CL-SMALL has 10.00.
    const small = await correct(p.id, 'CL-SMALL');
    expect(errorCode(small)).toBe('CONTROL_RULE_VIOLATED');
    // 三公: 公务接待费 only from an indicator flagged 三公.
    const sg = await correct(p.id, 'CL-SG');
    expect(errorCode(sg)).toBe('CONTROL_RULE_VIOLATED');
    expect(JSON.stringify(sg)).toContain('SAN_GONG');
    // Another pay type's indicator: 要素一致 (payment type).
    expect(errorCode(await correct(p.id, 'CL-AUT2'))).toBe('CONTROL_RULE_VIOLATED');
    // The probes left nothing behind.
    expect(await bal('2401', 'CL-SMALL')).toBe(0n);
    expect(errorCode(await correct(p.id, 'CL-DIR2', 'clerk'))).toBe('PERMISSION_DENIED');
    expect(errorCode(await correct(p.id, 'NOPE'))).toBe('NOT_FOUND');

    const req = cmd(
      'payment.correct',
      { applicationId: p.id, agencyCode: '205002', to: { indicatorId: 'CL-DIR2' }, reason: '项目错误' },
      { on: '2026-03-16' },
    );
    const first = ok(await run1(f.t.db, req, as('treasury')));
    // The same request again: its first answer, nothing new.
    expect(await run1(f.t.db, req, as('treasury'))).toMatchObject({ status: 'accepted', replayed: true });
    // The same request id with something else in it.
    expect(
      errorCode(
        await run1(
          f.t.db,
          { ...req, payload: { ...(req.payload as Record<string, unknown>), reason: '别的' } },
          as('treasury'),
        ),
      ),
    ).toBe('COMMAND_ID_REUSED');
    // A second correction while one waits.
    expect(errorCode(await correct(p.id, 'CL-DIR2'))).toBe('CORRECTION_PENDING');
    // Another agency's code does not find it.
    expect(
      errorCode(
        await run1(
          f.t.db,
          cmd('payment.approveCorrection', { correctionId: first.correctionId, agencyCode: '210002' }),
          as('reviewer'),
        ),
      ),
    ).toBe('NOT_FOUND');
    ok(await approve(first.correctionId as string));
    // Approved once: not again.
    expect(errorCode(await approve(first.correctionId as string))).toBe('STATE_INVALID');
    // A refunded application is not corrected.
    const rf = await f.post(await refund2203(p.entry, 'RF0003', p.fen, '2026', '20260318'));
    expect(rf.json().results[0]).toMatchObject({ status: 'accepted' });
    expect(errorCode(await correct(p.id, 'CL-DIR'))).toBe('STATE_INVALID');
    const v = await verifyLedger(f.t.db, { region: REGION, year: 2026 });
    expect(v.checks.filter((c) => !c.ok)).toEqual([]);
  });
});

describe('cross-year refunds', () => {
  const on27 = { year: 2027, on: '2027-01-10' };
  const policy = (crossYearRefund: string) =>
    run1(f.t.db, cmd('clearing.savePolicy', { crossYearRefund }, on27), as('treasury'));
  let dir: Awaited<ReturnType<typeof paid>>[] = [];
  let aut: Awaited<ReturnType<typeof paid>>;

  beforeAll(async () => {
    dir = [await paid('direct', '11.00'), await paid('direct', '22.00'), await paid('direct', '33.00')];
    aut = await paid('authorized', '44.00');
    ok(await issue('2026-03-15'));
    ok(await run1(f.t.db, cmd('fiscalYear.open', {}, on27), as('budget')));
    ok(await run1(f.t.db, cmd('codeSet.load', { version: '2027.1' }, on27), as('budget')));
    // The agencies of 2026 in 2027, as the year-end run copies them.
    await copyMissingAgencies(f.t.db, REGION, 2026);
    // The carried indicator of CL-DIR in 2027 (as the year-end carry-forward names it).
    const d = ok(
      await run1(
        f.t.db,
        cmd(
          'indicatorDoc.draft',
          {
            docNo: '丽财〔2027〕CL1',
            title: '结转',
            body: {
              docType: 'approve',
              lines: [
                {
                  indicatorId: 'JZ2027-CL-DIR',
                  amount: '100.00',
                  pool: 'executable',
                  elements: { ...SCHOOL, payTypeCode: '11' },
                },
              ],
            },
          },
          on27,
        ),
        as('budget'),
      ),
    );
    ok(await run1(f.t.db, cmd('indicatorDoc.submit', { docId: d.docId }, on27), as('budget')));
    ok(await run1(f.t.db, cmd('indicatorDoc.approve', { docId: d.docId }, on27), as('chief')));
  });

  const refund27 = async (p: { entry: EnvelopeEntry; fen: bigint }, no: string) =>
    (await f.post(await refund2203(p.entry, no, p.fen, '2027', '20270110'))).json().results[0];

  it('refuses by default (policy refuse)', async () => {
    const r = await refund27(dir[0]!, 'RX0001');
    expect(r).toMatchObject({ status: 'rejected', error: { code: 'REFUND_CROSS_YEAR_REFUSED' } });
    ok(await policy('refuse'));
    expect((await refund27(dir[0]!, 'RX0001b')).error.code).toBe('REFUND_CROSS_YEAR_REFUSED');
    expect((await appRow(dir[0]!.id)).state).toBe('paid');
  });

  it('restores the carried indicator (借 1003 / 贷 2101 in the new year)', async () => {
    ok(await policy('restoreToCarriedIndicator'));
    const before = await bal('2101', 'JZ2027-CL-DIR', 2027);
    const paid26 = await bal('2501', 'CL-DIR', 2026);
    const r = await refund27(dir[1]!, 'RX0002');
    expect(r).toMatchObject({
      status: 'accepted',
      result: {
        state: 'refunded',
        crossYear: {
          paidYear: 2026,
          policy: 'restoreToCarriedIndicator',
          restoredIndicatorId: 'JZ2027-CL-DIR',
        },
      },
    });
    expect(await bal('2101', 'JZ2027-CL-DIR', 2027)).toBe(before + 2_200n);
    expect(await bal('1003', 'JZ2027-CL-DIR', 2027)).toBe(-2_200n);
    expect(await bal('2501', 'CL-DIR', 2026)).toBe(paid26);
    expect((await appRow(dir[1]!.id)).state).toBe('refunded');
    // Again: a repeat; another notice for the same voucher: refused.
    expect(await refund27(dir[1]!, 'RX0002')).toMatchObject({ status: 'accepted', replayed: true });
    expect((await refund27(dir[1]!, 'RX0002b')).error.code).toBe('REFUND_DUPLICATE');
    // Nothing carried for CL-AUT: the refund cannot restore it.
    expect((await refund27(aut, 'RX0004')).error.code).toBe('REFUND_CARRIED_INDICATOR_MISSING');
    // It goes on 2027's first notice, negative.
    const out = ok(await issue('2027-01-10', { year: 2027 }));
    expect(out.notices).toEqual([
      { vtCode: '5108', voucherNo: '510820270110ICBC001', bankCode: 'ICBC', lines: 1, amount: '-22.00' },
    ]);
    for (const y of [2026, 2027]) {
      const v = await verifyLedger(f.t.db, { region: REGION, year: y });
      expect(v.checks.filter((c) => !c.ok)).toEqual([]);
    }
  });

  it('to revenue: the application is refunded, no indicator moves', async () => {
    ok(await policy('toRevenue'));
    const before = {
      carried: await bal('2101', 'JZ2027-CL-DIR', 2027),
      paid: await bal('2501', 'CL-DIR', 2026),
    };
    const r = await refund27(dir[2]!, 'RX0003');
    expect(r).toMatchObject({
      status: 'accepted',
      result: {
        state: 'refunded',
        entryId: null,
        crossYear: { policy: 'toRevenue', restoredIndicatorId: null },
      },
    });
    expect(await bal('2101', 'JZ2027-CL-DIR', 2027)).toBe(before.carried);
    expect(await bal('2501', 'CL-DIR', 2026)).toBe(before.paid);
    const row = await f.t.db
      .selectFrom('payments.refund_notice')
      .select(['fiscal_year', 'booked_year', 'cross_year_policy', 'entry_id'])
      .where('voucher_no', '=', 'RX0003')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      fiscal_year: 2026,
      booked_year: 2027,
      cross_year_policy: 'toRevenue',
      entry_id: null,
    });
    expect((await appRow(dir[2]!.id)).state).toBe('refunded');
  });
});
