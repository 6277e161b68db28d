import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeCommands, loadDemo } from '../../packages/core/src/index';
import { engineConfig } from '../../packages/core/src/ledger/store/config-cache';
import { verifyLedger } from '../../packages/core/src/ledger/verify';
import { createTestDb, type TestDb } from '../support/db';
import { cmd, demoIndicator, errorCode, run1 } from './helpers';

let t: TestDb;
const asBudget = { defaultActor: 'budget' };

/** An executable indicator of 丽江市第一中学 (205002), 差旅费. */
const indicator = demoIndicator;
const post = (payload: Record<string, unknown>, over: Record<string, unknown> = {}) =>
  cmd('ledger.post', payload, over);

async function balance(account: string, indicatorId: string): Promise<bigint> {
  const r = await sql<{ b: bigint | null }>`
    select sum(case when b.account like '1%' then b.debit_fen - b.credit_fen else b.credit_fen - b.debit_fen end)::bigint as b
    from ledger.balance b join ledger.element_key k
      on k.region_code = b.region_code and k.fiscal_year = b.fiscal_year and k.id = b.element_key_id
    where b.region_code = '530700000' and b.account = ${account} and k.indicator_id = ${indicatorId}`.execute(
    t.db,
  );
  return r.rows[0]?.b ?? 0n;
}

beforeAll(async () => {
  t = await createTestDb();
  expect((await loadDemo(t.db)).rejected).toEqual([]);
});
afterAll(async () => t?.close());

