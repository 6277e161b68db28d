import type { CommandResult } from '@fiscus/contracts';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  approvalInbox,
  balanceReport,
  documentDetail,
  formatYuan,
  indicatorDetail,
  listDocuments,
  listIndicators,
  loadActor,
  loadDemo,
} from '../../packages/core/src/index';
import { createTestDb, type TestDb } from '../support/db';
import { createTestApp } from '../support/server';
import { cmd, run1 } from './helpers';

// The read models of 指标管理 against documents run through the real pipeline: every figure the
// list shows is checked against amounts computed here by hand.

let t: TestDb;
const CITY = '530700000';
const as = (user: string) => ({ defaultActor: user });
const ok = (r: CommandResult) => {
  if (r.status !== 'accepted') throw new Error(`refused: ${JSON.stringify(r.error)}`);
  return r.result as Record<string, unknown>;
};
const pool = { fundTypeCode: '111', expFuncCode: '2050203', indicatorTypeCode: '32' };
const school = (agencyCode: string) => ({
  ...pool,
  agencyCode,
  deptCode: '205',
  depEcoCode: '30211',
  govEcoCode: '50201',
});

async function draft(docNo: string, body: Record<string, unknown>, by = 'budget') {
  const d = ok(await run1(t.db, cmd('indicatorDoc.draft', { docNo, title: docNo, body }), as(by)));
  return d.docId as string;
}
async function submit(docId: string, by = 'budget') {
  ok(await run1(t.db, cmd('indicatorDoc.submit', { docId }), as(by)));
}
async function approve(docId: string, by = 'chief') {
  return ok(await run1(t.db, cmd('indicatorDoc.approve', { docId }), as(by)));
}
async function effective(docNo: string, body: Record<string, unknown>) {
  const docId = await draft(docNo, body);
  await submit(docId);
  await approve(docId);
  return docId;
}
/** Post a payment-side scenario on an indicator's exact element set. */
async function post(scenario: string, indicatorId: string, amount: string) {
  const r = await t.db
    .selectFrom('indicators.indicator')
    .select('elements')
    .where('region_code', '=', CITY)
    .where('indicator_id', '=', indicatorId)
    .executeTakeFirstOrThrow();
  return run1(t.db, cmd('ledger.post', { scenario, amount, indicator: r.elements }), as('budget'));
}
const list = (f: Record<string, unknown> = {}) =>
  listIndicators(t.db, { region: CITY, year: 2026, page: 1, pageSize: 50, ...f });
const actor = async (u: string) => (await loadActor(t.db, u))!;

beforeAll(async () => {
  t = await createTestDb();
  expect((await loadDemo(t.db)).rejected).toEqual([]);
  await effective('丽财预〔2026〕1号', {
    docType: 'approve',
    lines: [{ indicatorId: 'Q-POOL', elements: pool, amount: '1000000.00', pool: 'unallocated' }],
  });
  await effective('丽财预〔2026〕2号', {
    docType: 'allocate',
    fromIndicatorId: 'Q-POOL',
    lines: [
      { indicatorId: 'Q-SCH', elements: school('205002'), amount: '300000.00' },
      { indicatorId: 'Q-KG', elements: school('205003'), amount: '200000.00' },
    ],
  });
  await effective('丽财预〔2026〕3号', { docType: 'freeze', lines: [{ indicatorId: 'Q-SCH', percent: 10 }] });
  await effective('丽财预〔2026〕4号', {
    docType: 'transfer',
    lines: [
      { fromIndicatorId: 'Q-KG', toElements: school('205003'), toIndicatorId: 'Q-KG2', amount: '20000.00' },
    ],
  });
}, 120_000);
afterAll(async () => t?.close());

