import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chunkCommandId,
  findYearendRun,
  listYearendRuns,
  loadDemo,
  reverseYearend,
  runYearend,
  yearendDryRun,
} from '../../packages/core/src/index';
import { verifyLedger } from '../../packages/core/src/ledger/verify';
import { createTestDb, type TestDb } from '../support/db';
import { accountBalance, as, cmd, demoIndicator, errorCode, indicatorBalance, ok, run1 } from './helpers';

let t: TestDb;
const CITY = '530700000';

const bal = (account: string, indicatorId: string, year: number) =>
  indicatorBalance(t.db, CITY, account, indicatorId, year);
const total = (account: string, year: number) => accountBalance(t.db, CITY, account, year);

async function counts() {
  const r = await sql<{ t: string; n: string }>`
    select 'entry' as t, count(*)::text as n from ledger.entry
    union all select 'indicator', count(*)::text from indicators.indicator
    union all select 'run', count(*)::text from yearend.run
    union all select 'agency', count(*)::text from basedata.agency
    union all select 'log', count(*)::text from platform.command_log`.execute(t.db);
  return Object.fromEntries(r.rows.map((x) => [x.t, Number(x.n)]));
}

async function doc(docNo: string, body: unknown) {
  const d = ok(await run1(t.db, cmd('indicatorDoc.draft', { docNo, title: docNo, body }), as('budget')));
  ok(await run1(t.db, cmd('indicatorDoc.submit', { docId: d.docId }), as('budget')));
  ok(await run1(t.db, cmd('indicatorDoc.approve', { docId: d.docId }), as('chief')));
}

const school = ({ indicatorId: _, ...e }: ReturnType<typeof demoIndicator>) => e;

/** Many indicators (for chunking) plus the five shapes the default policy distinguishes. */
async function seed2026() {
  const base = school(demoIndicator('x'));
  await doc('丽财预〔2026〕91号', {
    docType: 'approve',
    lines: [
      {
        indicatorId: 'YE-PROJ',
        elements: { ...base, indicatorTypeCode: '21' },
        amount: '1000.00',
        pool: 'executable',
      },
      {
        indicatorId: 'YE-BASIC',
        elements: { ...base, indicatorTypeCode: '11' },
        amount: '500.00',
        pool: 'executable',
      },
      {
        indicatorId: 'YE-DIRECT',
        elements: { ...base, indicatorTypeCode: '11', flags: { directReach: true } },
        amount: '200.00',
        pool: 'executable',
      },
      {
        indicatorId: 'YE-POOL',
        elements: { fundTypeCode: '111', expFuncCode: '2050203', indicatorTypeCode: '32' },
        amount: '700.00',
        pool: 'unallocated',
      },
      { indicatorId: 'YE-REST', elements: { fundTypeCode: '111' }, amount: '50.00', pool: 'unallocated' },
      ...Array.from({ length: 20 }, (_, i) => ({
        indicatorId: `YE-P${String(i).padStart(2, '0')}`,
        elements: { ...base, indicatorTypeCode: i % 2 ? '21' : '12' },
        amount: `${10 + i}.00`,
        pool: 'executable',
      })),
    ],
  });
  // 100 of YE-PROJ frozen: frozen money is not unspent executable money and stays.
  await doc('丽财预〔2026〕92号', {
    docType: 'freeze',
    lines: [{ indicatorId: 'YE-PROJ', amount: '100.00' }],
  });
}

beforeAll(async () => {
  t = await createTestDb();
  expect((await loadDemo(t.db)).rejected).toEqual([]);
  await seed2026();
});
afterAll(async () => t?.close());

const ON = '2026-12-31';
let runId = '';

