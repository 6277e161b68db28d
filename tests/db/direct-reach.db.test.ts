import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  directReachPayments,
  directReachReport,
  localSink,
  relayTransfers,
} from '../../packages/core/src/index';
import { enterpriseIdCheckChar, personIdCheckChar } from '../../packages/core/src/monitoring/domain/identity';
import { as, cmd, effectiveDocument, errorCode, ok, run1 } from './helpers';
import { paymentFixture } from './payment-fixture';

// 直达资金跟踪: a direct-reach fund approved by the province, issued to 丽江市, partly issued on to
// 古城区 and allocated to units there, paid (bank receipts) to named beneficiaries. Every figure is
// computed here by hand and compared with the report, the drill-down and the HTTP face.

const PROVINCE = '530000000';
const CITY = '530700000';
const GUCHENG = '530702000';
const YULONG = '530721000';

let f: Awaited<ReturnType<typeof paymentFixture>>;
const db = () => f.t.db;

const person = (first17: string) => first17 + personIdCheckChar(first17);
const enterprise = (first17: string) => first17 + enterpriseIdCheckChar(first17);
const P1 = person('53070219800229123');
const P2 = person('53072119900101456');
const P3 = person('53070219751111789');
const E1 = enterprise('91530702MA6K12345');

const pool = { fundTypeCode: '111', expFuncCode: '2050203', indicatorTypeCode: '32' };
const unit = (agencyCode: string, flags: Record<string, boolean>) => ({
  ...pool,
  agencyCode,
  deptCode: '205',
  depEcoCode: '30201',
  govEcoCode: '50201',
  payTypeCode: '11',
  flags,
});

let cityFund: string;
let guchengFund: string;
const paidIds: string[] = [];

const relay = () => relayTransfers(db(), { home: localSink(db()), on: '2026-03-01' });

const step = (type: string, user: string, applicationId: string, extra: Record<string, unknown> = {}) =>
  run1(db(), cmd(type, { applicationId, agencyCode: '205002', ...extra }), as(user));

/** A direct payment from an indicator of 205002 with these beneficiaries, up to a signed voucher. */
async function signedPayment(indicatorId: string, amount: string, beneficiaries: Record<string, unknown>[]) {
  const id = ok(
    await run1(
      db(),
      cmd('payment.draft', {
        agencyCode: '205002',
        payType: 'direct',
        indicatorId,
        amount,
        purpose: '学生资助',
        settlementMode: '001001',
        payee: { payeeCode: 'S0001' },
        beneficiaries,
      }),
      as('clerk'),
    ),
  ).applicationId as string;
  ok(await step('payment.submit', 'clerk', id));
  ok(await step('payment.unitApprove', 'unithead', id));
  ok(await step('payment.review', 'reviewer', id, { decision: 'approve' }));
  const s = ok(await step('payment.signVoucher', 'signer', id));
  return { id, vtCode: s.vtCode as string, voucherNo: s.voucherNo as string };
}

/** The agent bank's signed receipt for the voucher: the application is paid. */
async function bankPays(v: { id: string; vtCode: string; voucherNo: string }, fen: bigint) {
  const res = await f.post(await f.answer(await f.storedEntry(v.vtCode, v.voucherNo), { paid: fen }));
  expect(res.statusCode).toBe(200);
  const row = await db()
    .selectFrom('payments.application')
    .select('state')
    .where('region_code', '=', CITY)
    .where('application_id', '=', v.id)
    .executeTakeFirstOrThrow();
  expect(row.state).toBe('paid');
}