describe('the indicator list (指标台账)', () => {
  it('shows the five amounts of each indicator and the totals of the filtered set', async () => {
    const all = await list();
    const byId = new Map(all.items.map((i) => [i.indicatorId, i]));
    expect(all.total).toBe(4);
    expect(byId.get('Q-POOL')).toMatchObject({
      pool: 'unallocated',
      total: '500000.00',
      available: '500000.00',
      frozen: '0.00',
    });
    expect(byId.get('Q-SCH')).toMatchObject({
      pool: 'executable',
      agencyName: '丽江市第一中学',
      total: '300000.00',
      available: '270000.00',
      frozen: '30000.00',
      inUse: '0.00',
      paid: '0.00',
    });
    expect(byId.get('Q-KG')).toMatchObject({ total: '180000.00', available: '180000.00' });
    expect(byId.get('Q-KG2')).toMatchObject({ total: '20000.00', originIndicatorId: 'Q-KG' });
    expect(all.totals).toEqual({
      total: '1000000.00',
      available: '970000.00',
      frozen: '30000.00',
      inUse: '0.00',
      paid: '0.00',
    });
  });

  it('counts money in use and paid, and total = available + frozen + in use + paid', async () => {
    const inPayment = await post('applicationApproved', 'Q-SCH', '5000.00');
    const paid = await post('bankPaid', 'Q-SCH', '3000.00');
    expect([inPayment.status, paid.status]).toEqual(['accepted', 'accepted']);
    const sch = (await list({ q: 'Q-SCH' })).items[0]!;
    expect(sch).toMatchObject({
      total: '300000.00',
      available: '265000.00',
      frozen: '30000.00',
      inUse: '2000.00',
      paid: '3000.00',
    });
  });

  it('filters by every element, pool and keyword; totals follow the filter; pages', async () => {
    expect((await list({ pool: 'unallocated' })).items.map((i) => i.indicatorId)).toEqual(['Q-POOL']);
    const kg = await list({ agency: '205003' });
    expect(kg.items.map((i) => i.indicatorId).sort()).toEqual(['Q-KG', 'Q-KG2']);
    expect(kg.totals.total).toBe('200000.00');
    // A department code finds its agencies by prefix.
    expect((await list({ dept: '205', pool: 'executable' })).total).toBe(3);
    expect((await list({ expFunc: '205' })).total).toBe(4);
    expect((await list({ fundType: '112' })).total).toBe(0);
    expect((await list({ govEco: '50201', depEco: '30211' })).total).toBe(3);
    expect((await list({ indicatorType: '32' })).total).toBe(4);
    // A new 调剂 target carries no 指标来源 unless the line names one.
    expect((await list({ sourceType: '1' })).total).toBe(3);
    expect((await list({ docNo: '2号' })).items.map((i) => i.indicatorId).sort()).toEqual(['Q-KG', 'Q-SCH']);
    expect((await list({ q: '第一中学' })).items.map((i) => i.indicatorId)).toEqual(['Q-SCH']);
    expect((await list({ directReach: true })).total).toBe(0);
    expect((await list({ supDocNo: 'x', project: 'y' })).total).toBe(0);
    // A LIKE wildcard in the input is a literal character.
    expect((await list({ q: '%' })).total).toBe(0);
    const paged = await list({ page: 2, pageSize: 3 });
    expect(paged.items).toHaveLength(1);
    expect(paged.totals.total).toBe('1000000.00');
    // An agency-scoped reader sees its agency subtree only.
    expect((await list({ agencies: ['205002'] })).items.map((i) => i.indicatorId)).toEqual(['Q-SCH']);
  });
});

describe('one indicator (指标详情)', () => {
  it('has its ledger lines, its origin chain up and its descendants and payments down', async () => {
    const kg2 = (await indicatorDetail(t.db, CITY, 2026, 'Q-KG2'))!;
    expect(kg2.amounts.available).toBe('20000.00');
    expect(kg2.lineage.up.map((u) => u.indicatorId)).toEqual(['Q-KG', 'Q-POOL']);
    expect(kg2.lineage.createdBy).toMatchObject({ docType: 'transfer', docNo: '丽财预〔2026〕4号' });
    expect(kg2.lines).toEqual([
      expect.objectContaining({ account: '2101', side: 'credit', amount: '20000.00', scenario: 'transfer' }),
    ]);
    expect(kg2.lines[0]!.commandType).toBe('indicatorDoc.approve');

    const root = (await indicatorDetail(t.db, CITY, 2026, 'Q-POOL'))!;
    expect(root.lineage.up).toEqual([]);
    expect(root.lineage.down.map((d) => [d.indicatorId, d.depth])).toEqual([
      ['Q-KG', 1],
      ['Q-SCH', 1],
      ['Q-KG2', 2],
    ]);
    expect(root.lineage.down.find((d) => d.indicatorId === 'Q-SCH')!.amounts.paid).toBe('3000.00');

    const sch = (await indicatorDetail(t.db, CITY, 2026, 'Q-SCH'))!;
    expect(sch.lineage.payments.map((p) => [p.account, p.side, p.amount])).toEqual([
      ['2401', 'credit', '5000.00'],
      ['2401', 'debit', '3000.00'],
      ['2501', 'credit', '3000.00'],
    ]);
    expect(await indicatorDetail(t.db, CITY, 2026, 'NOPE')).toBeNull();
    // Outside an agency-scoped reader's agencies it does not exist for them.
    expect(await indicatorDetail(t.db, CITY, 2026, 'Q-SCH', ['205003'])).toBeNull();
    expect(await indicatorDetail(t.db, CITY, 2026, 'Q-SCH', ['205'])).not.toBeNull();
  });
});

