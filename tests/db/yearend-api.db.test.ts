import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../support/server';

type App = Awaited<ReturnType<typeof createTestApp>>;
let t: App;
const Q = 'region=530700000&year=2026';

async function command(cookie: string, type: string, payload: unknown, over: Record<string, unknown> = {}) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/commands',
    headers: { cookie },
    payload: {
      id: `ye-${type}-${Math.random().toString(36).slice(2)}`,
      type,
      region: '530700000',
      year: 2026,
      on: '2026-12-20',
      payload,
      ...over,
    },
  });
  if (res.json().status !== 'accepted') throw new Error(`${type}: ${res.body}`);
  return res.json().result;
}

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('year-end from the web page', () => {
  it('previews, runs in the background with progress, and reverses the run', async () => {
    const budget = await t.login('budget', 'Fiscus-Bgt-2026');
    const chief = await t.login('chief', 'Fiscus-Chf-2026');
    const d = await command(budget, 'indicatorDoc.draft', {
      docNo: '丽财〔2026〕YE',
      title: 'ye',
      body: {
        docType: 'approve',
        lines: [
          {
            indicatorId: 'YE-PRJ',
            elements: {
              fundTypeCode: '111',
              agencyCode: '205002',
              deptCode: '205',
              expFuncCode: '2050203',
              indicatorTypeCode: '21',
            },
            amount: '300.00',
            pool: 'executable',
          },
        ],
      },
    });
    await command(budget, 'indicatorDoc.submit', { docId: d.docId });
    await command(chief, 'indicatorDoc.approve', { docId: d.docId });
    const province = await t.login('province', 'Fiscus-Prv-2026');
    await command(province, 'fiscalYear.open', {}, { year: 2027 });
    await command(province, 'codeSet.load', { version: '2027.1' }, { year: 2027 });

    const preview = await t.app.inject({ url: `/api/v1/yearend/preview?${Q}`, headers: { cookie: chief } });
    expect(preview.json()).toMatchObject({ nextYearOpen: true, carry: { count: 1, amount: '300.00' } });
    // Starting needs indicator.yearend: budget officers may look but not run.
    const refused = await t.app.inject({
      method: 'POST',
      url: `/api/v1/yearend/runs?${Q}`,
      headers: { cookie: budget },
    });
    expect(refused.statusCode).toBe(403);
    const started = await t.app.inject({
      method: 'POST',
      url: `/api/v1/yearend/runs?${Q}`,
      headers: { cookie: chief },
    });
    expect(started.statusCode).toBe(202);
    let runs: {
      driving: { running: boolean; error: string | null };
      runs: { runId: string; state: string; progress: number }[];
    };
    for (let i = 0; ; i++) {
      runs = (await t.app.inject({ url: `/api/v1/yearend/runs?${Q}`, headers: { cookie: chief } })).json();
      if (!runs.driving.running || i > 100) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(runs.driving.error).toBeNull();
    expect(runs.runs).toEqual([expect.objectContaining({ state: 'completed', progress: 1 })]);
    const runId = runs.runs[0]!.runId;
    const back = await t.app.inject({
      method: 'POST',
      url: `/api/v1/yearend/runs/${runId}/reversal?${Q}`,
      headers: { cookie: chief },
    });
    expect(back.statusCode).toBe(202);
    for (let i = 0; ; i++) {
      runs = (await t.app.inject({ url: `/api/v1/yearend/runs?${Q}`, headers: { cookie: chief } })).json();
      if (!runs.driving.running || i > 100) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(runs.runs[0]).toMatchObject({ state: 'reversed' });
    const unknown = await t.app.inject({
      method: 'POST',
      url: `/api/v1/yearend/runs/NOPE/reversal?${Q}`,
      headers: { cookie: chief },
    });
    expect(unknown.statusCode).toBe(404);
  });
});
