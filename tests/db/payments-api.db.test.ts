import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../support/server';

type App = Awaited<ReturnType<typeof createTestApp>>;
let t: App;
const Q = 'region=530700000&year=2026';

async function command(cookie: string, type: string, payload: unknown) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/commands',
    headers: { cookie },
    payload: {
      id: `api-${type}-${Math.random().toString(36).slice(2)}`,
      type,
      region: '530700000',
      year: 2026,
      on: '2026-05-06',
      payload,
    },
  });
  const body = res.json();
  if (body.status !== 'accepted') throw new Error(`${type}: ${res.body}`);
  return body.result;
}

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('payments over HTTP', () => {
  it('shows a clerk their applications with the full trail, and keeps other agencies out', async () => {
    const budget = await t.login('budget', 'Fiscus-Bgt-2026');
    const chief = await t.login('chief', 'Fiscus-Chf-2026');
    const d = await command(budget, 'indicatorDoc.draft', {
      docNo: '丽财〔2026〕API',
      title: 'api',
      body: {
        docType: 'approve',
        lines: [
          {
            indicatorId: 'API-SCH',
            elements: { fundTypeCode: '111', agencyCode: '205002', deptCode: '205', expFuncCode: '2050203' },
            amount: '1000.00',
            pool: 'executable',
          },
        ],
      },
    });
    await command(budget, 'indicatorDoc.submit', { docId: d.docId });
    await command(chief, 'indicatorDoc.approve', { docId: d.docId });
    const clerk = await t.login('clerk', 'Fiscus-Clk-2026');
    const a = await command(clerk, 'payment.draft', {
      agencyCode: '205002',
      payType: 'direct',
      indicatorId: 'API-SCH',
      amount: '88.00',
      purpose: '快递费',
      settlementMode: '001001',
      payee: { payeeCode: 'S0001' },
    });
    await command(clerk, 'payment.submit', { applicationId: a.applicationId, agencyCode: '205002' });
    const list = await t.app.inject({ url: `/api/v1/payments?${Q}`, headers: { cookie: clerk } });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({
      total: 1,
      items: [{ applicationId: a.applicationId, amount: '88.00', state: 'submitted' }],
    });
    const detail = await t.app.inject({
      url: `/api/v1/payments/${a.applicationId}?${Q}`,
      headers: { cookie: clerk },
    });
    expect(detail.json()).toMatchObject({
      state: 'submitted',
      actions: [{ action: 'draft' }, { action: 'submit' }],
      ledger: [{ scenario: 'applicationApproved', amount: '88.00', command: 'payment.submit' }],
    });
    // The reviewer sees the whole region; the province officer has no payment permission.
    const reviewer = await t.login('reviewer', 'Fiscus-Rev-2026');
    expect(
      (await t.app.inject({ url: `/api/v1/payments?${Q}`, headers: { cookie: reviewer } })).json().total,
    ).toBe(1);
    const province = await t.login('province', 'Fiscus-Prv-2026');
    expect(
      (await t.app.inject({ url: `/api/v1/payments?${Q}`, headers: { cookie: province } })).statusCode,
    ).toBe(403);
  });
});