describe('posting scenarios through the engine', () => {
  it('approves, allocates, pays and refunds with balanced entries and exact balances', async () => {
    const pool = { indicatorId: 'POOL-1', fundTypeCode: '111', expFuncCode: '20502', sourceTypeCode: '1' };
    const rs = await executeCommands(
      t.db,
      [
        post({ scenario: 'approve', amount: '120000.00', to: pool, pool: 'unallocated' }),
        post({
          scenario: 'allocate',
          amount: '50000.00',
          from: pool,
          to: indicator('B-1', { originIndicatorId: 'POOL-1' }),
        }),
        post({
          scenario: 'applicationApproved',
          amount: '3600.00',
          indicator: indicator('B-1', { originIndicatorId: 'POOL-1' }),
        }),
        post({
          scenario: 'bankPaid',
          amount: '3600.00',
          indicator: indicator('B-1', { originIndicatorId: 'POOL-1' }),
        }),
        post({
          scenario: 'refund',
          amount: '600.00',
          indicator: indicator('B-1', { originIndicatorId: 'POOL-1' }),
        }),
      ],
      asBudget,
    );
    expect(rs.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'accepted']);
    expect(await balance('2001', 'POOL-1')).toBe(7_000_000n);
    expect(await balance('2101', 'B-1')).toBe(4_700_000n);
    expect(await balance('2401', 'B-1')).toBe(0n);
    expect(await balance('2501', 'B-1')).toBe(300_000n);
    expect(await balance('1001', 'POOL-1')).toBe(12_000_000n);
  });

  it('refuses a payment beyond the available amount and names the rule', async () => {
    const r = await run1(
      t.db,
      post({
        scenario: 'applicationApproved',
        amount: '50000.00',
        indicator: indicator('B-1', { originIndicatorId: 'POOL-1' }),
      }),
      asBudget,
    );
    expect(errorCode(r)).toBe('CONTROL_RULE_VIOLATED');
    if (r.status === 'rejected') {
      expect(r.error.params.rules).toContain('AVAILABLE_NON_NEGATIVE');
      expect(r.error.message['zh-CN']).toContain('AVAILABLE_NON_NEGATIVE');
      expect(r.error.issues?.[0]?.messageZh).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(await balance('2101', 'B-1')).toBe(4_700_000n);
  });

  it('refuses paying from an unallocated (待分) indicator', async () => {
    const r = await run1(
      t.db,
      post({
        scenario: 'applicationApproved',
        amount: '10.00',
        indicator: { indicatorId: 'POOL-1', fundTypeCode: '111', expFuncCode: '20502', sourceTypeCode: '1' },
      }),
      asBudget,
    );
    expect(errorCode(r)).toBe('CONTROL_RULE_VIOLATED');
    if (r.status === 'rejected') expect(r.error.params.rules).toContain('EXECUTABLE_ONLY');
  });

  it('refuses elements that are not in the code sets of the year', async () => {
    const r = await run1(
      t.db,
      post({
        scenario: 'approve',
        amount: '1.00',
        to: indicator('B-X', { expFuncCode: '2999999' }),
        pool: 'executable',
      }),
      asBudget,
    );
    expect(errorCode(r)).toBe('CODE_UNKNOWN');
    const r2 = await run1(
      t.db,
      post({
        scenario: 'approve',
        amount: '1.00',
        to: indicator('B-X', { agencyCode: '999999' }),
        pool: 'executable',
      }),
      asBudget,
    );
    expect(errorCode(r2)).toBe('AGENCY_UNKNOWN');
  });

  it('answers a batch item by item: refused items write nothing', async () => {
    const before = await t.db
      .selectFrom('ledger.entry')
      .select((eb) => eb.fn.countAll<bigint>().as('n'))
      .executeTakeFirstOrThrow();
    const rs = await executeCommands(
      t.db,
      [
        post({ scenario: 'approve', amount: '100.00', to: indicator('B-2'), pool: 'executable' }),
        post({ scenario: 'transfer', amount: '150.00', from: indicator('B-2'), to: indicator('B-3') }),
        post({ scenario: 'transfer', amount: '40.00', from: indicator('B-2'), to: indicator('B-3') }),
        post({ scenario: 'freeze', amount: '70.00', target: indicator('B-2'), pool: 'executable' }),
      ],
      asBudget,
    );
    expect(rs.map((r) => r.status)).toEqual(['accepted', 'rejected', 'accepted', 'rejected']);
    const after = await t.db
      .selectFrom('ledger.entry')
      .select((eb) => eb.fn.countAll<bigint>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n) - Number(before.n)).toBe(2);
    expect(await balance('2101', 'B-2')).toBe(6_000n);
    expect(await balance('2101', 'B-3')).toBe(4_000n);
  });

  it('replays a repeated command id without posting twice', async () => {
    const c = post({ scenario: 'approve', amount: '10.00', to: indicator('B-4'), pool: 'executable' });
    const a = await run1(t.db, c, asBudget);
    const b = await run1(t.db, c, asBudget);
    expect(b).toEqual({ ...a, replayed: true });
    expect(await balance('2101', 'B-4')).toBe(1_000n);
  });

  it('carries forward into next year with lineage', async () => {
    await run1(t.db, cmd('fiscalYear.open', {}, { year: 2027 }), asBudget);
    await run1(t.db, cmd('codeSet.load', { version: '2027.1' }, { year: 2027 }), asBudget);
    // Agencies are per year: next year's tree has to exist before anything is posted to it.
    await run1(
      t.db,
      cmd(
        'agency.save',
        { code: '205', name: '丽江市教育局', kind: '行政', parentCode: null },
        { year: 2027 },
      ),
      asBudget,
    );
    await run1(
      t.db,
      cmd(
        'agency.save',
        { code: '205002', name: '丽江市第一中学', kind: '事业', parentCode: '205' },
        { year: 2027 },
      ),
      asBudget,
    );
    const r = await run1(
      t.db,
      post({
        scenario: 'carryForward',
        amount: '10.00',
        from: indicator('B-4'),
        nextYear: indicator('B-4-2027'),
      }),
      asBudget,
    );
    expect(r.status).toBe('accepted');
    if (r.status === 'accepted') expect((r.result as { entryIds: string[] }).entryIds).toHaveLength(2);
    const next = await sql<{
      origin: string;
      src: string;
    }>`select origin_indicator_id as origin, source_type_code as src
      from ledger.element_key where fiscal_year = 2027 and indicator_id = 'B-4-2027'`.execute(t.db);
    expect(next.rows).toEqual([{ origin: 'B-4', src: '3' }]);
  });
});