describe('year-end (年终结转/结余)', () => {
  it('refuses while 2027 is not open, and without the permission', async () => {
    const r = await run1(
      t.db,
      cmd('yearend.start', { runId: 'YE-refused-1', chunkSize: 5 }, { on: ON }),
      as('chief'),
    );
    expect(errorCode(r)).toBe('YEAREND_NEXT_YEAR_NOT_OPEN');
    const denied = await run1(
      t.db,
      cmd('yearend.start', { runId: 'YE-refused-2', chunkSize: 5 }, { on: ON }),
      as('budget'),
    );
    expect(errorCode(denied)).toBe('PERMISSION_DENIED');
  });

  it('refuses naming the codes 2027 lacks, then starts once they are loaded', async () => {
    ok(await run1(t.db, cmd('fiscalYear.open', {}, { year: 2027, on: ON }), as('budget')));
    const r = await run1(
      t.db,
      cmd('yearend.start', { runId: 'YE-refused-3', chunkSize: 5 }, { on: ON }),
      as('chief'),
    );
    expect(errorCode(r)).toBe('YEAREND_NEXT_YEAR_INCOMPLETE');
    expect(JSON.stringify(r)).toContain('expFunc 2050203');
    ok(await run1(t.db, cmd('codeSet.load', { version: '2027.1' }, { year: 2027, on: ON }), as('budget')));
  });

  it('a dry run prints totals per action and changes nothing', async () => {
    const before = await counts();
    const d = await yearendDryRun(t.db, CITY, 2026);
    // carry: PROJ 900 + DIRECT 200 + POOL 700 + P01,03..19 (11+13+…+29 = 200); lapse: BASIC 500 + REST 50 + P00,02..18 (10+12+…+28 = 190)
    expect(d.carry).toEqual({ count: 13, amount: '2000.00' });
    expect(d.lapse).toEqual({ count: 12, amount: '740.00' });
    expect(d.nextYearOpen).toBe(true);
    expect(d.byFundType.map((x) => `${x.action}/${x.pool}/${x.fundTypeCode}:${x.amount}`)).toEqual([
      'carry/executable/111:1300.00',
      'carry/unallocated/111:700.00',
      'lapse/executable/111:690.00',
      'lapse/unallocated/111:50.00',
    ]);
    expect(await counts()).toEqual(before);
  });

  it('runs part, stops, resumes without double postings; lineage and balances as computed', async () => {
    const unspentBefore = (await total('2101', 2026)) + (await total('2001', 2026));
    const progress: number[] = [];
    const part = await runYearend(t.db, {
      region: CITY,
      year: 2026,
      actor: 'chief',
      on: ON,
      chunkSize: 4,
      maxChunks: 2,
      onProgress: (p) => progress.push(p.processed),
    });
    runId = part.runId;
    expect(part.state).toBe('running');
    expect(part.processed).toBe(8);
    expect(part.agenciesCopied).toBeGreaterThan(0);
    expect(progress).toEqual([4, 8]);
    // A repeat of the last chunk's command (a client that did not see the answer) replays it.
    const again = await run1(
      t.db,
      cmd('yearend.chunk', { runId, chunk: 1, size: 4 }, { id: chunkCommandId(runId, 1), on: ON }),
      as('chief'),
    );
    expect(again.replayed).toBe(true);
    expect((await findYearendRun(t.db, runId))?.processed).toBe(8);
    // A second start while the run is unfinished is refused and names the run.
    const second = await run1(
      t.db,
      cmd('yearend.start', { runId: 'YE-second-1', chunkSize: 5 }, { on: ON }),
      as('chief'),
    );
    expect(errorCode(second)).toBe('YEAREND_RUN_UNFINISHED');

    const done = await runYearend(t.db, { region: CITY, year: 2026, actor: 'chief', on: ON });
    expect(done.runId).toBe(runId);
    expect(done.state).toBe('completed');
    expect(done.processed).toBe(25);
    expect(done.carried).toEqual({ count: 13, amount: '2000.00' });
    expect(done.lapsed).toEqual({ count: 12, amount: '740.00' });
    expect(done.carried.count + done.lapsed.count).toBe(25);
    expect(unspentBefore).toBe(274000n);

    // 2026: nothing unspent is left; 2601 holds what carried, 2602 what lapsed; frozen stays.
    expect(await total('2101', 2026)).toBe(0n);
    expect(await total('2001', 2026)).toBe(0n);
    expect(await total('2601', 2026)).toBe(200000n);
    expect(await total('2602', 2026)).toBe(74000n);
    expect(await bal('2102', 'YE-PROJ', 2026)).toBe(10000n);
    // 2027: the carried indicators with lineage, funded from 1003 = 2026's 2601.
    expect(await total('1003', 2027)).toBe(200000n);
    expect(await bal('2101', 'JZ2027-YE-PROJ', 2027)).toBe(90000n);
    expect(await bal('2101', 'JZ2027-YE-DIRECT', 2027)).toBe(20000n);
    expect(await bal('2001', 'JZ2027-YE-POOL', 2027)).toBe(70000n);
    expect(await bal('2101', 'JZ2027-YE-BASIC', 2027)).toBe(0n);
    const rows = await t.db
      .selectFrom('indicators.indicator')
      .select(['indicator_id', 'origin_indicator_id', 'origin_kind', 'pool', 'source_type_code'])
      .where('region_code', '=', CITY)
      .where('fiscal_year', '=', 2027)
      .orderBy('indicator_id')
      .execute();
    expect(rows).toHaveLength(13);
    expect(rows.find((r) => r.indicator_id === 'JZ2027-YE-POOL')).toEqual({
      indicator_id: 'JZ2027-YE-POOL',
      origin_indicator_id: 'YE-POOL',
      origin_kind: 'carryForward',
      pool: 'unallocated',
      source_type_code: '3',
    });
    expect((await verifyLedger(t.db, { region: CITY })).ok).toBe(true);
    const listed = await listYearendRuns(t.db, CITY, 2026);
    expect(listed[0]?.runId).toBe(runId);
  });

  it('a completed run refuses a second one; reverse takes every entry back and is idempotent', async () => {
    const second = await run1(
      t.db,
      cmd('yearend.start', { runId: 'YE-second-2', chunkSize: 5 }, { on: ON }),
      as('chief'),
    );
    expect(errorCode(second)).toBe('YEAREND_RUN_STATE');
    const chunks: number[] = [];
    const r = await reverseYearend(t.db, {
      runId,
      actor: 'chief',
      on: ON,
      onProgress: (p) => chunks.push(p.chunk),
    });
    expect(r.state).toBe('reversed');
    expect(chunks).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(await total('2101', 2026)).toBe(130000n + 69000n);
    expect(await total('2001', 2026)).toBe(75000n);
    expect(await total('2601', 2026)).toBe(0n);
    expect(await total('2602', 2026)).toBe(0n);
    expect(await total('1003', 2027)).toBe(0n);
    expect(await bal('2101', 'JZ2027-YE-PROJ', 2027)).toBe(0n);
    // Repeating a reversal chunk's command replays it; a second reverse is refused.
    const again = await run1(
      t.db,
      cmd('yearend.reverse', { runId, chunk: 0 }, { id: `${runId}:r0`, on: ON }),
      as('chief'),
    );
    expect(again.replayed).toBe(true);
    await expect(reverseYearend(t.db, { runId, actor: 'chief', on: ON })).rejects.toThrow(
      'YEAREND_RUN_STATE',
    );
    expect((await verifyLedger(t.db, { region: CITY })).ok).toBe(true);
  });

  it('after a reversal the year can run again (by a saved policy) and reuses the 2027 indicators', async () => {
    ok(
      await run1(
        t.db,
        cmd(
          'yearend.savePolicy',
          { rules: [{ pool: 'unallocated', action: 'lapse' }], otherwise: 'carry' },
          { on: ON },
        ),
        as('chief'),
      ),
    );
    const r = await runYearend(t.db, { region: CITY, year: 2026, actor: 'chief', on: ON, chunkSize: 100 });
    expect(r.state).toBe('completed');
    expect(r.carried).toEqual({ count: 23, amount: '1990.00' });
    expect(r.lapsed).toEqual({ count: 2, amount: '750.00' });
    expect(await bal('2101', 'JZ2027-YE-BASIC', 2027)).toBe(50000n);
    expect(await bal('2001', 'JZ2027-YE-POOL', 2027)).toBe(0n);
    expect((await verifyLedger(t.db, { region: CITY })).ok).toBe(true);
  });
});