beforeAll(async () => {
  f = await paymentFixture('DRT');
  const eff = (region: string, users: { preparer: string; approver: string }, docNo: string, body: object) =>
    effectiveDocument(db(), region, users, docNo, body as Record<string, unknown>);
  const prov = { preparer: 'province', approver: 'province2' };
  const city = { preparer: 'budget', approver: 'chief' };

  // Province: a direct-reach fund of 1 000 000 and an ordinary one of 500 000, both into 待分.
  await eff(PROVINCE, prov, '云财教〔2026〕31号', {
    docType: 'approve',
    lines: [
      {
        indicatorId: 'P-DR',
        elements: { ...pool, flags: { directReach: true } },
        amount: '1000000.00',
        pool: 'unallocated',
      },
      { indicatorId: 'P-GEN', elements: pool, amount: '500000.00', pool: 'unallocated' },
    ],
  });
  // 下达 600 000 of the fund and 200 000 of the ordinary one to 丽江市.
  await eff(PROVINCE, prov, '云财教〔2026〕32号', {
    docType: 'issue',
    fromIndicatorId: 'P-DR',
    lines: [{ region: CITY, amount: '600000.00' }],
  });
  await eff(PROVINCE, prov, '云财教〔2026〕33号', {
    docType: 'issue',
    fromIndicatorId: 'P-GEN',
    lines: [{ region: CITY, amount: '200000.00' }],
  });
  expect(await relay()).toMatchObject({ delivered: 2, failed: [] });
  const received = await sql<{ indicator_id: string }>`
    select indicator_id from indicators.indicator
    where region_code = ${CITY} and fiscal_year = 2026 and sup_doc_no = '云财教〔2026〕32号'`.execute(db());
  cityFund = received.rows[0]!.indicator_id;

  // City: 100 000 on to 古城区; 200 000 + 50 000 to units as direct-reach, 30 000 without the flag.
  await eff(CITY, city, '丽财教〔2026〕41号', {
    docType: 'issue',
    fromIndicatorId: cityFund,
    lines: [{ region: GUCHENG, amount: '100000.00' }],
  });
  expect(await relay()).toMatchObject({ delivered: 1, failed: [] });
  const g = await sql<{ indicator_id: string }>`
    select indicator_id from indicators.indicator
    where region_code = ${GUCHENG} and fiscal_year = 2026 and sup_doc_no = '丽财教〔2026〕41号'`.execute(
    db(),
  );
  guchengFund = g.rows[0]!.indicator_id;
  await eff(CITY, city, '丽财教〔2026〕42号', {
    docType: 'allocate',
    fromIndicatorId: cityFund,
    lines: [
      { indicatorId: 'C-DR1', elements: unit('205002', { directReach: true }), amount: '200000.00' },
      { indicatorId: 'C-DR2', elements: unit('205003', { directReach: true }), amount: '50000.00' },
      { indicatorId: 'C-PLAIN', elements: unit('205002', {}), amount: '30000.00' },
    ],
  });

  // Payments from C-DR1: two paid (3 000 and 1 500; P1 in both), one signed but not yet paid.
  const a = await signedPayment('C-DR1', '3000.00', [
    { kind: 'person', name: '张三', idNo: P1, amount: '1000.00', payMonth: '2026-03', townCode: '530702001' },
    { kind: 'enterprise', name: '丽江某农业合作社', idNo: E1, amount: '2000.00' },
  ]);
  const b = await signedPayment('C-DR1', '1500.00', [
    { name: '张三', idNo: P1, amount: '500.00', payMonth: '2026-03' },
    { name: '李四', idNo: P2, amount: '1000.00', villageCode: '530721001002' },
  ]);
  await signedPayment('C-DR1', '700.00', [{ name: '王五', idNo: P3, amount: '700.00' }]);
  await bankPays(a, 300_000n);
  await bankPays(b, 150_000n);
  paidIds.push(a.id, b.id);
  // An ordinary payment, paid too: not direct-reach, so not in the report.
  const plain = await f.signed('direct', '800.00');
  await bankPays(plain, 80_000n);
}, 240_000);
afterAll(async () => f?.close());

