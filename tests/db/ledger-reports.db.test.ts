import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { executeCommands, openPool, runReport, verifyLedger } from '../../packages/core/src/index';
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
  it('names entries between which a fen was moved, balances edited to match', async () => {
    // Every total stays the same: only the entry-by-entry check can see it.
    const l = await sql<{ entry_id: string; line_no: number; account: string; key: string; month: number }>`
      select entry_id::text as entry_id, line_no, account, element_key_id::text as key,
             extract(month from business_date)::int as month
      from ledger.line where region_code = '530700000' and fiscal_year = 2026 and side = 'debit'
      order by entry_id limit 2`.execute(t.db);
    expect(l.rows).toHaveLength(2);
    const move = async (fen: number) => {
      for (const [r, delta] of l.rows.map((r, i) => [r, i === 0 ? fen : -fen] as const)) {
        const key = sql`region_code = '530700000' and fiscal_year = 2026 and account = ${r.account} and element_key_id = ${r.key}`;
        await sql`update ledger.line set amount_fen = amount_fen + ${delta}
          where region_code = '530700000' and fiscal_year = 2026 and entry_id = ${r.entry_id} and line_no = ${r.line_no}`.execute(
          t.db,
        );
        await sql`update ledger.balance set debit_fen = debit_fen + ${delta} where ${key}`.execute(t.db);
        await sql`update ledger.balance_month set debit_fen = debit_fen + ${delta} where ${key} and month = ${r.month}`.execute(
          t.db,
        );
      }
    };
    await sql`alter table ledger.line disable trigger line_append_only`.execute(t.db);
    try {
      await move(1);
      const bad = await verifyLedger(t.db, { region: '530700000', year: 2026 });
      expect(bad.checks.filter((c) => !c.ok).map((c) => [c.name, c.failures])).toEqual([
        ['entries balance (借贷平衡)', 2],
      ]);
    } finally {
      await move(-1);
      await sql`alter table ledger.line enable trigger line_append_only`.execute(t.db);
    }
    expect((await verifyLedger(t.db)).ok).toBe(true);
  });
  it('names an entry whose header was edited', async () => {
    const e = await sql<{ id: string }>`select id::text as id from ledger.entry
      where region_code = '530700000' and fiscal_year = 2026 order by id limit 1`.execute(t.db);
    const id = e.rows[0]!.id;
    await sql`alter table ledger.entry disable trigger entry_append_only`.execute(t.db);
    try {
      await sql`update ledger.entry set debit_fen = debit_fen + 1, credit_fen = credit_fen + 1 where id = ${id}`.execute(
        t.db,
      );
      const bad = await verifyLedger(t.db, { region: '530700000', year: 2026 });
      const entries = bad.checks.find((c) => c.name.startsWith('entries balance'));
      expect(entries).toMatchObject({ ok: false, failures: 1 });
      expect(entries?.detail).toContain(`"entry":"${id}"`);
      expect(bad.checks.find((c) => c.name.startsWith('balances equal'))?.ok).toBe(true);
    } finally {
      await sql`update ledger.entry set debit_fen = debit_fen - 1, credit_fen = credit_fen - 1 where id = ${id}`.execute(
        t.db,
      );
      await sql`alter table ledger.entry enable trigger entry_append_only`.execute(t.db);
    }
    expect((await verifyLedger(t.db, { region: '530700000', year: 2026 })).ok).toBe(true);
  });
  it('names an entry without lines and a line whose entry is missing', async () => {
    // Written behind every trigger and foreign key, as a hand edit of the tables would be.
    const behindTriggers = (q: ReturnType<typeof sql>) =>
      t.db.transaction().execute(async (trx) => {
        await sql`set local session_replication_role = replica`.execute(trx);
        await q.execute(trx);
      });
    await behindTriggers(sql`insert into ledger.entry (region_code, fiscal_year, id, scenario, business_date, debit_fen, credit_fen)
      values ('530700000', 2026, 900000001, 'approve', '2026-03-01', 500, 500)`);
    try {
      const noLines = await verifyLedger(t.db, { region: '530700000', year: 2026 });
      const entries = noLines.checks.find((c) => c.name.startsWith('entries balance'));
      expect(entries).toMatchObject({ ok: false, failures: 1 });
      expect(entries?.detail).toContain('"entry":"900000001"');
      expect(noLines.checks.filter((c) => !c.ok)).toHaveLength(1);

      await behindTriggers(sql`insert into ledger.line
          (region_code, fiscal_year, entry_id, line_no, account, side, amount_fen, element_key_id, business_date)
        select region_code, fiscal_year, 900000002, 1, account, side, 700, element_key_id, business_date
        from ledger.line where region_code = '530700000' and fiscal_year = 2026 order by entry_id limit 1`);
      const orphan = await verifyLedger(t.db);
      expect(orphan.lines).toBe(11);
      expect(orphan.checks.find((c) => c.name.startsWith('entries balance'))).toMatchObject({
        ok: false,
        failures: 2,
      });
      expect(orphan.checks.find((c) => c.name.startsWith('entries balance'))?.detail).toContain(
        '"entry":"900000002"',
      );
      // The orphan line is not in its balance either.
      expect(orphan.checks.find((c) => c.name.startsWith('balances equal'))).toMatchObject({
        ok: false,
        failures: 1,
      });
    } finally {
      await behindTriggers(sql`delete from ledger.line where entry_id = 900000002`);
      await behindTriggers(sql`delete from ledger.entry where id = 900000001`);
    }
    expect((await verifyLedger(t.db)).ok).toBe(true);
  });
  it('verifies on a pool of one connection (no second one to read the headers)', async () => {
    const name = await sql<{ d: string }>`select current_database() as d`.execute(t.db);
    const u = new URL(inject('dbServerUrl'));
    u.pathname = `/${name.rows[0]!.d}`;
    const { db } = openPool(u.toString(), 1);
    try {
      expect(await verifyLedger(db, { region: '530700000', year: 2026 })).toMatchObject({
        ok: true,
        lines: 10,
      });
      await sql`update ledger.balance set debit_fen = debit_fen + 7 where account = '2501'`.execute(db);
      try {
        const bad = await verifyLedger(db, { region: '530700000', year: 2026 });
        expect(bad.checks.find((c) => c.name.startsWith('balances equal'))).toMatchObject({
          ok: false,
          failures: 1,
        });
      } finally {
        await sql`update ledger.balance set debit_fen = debit_fen - 7 where account = '2501'`.execute(db);
      }
    } finally {
      await db.destroy();
    }
  });
  it("runs inside a caller's transaction without changing its settings", async () => {
    await t.db.transaction().execute(async (trx) => {
      const before = await sql<{ w: string }>`select current_setting('work_mem') as w`.execute(trx);
      const r = await verifyLedger(trx, { region: '530700000', year: 2026 });
      expect(r).toMatchObject({ ok: true, lines: 10 });
      const after = await sql<{ w: string }>`select current_setting('work_mem') as w`.execute(trx);
      expect(after.rows[0]?.w).toBe(before.rows[0]?.w);
    });
  });
});