describe('reversal', () => {
  it('reverses an entry once, with a new entry', async () => {
    const r = await run1(
      t.db,
      post({ scenario: 'approve', amount: '5.00', to: indicator('B-5'), pool: 'executable' }),
      asBudget,
    );
    const entryId = r.status === 'accepted' ? (r.result as { entryIds: string[] }).entryIds[0]! : '';
    const rev = await run1(t.db, cmd('ledger.reverse', { entryId, reason: '录入错误' }), asBudget);
    expect(rev.status).toBe('accepted');
    expect(await balance('2101', 'B-5')).toBe(0n);
    const again = await run1(t.db, cmd('ledger.reverse', { entryId, reason: '再冲' }), asBudget);
    expect(errorCode(again)).toBe('STATE_INVALID');
  });
  it('refuses a reversal that would overdraw the indicator', async () => {
    const r = await run1(
      t.db,
      post({ scenario: 'approve', amount: '5.00', to: indicator('B-6'), pool: 'executable' }),
      asBudget,
    );
    const entryId = r.status === 'accepted' ? (r.result as { entryIds: string[] }).entryIds[0]! : '';
    await run1(
      t.db,
      post({ scenario: 'applicationApproved', amount: '5.00', indicator: indicator('B-6') }),
      asBudget,
    );
    const rev = await run1(t.db, cmd('ledger.reverse', { entryId, reason: '撤销批复' }), asBudget);
    expect(errorCode(rev)).toBe('CONTROL_RULE_VIOLATED');
  });
});