describe('the direct-reach tracking report', () => {
  it('refuses a payment from a direct-reach indicator without beneficiaries', async () => {
    const r = await run1(
      db(),
      cmd('payment.draft', {
        agencyCode: '205002',
        payType: 'direct',
        indicatorId: 'C-DR1',
        amount: '10.00',
        purpose: '学生资助',
        settlementMode: '001001',
        payee: { payeeCode: 'S0001' },
      }),
      as('clerk'),
    );
    expect(errorCode(r)).toBe('BENEFICIARY_REQUIRED');
  });

  it('gives the city one fund with its received, allocated, issued and paid figures', async () => {
    const rep = await directReachReport(db(), { region: CITY, year: 2026 });
    expect(rep.funds).toHaveLength(1);
    expect(rep.funds[0]).toMatchObject({
      fundKey: cityFund,
      region: CITY,
      docNo: null,
      supDocNo: '云财教〔2026〕32号',
      title: '云财教〔2026〕32号',
      originKind: 'receipt',
      pool: 'unallocated',
      fundTypeCode: '111',
      expFuncCode: '2050203',
      indicators: 4,
      // The province is not in this report: where it came from, without its fund key.
      upper: { region: PROVINCE, docNo: '云财教〔2026〕32号', indicatorId: 'P-DR', fundKey: null },
      receivedFen: 600_000_00n,
      allocatedFen: 280_000_00n,
      issuedFen: 100_000_00n,
      unallocatedFen: 220_000_00n,
      paidFen: 4_500_00n,
      payments: 2,
      beneficiaries: 3,
      beneficiaryAmountFen: 4_500_00n,
    });
    expect(rep.totals).toEqual({
      funds: 1,
      receivedFen: 600_000_00n,
      allocatedFen: 280_000_00n,
      issuedFen: 100_000_00n,
      unallocatedFen: 220_000_00n,
      paidFen: 4_500_00n,
      payments: 2,
      beneficiaries: 3,
      beneficiaryAmountFen: 4_500_00n,
    });
    // Ordinary indicators (the province's P-GEN as received, the fixture's DRT-*) are not funds.
    const province = await directReachReport(db(), { region: PROVINCE, year: 2026 });
    expect(province.funds.map((x) => x.fundKey)).toEqual(['P-DR']);
  });

  it('shows every level below with the links between them, and consolidates the totals', async () => {
    const rep = await directReachReport(db(), { region: PROVINCE, year: 2026, includeSubRegions: true });
    const rows = rep.funds.map((x) => [
      x.region,
      x.fundKey,
      x.receivedFen,
      x.allocatedFen,
      x.issuedFen,
      x.unallocatedFen,
      x.paidFen,
      x.upper?.fundKey ?? null,
    ]);
    expect(rows).toEqual([
      [PROVINCE, 'P-DR', 1_000_000_00n, 0n, 600_000_00n, 400_000_00n, 0n, null],
      [CITY, cityFund, 600_000_00n, 280_000_00n, 100_000_00n, 220_000_00n, 4_500_00n, 'P-DR'],
      [GUCHENG, guchengFund, 100_000_00n, 0n, 0n, 100_000_00n, 0n, cityFund],
    ]);
    expect(rep.funds[0]).toMatchObject({
      docNo: '云财教〔2026〕31号',
      title: '云财教〔2026〕31号',
      upper: null,
    });
    for (const x of rep.funds) expect(x.regionName.length).toBeGreaterThan(0);
    // Money moved between the levels of the report counts once: received = allocated + 待分 here.
    expect(rep.totals).toEqual({
      funds: 3,
      receivedFen: 1_000_000_00n,
      allocatedFen: 280_000_00n,
      issuedFen: 0n,
      unallocatedFen: 720_000_00n,
      paidFen: 4_500_00n,
      payments: 2,
      beneficiaries: 3,
      beneficiaryAmountFen: 4_500_00n,
    });
    // 玉龙县 received nothing of it: no row.
    expect(rep.funds.some((x) => x.region === YULONG)).toBe(false);
  });

  it('drills down to each paid payment and its beneficiary records', async () => {
    const d = await directReachPayments(db(), {
      region: CITY,
      year: 2026,
      fundKey: cityFund,
      page: 1,
      pageSize: 20,
    });
    expect(d).toMatchObject({ total: 2, page: 1, pageSize: 20, paidFen: 4_500_00n });
    const items = d!.items;
    expect(items.map((x) => x.applicationId).sort()).toEqual([...paidIds].sort());
    const a = items.find((x) => x.applicationId === paidIds[0])!;
    expect(a).toMatchObject({
      indicatorId: 'C-DR1',
      agencyCode: '205002',
      payType: 'direct',
      amountFen: 3_000_00n,
      purpose: '学生资助',
      vtCode: '5201',
    });
    expect(a.paidOn).toMatch(/^2026-\d\d-\d\d$/);
    expect(a.voucherNo).toEqual(expect.any(String));
    expect(a.beneficiaries).toEqual([
      {
        kind: 'person',
        name: '张三',
        idNo: P1,
        amountFen: 1_000_00n,
        payMonth: '2026-03',
        townCode: '530702001',
        villageCode: null,
      },
      {
        kind: 'enterprise',
        name: '丽江某农业合作社',
        idNo: E1,
        amountFen: 2_000_00n,
        payMonth: null,
        townCode: null,
        villageCode: null,
      },
    ]);
    const b = items.find((x) => x.applicationId === paidIds[1])!;
    expect(b.beneficiaries.map((x) => [x.idNo, x.amountFen, x.villageCode])).toEqual([
      [P1, 500_00n, null],
      [P2, 1_000_00n, '530721001002'],
    ]);
    // Paging: one per page, the total still says two.
    const p2 = await directReachPayments(db(), {
      region: CITY,
      year: 2026,
      fundKey: cityFund,
      page: 2,
      pageSize: 1,
    });
    expect(p2).toMatchObject({ total: 2, paidFen: 4_500_00n });
    expect(p2!.items).toHaveLength(1);
    const p3 = await directReachPayments(db(), {
      region: CITY,
      year: 2026,
      fundKey: cityFund,
      page: 3,
      pageSize: 1,
    });
    expect(p3).toMatchObject({ total: 2, items: [] });
    // A fund's member, an ordinary indicator or an unknown key is not a fund.
    for (const key of ['C-DR1', 'DRT-DIR', 'NOPE'])
      expect(
        await directReachPayments(db(), { region: CITY, year: 2026, fundKey: key, page: 1, pageSize: 5 }),
      ).toBe(null);
  });
});

