import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeCommands, runReport, verifyLedger } from '../../packages/core/src/index';
import { createTestApp } from '../support/server';
import { cmd, demoIndicator } from './helpers';

type App = Awaited<ReturnType<typeof createTestApp>>;
let t: App;
let budget: string;

const ind = demoIndicator;
const post = (payload: Record<string, unknown>, on: string) => cmd('ledger.post', payload, { on });
const pool = { indicatorId: 'P-1', fundTypeCode: '111', expFuncCode: '20502', sourceTypeCode: '1' };

beforeAll(async () => {
  t = await createTestApp();
  budget = await t.login('budget', 'Fiscus-Bgt-2026');
  const rs = await executeCommands(
    t.db,
    [
      post({ scenario: 'approve', amount: '100000.00', to: pool, pool: 'unallocated' }, '2026-01-05'),
      post(
        {
          scenario: 'allocate',
          amount: '50000.00',
          from: pool,
          to: ind('B-1', { originIndicatorId: 'P-1' }),
        },
        '2026-01-20',
      ),
      post(
        {
          scenario: 'applicationApproved',
          amount: '3600.00',
          indicator: ind('B-1', { originIndicatorId: 'P-1' }),
        },
        '2026-03-05',
      ),
      post(
        { scenario: 'bankPaid', amount: '3600.00', indicator: ind('B-1', { originIndicatorId: 'P-1' }) },
        '2026-03-06',
      ),
      post(
        {
          scenario: 'approve',
          amount: '2000.00',
          to: ind('B-9', { fundTypeCode: '121', agencyCode: '101001', deptCode: '101' }),
          pool: 'executable',
        },
        '2026-02-01',
      ),
    ],
    { defaultActor: 'budget' },
  );
  expect(rs.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'accepted']);
});
afterAll(async () => t?.close());

describe('reports', () => {
  it('gives balances by any dimensions, now and as of a date', async () => {
    const now = await runReport(t.db, 'balances', {
      region: '530700000',
      year: 2026,
      by: ['account', 'indicator'],
    });
    expect(now).toContainEqual({
      account: '2101',
      indicator: 'B-1',
      debit: '3600.00',
      credit: '50000.00',
      balance: '46400.00',
    });
    expect(now).toContainEqual({
      account: '2501',
      indicator: 'B-1',
      debit: '0.00',
      credit: '3600.00',
      balance: '3600.00',
    });
    const march5 = await runReport(t.db, 'balances', {
      region: '530700000',
      year: 2026,
      by: ['account'],
      asOf: '2026-03-05',
    });
    expect(march5.find((r) => r.account === '2401')?.balance).toBe('3600.00');
    expect(march5.find((r) => r.account === '2501')).toBeUndefined();
    const jan = await runReport(t.db, 'balances', {
      region: '530700000',
      year: 2026,
      by: ['account'],
      asOf: '2026-01-31',
    });
    expect(jan.find((r) => r.account === '2001')?.balance).toBe('50000.00');
  });
  it('reads a province-year from balance rows of the whole subtree', async () => {
    const p = await runReport(t.db, 'balances', {
      region: '530000000',
      year: 2026,
      by: ['region', 'fundType'],
      includeSubtree: true,
    });
    expect(p.map((r) => r.fundType)).toEqual(expect.arrayContaining(['111', '121']));
  });
  it('proves sources = holdings in the trial balance and reports execution progress', async () => {
    const tb = await runReport(t.db, 'trial-balance', { region: '530700000', year: 2026 });
    const sum = (pred: (a: string) => boolean, fund: string) =>
      tb
        .filter((r) => r.fundType === fund && pred(String(r.account)))
        .reduce((s, r) => s + Number(String(r.balance).replace('.', '')), 0);
    expect(sum((a) => a.startsWith('1'), '111')).toBe(sum((a) => a.startsWith('2'), '111'));
    const progress = await runReport(t.db, 'progress', { region: '530700000', year: 2026, by: ['agency'] });
    expect(progress).toContainEqual({
      agency: '205002',
      total: '50000.00',
      paid: '3600.00',
      progress: '7.20',
    });
  });
  it('traces an indicator back to the pool it came from', async () => {
    const rows = await runReport(t.db, 'indicator', { region: '530700000', year: 2026, indicatorId: 'B-1' });
    expect(rows.filter((r) => r.kind === 'lineage').map((r) => r.indicator_id)).toEqual(['P-1', 'B-1']);
    expect(rows.filter((r) => r.kind === 'line').map((r) => `${r.scenario}:${r.account}:${r.side}`)).toEqual([
      'allocate:2101:credit',
      'applicationApproved:2101:debit',
      'applicationApproved:2401:credit',
      'bankPaid:2401:debit',
      'bankPaid:2501:credit',
    ]);
  });
  it('serves reports over HTTP as JSON, CSV and Excel', async () => {
    const json = await t.app.inject({
      url: '/api/v1/ledger/reports/balances?region=530700000&year=2026&by=account,agency',
      headers: { cookie: budget },
    });
    expect(json.statusCode).toBe(200);
    expect(json.json().rows.length).toBeGreaterThan(0);
    const csv = await t.app.inject({
      url: '/api/v1/ledger/reports/trial-balance?region=530700000&year=2026&format=csv',
      headers: { cookie: budget },
    });
    expect(csv.body).toContain('fundType,account,debit,credit,balance');
    const xlsx = await t.app.inject({
      url: '/api/v1/ledger/reports/progress?region=530700000&year=2026&format=xlsx',
      headers: { cookie: budget },
    });
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const clerk = await t.login('clerk', 'Fiscus-Clk-2026');
    const denied = await t.app.inject({
      url: '/api/v1/ledger/reports/balances?region=530700000&year=2026',
      headers: { cookie: clerk },
    });
    expect(denied.statusCode).toBe(403);
  });
});

describe('ledger verify', () => {
  it('passes on a healthy ledger and names a balance altered by hand', async () => {
    const ok = await verifyLedger(t.db, { region: '530700000', year: 2026 });
    expect(ok.ok).toBe(true);
    expect(ok.lines).toBe(10);
    await sql`update ledger.balance set credit_fen = credit_fen + 1 where account = '2501'`.execute(t.db);
    const bad = await verifyLedger(t.db, { region: '530700000', year: 2026 });
    expect(bad.ok).toBe(false);
    expect(bad.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(
      expect.arrayContaining([
        'balances equal their lines (余额=明细)',
        'monthly balances add up (月度余额)',
      ]),
    );
    await sql`update ledger.balance set credit_fen = credit_fen - 1 where account = '2501'`.execute(t.db);
    expect((await verifyLedger(t.db)).ok).toBe(true);
  });
  it('names an entry whose line was edited behind the triggers', async () => {
    await sql`alter table ledger.line disable trigger line_append_only`.execute(t.db);
    try {
      await sql`update ledger.line set amount_fen = amount_fen + 100 where account = '2501'`.execute(t.db);
      const bad = await verifyLedger(t.db, { region: '530700000' });
      expect(bad.checks.find((c) => c.name.startsWith('entries balance'))?.ok).toBe(false);
      expect(bad.checks.find((c) => c.name.startsWith('balances equal'))?.ok).toBe(false);
    } finally {
      await sql`update ledger.line set amount_fen = amount_fen - 100 where account = '2501'`.execute(t.db);
      await sql`alter table ledger.line enable trigger line_append_only`.execute(t.db);
    }
  });
});