describe('the database guards the journal', () => {
  it('refuses an unbalanced entry when its lines are written, and any change of journal rows', async () => {
    const attempt = t.db.transaction().execute(async (trx) => {
      await sql`insert into ledger.entry (region_code, fiscal_year, id, scenario, business_date, debit_fen, credit_fen)
        values ('530700000', 2026, 999999001, 'manual', '2026-03-01', 100, 100)`.execute(trx);
      const k = await sql<{ id: bigint }>`select id from ledger.element_key limit 1`.execute(trx);
      await sql`insert into ledger.line (region_code, fiscal_year, entry_id, line_no, account, side, amount_fen, element_key_id, business_date)
        values ('530700000', 2026, 999999001, 1, '1001', 'debit', 100, ${k.rows[0]!.id}, '2026-03-01'),
               ('530700000', 2026, 999999001, 2, '2101', 'credit', 90, ${k.rows[0]!.id}, '2026-03-01')`.execute(
        trx,
      );
    });
    await expect(attempt).rejects.toThrow(/does not balance/);
    // Lines of an entry that does not exist are refused too.
    const orphan =
      sql`insert into ledger.line (region_code, fiscal_year, entry_id, line_no, account, side, amount_fen, element_key_id, business_date)
      select '530700000', 2026, 999999002, n, '2101', s, 5, (select id from ledger.element_key limit 1), '2026-03-01'
      from (values (1, 'debit'), (2, 'credit')) v(n, s)`.execute(t.db);
    await expect(orphan).rejects.toThrow(/does not balance|foreign key/);
    await expect(sql`update ledger.line set amount_fen = 1 where line_no = 1`.execute(t.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from ledger.entry`.execute(t.db)).rejects.toThrow(/append-only/);
  });
});

describe('concurrency', () => {
  it('never overdraws when two payments race on one indicator', async () => {
    await run1(
      t.db,
      post({ scenario: 'approve', amount: '100.00', to: indicator('RACE'), pool: 'executable' }),
      asBudget,
    );
    for (let round = 0; round < 5; round++) {
      const pay = () =>
        run1(
          t.db,
          post({ scenario: 'applicationApproved', amount: '60.00', indicator: indicator('RACE') }),
          asBudget,
        );
      const [a, b] = await Promise.all([pay(), pay()]);
      if (round === 0) expect([a.status, b.status].sort()).toEqual(['accepted', 'rejected']);
      else expect([a.status, b.status]).toEqual(['rejected', 'rejected']);
    }
    expect(await balance('2101', 'RACE')).toBe(4_000n);
    expect(await balance('2401', 'RACE')).toBe(6_000n);
  });

  it('loses nothing when concurrent batches create the same new element key and balance rows', async () => {
    // Both batches insert the same key and balance rows at once: the one that waits on the
    // other's insert must still find and lock them (the engine's second look).
    for (let round = 0; round < 6; round++) {
      const id = `NEWKEY-${round}`;
      const approve = () =>
        run1(
          t.db,
          post({ scenario: 'approve', amount: '10.00', to: indicator(id), pool: 'executable' }),
          asBudget,
        );
      const rs = await Promise.all([approve(), approve(), approve()]);
      expect(rs.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
      expect(await balance('2101', id)).toBe(3_000n);
    }
    const keys = await sql<{ n: string }>`select count(*)::text as n from ledger.element_key
      where region_code = '530700000' and indicator_id like 'NEWKEY-%'`.execute(t.db);
    expect(Number(keys.rows[0]!.n)).toBeGreaterThanOrEqual(6);
    expect((await verifyLedger(t.db, { region: '530700000', year: 2026 })).ok).toBe(true);
  });
});

describe('outcomes recorded with the audit', () => {
  it('replays an id repeated later in the same chunk, after another kind of command', async () => {
    const p = post({ scenario: 'approve', amount: '2.00', to: indicator('REPEAT-1'), pool: 'executable' });
    const rs = await executeCommands(
      t.db,
      [
        p,
        cmd('payee.save', {
          code: 'R0001',
          name: '重复测试',
          kind: 'person',
          accountNo: '62220000000000001',
          accountName: '重复测试',
          bankName: '工行',
          bankNo: null,
        }),
        p,
      ],
      { defaultActor: 'treasury' },
    );
    expect(rs.map((r) => [r.status, r.replayed])).toEqual([
      ['accepted', false],
      ['accepted', false],
      ['accepted', true],
    ]);
    expect((rs[2] as { result: unknown }).result).toEqual((rs[0] as { result: unknown }).result);
    expect(await balance('2101', 'REPEAT-1')).toBe(200n);
  });
});

describe('configuration cache', () => {
  it('never keeps what a rolled-back transaction saw as configuration', async () => {
    await run1(
      t.db,
      post({ scenario: 'approve', amount: '1.00', to: indicator('CACHE-1'), pool: 'executable' }),
      asBudget,
    );
    const ghost = { ...indicator('CACHE-2'), agencyCode: '205099' };
    // A preview adds agency 205099 and posts to it, then rolls everything back.
    const preview = await executeCommands(
      t.db,
      [
        cmd('agency.save', { code: '205099', name: '临时单位', kind: '事业', parentCode: '205' }),
        post({ scenario: 'approve', amount: '1.00', to: ghost, pool: 'executable' }),
      ],
      { ...asBudget, dryRun: true },
    );
    expect(preview.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    const real = await run1(
      t.db,
      post({ scenario: 'approve', amount: '1.00', to: ghost, pool: 'executable' }),
      asBudget,
    );
    expect(errorCode(real)).toBe('AGENCY_UNKNOWN');
  });

  it('does not file a read under a token the same transaction has already changed', async () => {
    const tokenNow = async (db: typeof t.db) =>
      (
        await sql<{
          t: string;
        }>`select current_database() || '|' || token::text as t from platform.config_token
          where region_code = '530700000'`.execute(db)
      ).rows[0]!.t;
    // The region's chart exists (only seeded years are cached), and a token nothing is cached under.
    await run1(
      t.db,
      post({ scenario: 'approve', amount: '1.00', to: indicator('CACHE-3'), pool: 'executable' }),
      asBudget,
    );
    await sql`update platform.config_token set token = gen_random_uuid() where region_code = '530700000'`.execute(
      t.db,
    );
    const before = await tokenNow(t.db);
    const named = { codes: [], agencies: ['205098'] };
    let seen = false;
    await t.db
      .transaction()
      .execute(async (trx) => {
        await sql`insert into basedata.agency (region_code, fiscal_year, code, name, kind, parent_code, dept_code, path, enabled)
          select region_code, fiscal_year, '205098', '幽灵单位', kind, parent_code, dept_code, path || '/205098', true
          from basedata.agency where region_code = '530700000' and fiscal_year = 2026 and code = '205002'`.execute(
          trx,
        );
        seen = (await engineConfig(trx, '530700000', [2026], named, before)).knownAgencies.has('2026|205098');
        throw new Error('roll back');
      })
      .catch((e: Error) => expect(e.message).toBe('roll back'));
    expect(seen).toBe(true);
    const after = await engineConfig(t.db, '530700000', [2026], named, before);
    expect(after.knownAgencies.has('2026|205098')).toBe(false);
  });
});

describe('configuration by command', () => {
  it('versions a control rule and names the version that stopped a posting', async () => {
    const rule = {
      code: 'LARGE_PAYMENT',
      kind: 'largePayment',
      nameZh: '大额支付',
      nameEn: 'Large payment',
      action: 'block',
      params: { thresholdFen: '1000' },
    };
    const saved = await run1(t.db, cmd('ledger.saveRule', rule), { defaultActor: 'treasury' });
    expect(saved).toMatchObject({ status: 'accepted', result: { code: 'LARGE_PAYMENT', version: 2 } });
    await run1(
      t.db,
      post({ scenario: 'approve', amount: '100.00', to: indicator('BIG'), pool: 'executable' }),
      asBudget,
    );
    const payment = { elements: indicator('BIG'), extraApproval: false };
    const r = await run1(
      t.db,
      post({ scenario: 'applicationApproved', amount: '20.00', indicator: indicator('BIG'), payment }),
      asBudget,
    );
    expect(errorCode(r)).toBe('CONTROL_RULE_VIOLATED');
    const ok = await run1(
      t.db,
      post({
        scenario: 'applicationApproved',
        amount: '20.00',
        indicator: indicator('BIG'),
        payment: { ...payment, extraApproval: true },
      }),
      asBudget,
    );
    expect(ok.status).toBe('accepted');
    const budgetTry = await run1(t.db, cmd('ledger.saveRule', rule), asBudget);
    expect(errorCode(budgetTry)).toBe('PERMISSION_DENIED');
  });
  it('renames an account by command and keeps a used account on its side', async () => {
    const ok = await run1(
      t.db,
      cmd('ledger.saveAccount', {
        code: '2101',
        name: '可执行指标（单位）',
        normalSide: 'credit',
        accountClass: 'holding',
      }),
      asBudget,
    );
    expect(ok.status).toBe('accepted');
    const flip = await run1(
      t.db,
      cmd('ledger.saveAccount', {
        code: '2101',
        name: '可执行指标',
        normalSide: 'debit',
        accountClass: 'holding',
      }),
      asBudget,
    );
    expect(errorCode(flip)).toBe('STATE_INVALID');
  });
  it('restricts opening balances to the migration role', async () => {
    const opening = cmd('ledger.postOpening', { account: '2101', amount: '300.00', to: indicator('OPEN-1') });
    expect(errorCode(await run1(t.db, opening, asBudget))).toBe('PERMISSION_DENIED');
    expect((await run1(t.db, opening, { defaultActor: 'migrator' })).status).toBe('accepted');
    expect(await balance('2101', 'OPEN-1')).toBe(30_000n);
  });
});

describe('group commit of single commands', () => {
  it('runs concurrent submissions as one batch, each with its own result, and a repeated id once', async () => {
    const { CommandBatcher } = await import('../../packages/core/src/index');
    const batcher = new CommandBatcher(t.db, { windowMs: 20 });
    await run1(
      t.db,
      post({ scenario: 'approve', amount: '10.00', to: indicator('GC'), pool: 'executable' }),
      asBudget,
    );
    const same = post({ scenario: 'applicationApproved', amount: '4.00', indicator: indicator('GC') });
    const results = await Promise.all([
      batcher.submit(same, asBudget),
      batcher.submit(same, asBudget),
      batcher.submit(
        post({ scenario: 'applicationApproved', amount: '4.00', indicator: indicator('GC') }),
        asBudget,
      ),
      batcher.submit(
        post({ scenario: 'applicationApproved', amount: '4.00', indicator: indicator('GC') }),
        asBudget,
      ),
    ]);
    expect(results.map((r) => [r.status, r.replayed])).toEqual([
      ['accepted', false],
      ['accepted', true],
      ['accepted', false],
      ['rejected', false],
    ]);
    expect(await balance('2401', 'GC')).toBe(800n);
    const entries = await sql<{
      n: bigint;
    }>`select count(distinct recorded_at)::bigint as n from ledger.entry e
      join ledger.line l on l.region_code = e.region_code and l.fiscal_year = e.fiscal_year and l.entry_id = e.id
      join ledger.element_key k on k.region_code = l.region_code and k.fiscal_year = l.fiscal_year and k.id = l.element_key_id
      where k.indicator_id = 'GC' and e.scenario = 'applicationApproved'`.execute(t.db);
    // One transaction wrote both accepted postings (now() is the transaction's start time).
    expect(entries.rows[0]?.n).toBe(1n);
  });
});