describe('documents and the approval inbox', () => {
  it('lists documents by state and type and shows one with its history', async () => {
    const docs = await listDocuments(t.db, { region: CITY, year: 2026, page: 1, pageSize: 20 });
    expect(docs.total).toBe(4);
    const approved = await listDocuments(t.db, {
      region: CITY,
      year: 2026,
      state: 'approved',
      docType: 'allocate',
      page: 1,
      pageSize: 20,
    });
    expect(approved.items).toHaveLength(1);
    const d = (await documentDetail(t.db, CITY, 2026, approved.items[0]!.docId))!;
    expect(d).toMatchObject({ docType: 'allocate', amount: '500000.00', state: 'approved' });
    expect(d.actions.map((a) => [a.action, a.actor])).toEqual([
      ['draft', 'budget'],
      ['submit', 'budget'],
      ['approve', 'chief'],
    ]);
    expect(d.actions[2]!.stepName).toBe('预算科审核');
    expect(d.effect?.indicators.map((i) => [i.indicatorId, i.total])).toEqual([
      ['Q-SCH', '300000.00'],
      ['Q-KG', '180000.00'],
    ]);
  });

  it('offers a submitted document to approvers only, never to its preparer or an earlier approver', async () => {
    const docId = await draft('丽财预〔2026〕9号', {
      docType: 'adjust',
      lines: [{ indicatorId: 'Q-KG', direction: 'increase', amount: '1000.00', fundingSource: 'reserve' }],
    });
    const ids = async (u: string) =>
      (await approvalInbox(t.db, await actor(u), CITY, 2026)).map((d) => d.docId);
    // A draft waits on nobody.
    expect(await ids('chief')).toEqual([]);
    await submit(docId);
    expect(await ids('chief')).toEqual([docId]);
    expect(await ids('budget2')).toEqual([docId]);
    expect(await ids('budget')).toEqual([]); // prepared and submitted it
    expect(await ids('clerk')).toEqual([]); // no indicator.review
    expect(await ids('gucheng')).toEqual([]); // holds review, but in 古城区 only
    const inbox = await approvalInbox(t.db, await actor('chief'), CITY, 2026);
    expect(inbox[0]!.currentStep).toEqual({ name: '预算科审核', permission: 'indicator.review' });

    // A two-step route: whoever approved step 1 is not offered step 2.
    ok(
      await run1(
        t.db,
        cmd('indicatorDoc.saveRoute', {
          docType: 'recall',
          steps: [
            { name: '业务科室审核', permission: 'indicator.review' },
            { name: '预算科终审', permission: 'indicator.approve' },
          ],
        }),
        as('chief'),
      ),
    );
    const recall = await draft('丽财预〔2026〕10号', {
      docType: 'recall',
      lines: [{ indicatorId: 'Q-KG', amount: '100.00', toPoolIndicatorId: 'Q-POOL' }],
    });
    await submit(recall);
    expect(await ids('budget2')).toContain(recall);
    await approve(recall, 'budget2');
    // Step 2 needs indicator.approve: chief holds it; budget2 lacks it (and approved step 1).
    expect(await ids('budget2')).not.toContain(recall);
    expect(await ids('chief')).toContain(recall);
    const [d] = (await listDocuments(t.db, { region: CITY, year: 2026, q: '10号', page: 1, pageSize: 5 }))
      .items;
    expect(d).toMatchObject({ state: 'submitted', step: 1, currentStep: { name: '预算科终审' } });
    // Returned and submitted again: the earlier approval no longer counts, step 1 comes first.
    ok(await run1(t.db, cmd('indicatorDoc.return', { docId: recall, opinion: '金额有误' }), as('chief')));
    expect(await ids('chief')).not.toContain(recall);
    await submit(recall);
    expect(await ids('budget2')).toContain(recall);
    const history = (await documentDetail(t.db, CITY, 2026, recall))!.actions;
    expect(history.map((a) => a.action)).toEqual(['draft', 'submit', 'approve', 'return', 'submit']);
    expect(history[3]).toMatchObject({ opinion: '金额有误', stepName: '预算科终审' });
  });

  it('agrees with the 指标余额表 report of the ledger', async () => {
    const rows = await balanceReport(t.db, {
      region: CITY,
      year: 2026,
      by: ['indicator'],
      accounts: ['2001', '2002', '2101', '2102', '2301', '2401', '2501'],
    });
    const report = new Map(rows.map((r) => [String(r.indicator), formatYuan(r.balance)]));
    const all = await list();
    for (const i of all.items) expect(i.total).toBe(report.get(i.indicatorId));
    expect(all.totals.total).toBe(formatYuan(rows.reduce((s, r) => s + r.balance, 0n)));
  });
});