describe('GET /api/v1/monitor/direct-reach', () => {
  const get = async (user: string, password: string, url: string) =>
    f.t.app.inject({ method: 'GET', url, headers: { cookie: await f.t.login(user, password) } });

  it('answers the monitoring officer with yuan strings, over the subtree', async () => {
    const res = await get(
      'monitor',
      'Fiscus-Mon-2026',
      `/api/v1/monitor/direct-reach?region=${CITY}&year=2026&subRegions=true`,
    );
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ region: CITY, year: 2026, subRegions: true });
    expect(body.funds).toHaveLength(2);
    expect(body.funds[0]).toMatchObject({
      fundKey: cityFund,
      region: CITY,
      supDocNo: '云财教〔2026〕32号',
      received: '600000.00',
      allocated: '280000.00',
      issued: '100000.00',
      unallocated: '220000.00',
      paid: '4500.00',
      payments: 2,
      beneficiaries: 3,
      beneficiaryAmount: '4500.00',
    });
    expect(body.funds[1]).toMatchObject({
      fundKey: guchengFund,
      region: GUCHENG,
      received: '100000.00',
      upper: { region: CITY, fundKey: cityFund },
    });
    expect(body.totals).toEqual({
      funds: 2,
      received: '600000.00',
      allocated: '280000.00',
      issued: '0.00',
      unallocated: '320000.00',
      paid: '4500.00',
      payments: 2,
      beneficiaries: 3,
      beneficiaryAmount: '4500.00',
    });
  });

  it('serves the drill-down with each beneficiary amount in yuan', async () => {
    const res = await get(
      'budget',
      'Fiscus-Bgt-2026',
      `/api/v1/monitor/direct-reach/${cityFund}/payments?region=${CITY}&year=2026&pageSize=10`,
    );
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ fundKey: cityFund, total: 2, page: 1, pageSize: 10, paid: '4500.00' });
    const a = body.items.find((x: { applicationId: string }) => x.applicationId === paidIds[0]);
    expect(a).toMatchObject({ amount: '3000.00', indicatorId: 'C-DR1' });
    expect(a.beneficiaries).toEqual([
      {
        kind: 'person',
        name: '张三',
        idNo: P1,
        amount: '1000.00',
        payMonth: '2026-03',
        townCode: '530702001',
        villageCode: null,
      },
      {
        kind: 'enterprise',
        name: '丽江某农业合作社',
        idNo: E1,
        amount: '2000.00',
        payMonth: null,
        townCode: null,
        villageCode: null,
      },
    ]);
    const missing = await get(
      'budget',
      'Fiscus-Bgt-2026',
      `/api/v1/monitor/direct-reach/DRT-DIR/payments?region=${CITY}&year=2026`,
    );
    expect(missing.statusCode).toBe(404);
  });

  it('refuses readers without the permission, out of scope, or limited to an agency', async () => {
    const url = `/api/v1/monitor/direct-reach?region=${CITY}&year=2026`;
    const noPermission = await get('migrator', 'Fiscus-Mig-2026', url);
    expect(noPermission.statusCode).toBe(403);
    expect(noPermission.json().error.code).toBe('PERMISSION_DENIED');
    const clerk = await get('clerk', 'Fiscus-Clk-2026', url);
    expect(clerk.statusCode).toBe(403);
    expect(clerk.json().error.code).toBe('SCOPE_DENIED');
    const drill = await get(
      'clerk',
      'Fiscus-Clk-2026',
      `/api/v1/monitor/direct-reach/${cityFund}/payments?region=${CITY}&year=2026`,
    );
    expect(drill.statusCode).toBe(403);
    // The monitoring officer's grant starts at 丽江市: the province is out of scope.
    const province = await get(
      'monitor',
      'Fiscus-Mon-2026',
      `/api/v1/monitor/direct-reach?region=${PROVINCE}&year=2026`,
    );
    expect(province.statusCode).toBe(403);
    // 丽江市本级 only: the city alone is fine, its subtree is not.
    expect((await get('budget2', 'Fiscus-Bgt2-2026', url)).statusCode).toBe(200);
    expect((await get('budget2', 'Fiscus-Bgt2-2026', `${url}&subRegions=true`)).statusCode).toBe(403);
    const anonymous = await f.t.app.inject({ method: 'GET', url });
    expect(anonymous.statusCode).toBe(401);
  });
});