describe('the 指标管理 read API', () => {
  type App = Awaited<ReturnType<typeof createTestApp>>;
  let api: App;
  const Q = 'region=530700000&year=2026';
  const get = (cookie: string, url: string) => api.app.inject({ method: 'GET', url, headers: { cookie } });
  async function command(cookie: string, type: string, payload: unknown) {
    const res = await api.app.inject({
      method: 'POST',
      url: '/api/v1/commands',
      headers: { cookie },
      payload: {
        id: `q-${Math.random().toString(36).slice(2)}`,
        type,
        region: CITY,
        year: 2026,
        on: '2026-03-01',
        payload,
      },
    });
    return res.json() as CommandResult;
  }
  beforeAll(async () => {
    api = await createTestApp();
  });
  afterAll(async () => api?.close());

  it('lists, details, exports and shows the inbox over HTTP; agency readers see their agency only', async () => {
    const budget = await api.login('budget', 'Fiscus-Bgt-2026');
    const chief = await api.login('chief', 'Fiscus-Chf-2026');
    const d = ok(
      await command(budget, 'indicatorDoc.draft', {
        docNo: 'API-1',
        title: 'api',
        body: {
          docType: 'approve',
          lines: [
            { indicatorId: 'A-SCH', elements: school('205002'), amount: '1000.00', pool: 'executable' },
            { indicatorId: 'A-KG', elements: school('205003'), amount: '500.00', pool: 'executable' },
          ],
        },
      }),
    );
    const docId = d.docId as string;
    ok(await command(budget, 'indicatorDoc.submit', { docId }));
    const inbox = (await get(chief, `/api/v1/indicator-docs/inbox?${Q}`)).json();
    expect(inbox.items.map((x: { docId: string }) => x.docId)).toEqual([docId]);
    expect((await get(budget, `/api/v1/indicator-docs/inbox?${Q}`)).json().items).toEqual([]);
    ok(await command(chief, 'indicatorDoc.approve', { docId }));

    const list = (await get(budget, `/api/v1/indicators?${Q}&pool=executable&directReach=false`)).json();
    expect(list.total).toBe(2);
    expect(list.totals).toMatchObject({ total: '1500.00', available: '1500.00' });
    const one = await get(budget, `/api/v1/indicators/A-SCH?${Q}`);
    expect(one.json()).toMatchObject({
      amounts: { available: '1000.00' },
      lineage: { createdBy: { docId } },
    });
    expect((await get(budget, `/api/v1/indicators/NOPE?${Q}`)).statusCode).toBe(404);
    const docs = (await get(budget, `/api/v1/indicator-docs?${Q}&state=approved&docType=approve`)).json();
    expect(docs.items).toHaveLength(1);
    const doc = (await get(budget, `/api/v1/indicator-docs/${docId}?${Q}`)).json();
    expect(doc.actions.map((a: { action: string }) => a.action)).toEqual(['draft', 'submit', 'approve']);
    const levels = (await get(budget, `/api/v1/reconciliations/levels?${Q}`)).json();
    expect(levels).toMatchObject({ ok: true, differences: [] });

    // Excel: every filtered row and a 合计 row.
    const x = await get(budget, `/api/v1/indicators?${Q}&format=xlsx`);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('指标编号');
    const last = sheet.getRow(sheet.rowCount);
    expect(last.getCell(1).value).toBe('合计');
    expect(last.getCell(17).value).toBe('1500.00');
    const dx = await get(budget, `/api/v1/indicator-docs?${Q}&format=xlsx`);
    expect(dx.headers['content-disposition']).toContain('xlsx');

    // 单位报账员 of 205002: its indicator only; documents are not theirs to read.
    const clerk = await api.login('clerk', 'Fiscus-Clk-2026');
    const mine = (await get(clerk, `/api/v1/indicators?${Q}`)).json();
    expect(mine.items.map((i: { indicatorId: string }) => i.indicatorId)).toEqual(['A-SCH']);
    expect((await get(clerk, `/api/v1/indicators/A-KG?${Q}`)).statusCode).toBe(404);
    expect((await get(clerk, `/api/v1/indicator-docs?${Q}`)).json().error.code).toBe('SCOPE_DENIED');
    expect((await api.app.inject({ method: 'GET', url: `/api/v1/indicators?${Q}` })).statusCode).toBe(401);
  });
});
