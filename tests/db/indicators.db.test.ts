import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadDemo,
  localSink,
  reconcileLevels,
  relayTransfers,
  runYearend,
} from '../../packages/core/src/index';
import { verifyLedger } from '../../packages/core/src/ledger/verify';
import { createTestDb, type TestDb } from '../support/db';
import { accountBalance, as, cmd, effectiveDocument, errorCode, indicatorBalance, ok, run1 } from './helpers';

let t: TestDb;
const PROVINCE = '530000000';
const CITY = '530700000';
const GUCHENG = '530702000';
const YULONG = '530721000';

const effective = (
  region: string,
  preparer: string,
  approver: string,
  docNo: string,
  body: Record<string, unknown>,
) => effectiveDocument(t.db, region, { preparer, approver }, docNo, body);
const bal = (region: string, account: string, indicatorId: string, year = 2026) =>
  indicatorBalance(t.db, region, account, indicatorId, year);
const total = (region: string, account: string) => accountBalance(t.db, region, account);

/** Open a next year with its code sets (once). */
async function openYear(region: string, year: number) {
  const open =
    await sql`select 1 from basedata.fiscal_year where region_code = ${region} and fiscal_year = ${year}`.execute(
      t.db,
    );
  if (open.rows.length > 0) return;
  ok(await run1(t.db, cmd('fiscalYear.open', {}, { region, year }), as('province')));
  ok(await run1(t.db, cmd('codeSet.load', { version: '2027.1' }, { region, year }), as('province')));
}

const relay = () => relayTransfers(t.db, { home: localSink(t.db), on: '2026-03-01' });

const educationPool = {
  fundTypeCode: '111',
  expFuncCode: '2050203',
  indicatorTypeCode: '32',
  flags: { directReach: true },
};

beforeAll(async () => {
  t = await createTestDb();
  expect((await loadDemo(t.db)).rejected).toEqual([]);
});
afterAll(async () => t?.close());

describe('a transfer payment from the province down to the counties', () => {
  it('books every level, reconciles the levels, and verifies', async () => {
    // Province: 批复 into 待分, then 下达 to 丽江市.
    const approved = await effective(PROVINCE, 'province', 'province2', '云财预〔2026〕1号', {
      docType: 'approve',
      lines: [{ indicatorId: 'P-EDU', elements: educationPool, amount: '1000000.00', pool: 'unallocated' }],
    });
    expect(approved).toMatchObject({ state: 'approved', indicators: ['P-EDU'] });
    const issued = await effective(PROVINCE, 'province', 'province2', '云财教〔2026〕8号', {
      docType: 'issue',
      fromIndicatorId: 'P-EDU',
      lines: [{ region: CITY, amount: '600000.00' }],
    });
    expect(issued.messages).toHaveLength(1);
    expect(await bal(PROVINCE, '2001', 'P-EDU')).toBe(40_000_000n);

    const first = await relay();
    expect(first).toMatchObject({ delivered: 1, failed: [] });
    const cityPool = await sql<{ indicator_id: string; sup_doc_no: string; direct_reach: boolean }>`
      select indicator_id, sup_doc_no, direct_reach from indicators.indicator where region_code = ${CITY} and origin_kind = 'receipt'`.execute(
      t.db,
    );
    expect(cityPool.rows).toHaveLength(1);
    const pool = cityPool.rows[0]!;
    expect(pool).toMatchObject({ sup_doc_no: '云财教〔2026〕8号', direct_reach: true });
    expect(await bal(CITY, '2001', pool.indicator_id)).toBe(60_000_000n);
    // A second relay run delivers nothing again.
    expect(await relay()).toMatchObject({ delivered: 0 });

    // City: part to the two counties, part to its own agencies.
    await effective(CITY, 'budget', 'chief', '丽财教〔2026〕3号', {
      docType: 'issue',
      fromIndicatorId: pool.indicator_id,
      lines: [
        { region: GUCHENG, amount: '150000.00' },
        { region: YULONG, amount: '100000.00' },
      ],
    });
    await relay();
    const alloc = await effective(CITY, 'budget', 'chief', '丽财教〔2026〕4号', {
      docType: 'allocate',
      fromIndicatorId: pool.indicator_id,
      lines: [
        {
          indicatorId: 'C-SCH1',
          elements: {
            ...educationPool,
            agencyCode: '205002',
            deptCode: '205',
            depEcoCode: '30211',
            govEcoCode: '50201',
          },
          amount: '200000.00',
        },
        {
          indicatorId: 'C-KG',
          elements: {
            ...educationPool,
            agencyCode: '205003',
            deptCode: '205',
            depEcoCode: '30211',
            govEcoCode: '50201',
          },
          amount: '50000.00',
        },
      ],
    });
    expect(alloc.indicators).toEqual(['C-SCH1', 'C-KG']);
    // 追加 10 000 from 预备费, 调剂 30 000 from the school to the kindergarten, freeze 10 %, recall 5 000.
    await effective(CITY, 'budget', 'chief', '丽财预〔2026〕9号', {
      docType: 'adjust',
      lines: [{ indicatorId: 'C-SCH1', direction: 'increase', amount: '10000.00', fundingSource: 'reserve' }],
    });
    await effective(CITY, 'budget', 'chief', '丽财预〔2026〕10号', {
      docType: 'transfer',
      lines: [{ fromIndicatorId: 'C-SCH1', toIndicatorId: 'C-KG', amount: '30000.00' }],
    });
    await effective(CITY, 'budget', 'chief', '丽财预〔2026〕11号', {
      docType: 'freeze',
      lines: [{ indicatorId: 'C-KG', percent: 10 }],
    });
    await effective(CITY, 'budget', 'chief', '丽财预〔2026〕12号', {
      docType: 'recall',
      lines: [{ indicatorId: 'C-SCH1', amount: '5000.00', toPoolIndicatorId: pool.indicator_id }],
    });

    // Figures computed here, independently of the engine (fen).
    const sch1 = 200_000_00n + 10_000_00n - 30_000_00n - 5_000_00n;
    const kgTotal = 50_000_00n + 30_000_00n;
    const kgFrozen = kgTotal / 10n;
    const cityPoolLeft = 600_000_00n - 150_000_00n - 100_000_00n - 200_000_00n - 50_000_00n + 5_000_00n;
    expect(await bal(CITY, '2101', 'C-SCH1')).toBe(sch1);
    expect(await bal(CITY, '2101', 'C-KG')).toBe(kgTotal - kgFrozen);
    expect(await bal(CITY, '2102', 'C-KG')).toBe(kgFrozen);
    expect(await bal(CITY, '2001', pool.indicator_id)).toBe(cityPoolLeft);
    expect(await total(CITY, '2201')).toBe(250_000_00n);
    expect(await total(GUCHENG, '2001')).toBe(150_000_00n);
    expect(await total(YULONG, '2001')).toBe(100_000_00n);
    expect(await total(YULONG, '1002')).toBe(100_000_00n);
    expect(await total(PROVINCE, '2201')).toBe(600_000_00n);
    // Lineage: the kindergarten line came from the city pool, which came from the province's document.
    const kg = await sql<{ origin_indicator_id: string }>`select origin_indicator_id from indicators.indicator
      where region_code = ${CITY} and indicator_id = 'C-KG'`.execute(t.db);
    expect(kg.rows[0]?.origin_indicator_id).toBe(pool.indicator_id);

    for (const region of [PROVINCE, CITY, GUCHENG, YULONG]) {
      const v = await verifyLedger(t.db, { region, year: 2026 });
      expect(v.checks.filter((c) => !c.ok)).toEqual([]);
    }
    expect(await reconcileLevels(t.db, PROVINCE, 2026)).toMatchObject({ ok: true, issued: 1, received: 1 });
    expect(await reconcileLevels(t.db, CITY, 2026)).toMatchObject({ ok: true, issued: 2, received: 2 });

    // Year-end of the city: the default policy carries these (专项转移支付, 直达) into 2027 with
    // lineage; the frozen part stays frozen in 2026.
    await openYear(CITY, 2027);
    const run = await runYearend(t.db, { region: CITY, year: 2026, actor: 'chief', on: '2026-12-31' });
    expect(run.state).toBe('completed');
    expect(await bal(CITY, '2101', 'C-SCH1')).toBe(0n);
    expect(await bal(CITY, '2601', 'C-SCH1')).toBe(sch1);
    expect(await bal(CITY, '2102', 'C-KG')).toBe(kgFrozen);
    expect(await bal(CITY, '2101', 'JZ2027-C-SCH1', 2027)).toBe(sch1);
    expect(await bal(CITY, '2101', 'JZ2027-C-KG', 2027)).toBe(kgTotal - kgFrozen);
    expect(await bal(CITY, '2001', `JZ2027-${pool.indicator_id}`, 2027)).toBe(cityPoolLeft);
    expect(await accountBalance(t.db, CITY, '1003', 2027)).toBe(sch1 + kgTotal - kgFrozen + cityPoolLeft);
    const carried = await sql<{
      origin_indicator_id: string;
    }>`select origin_indicator_id from indicators.indicator
      where region_code = ${CITY} and fiscal_year = 2027 and indicator_id = 'JZ2027-C-KG'`.execute(t.db);
    expect(carried.rows[0]?.origin_indicator_id).toBe('C-KG');
    for (const year of [2026, 2027]) {
      const v = await verifyLedger(t.db, { region: CITY, year });
      expect(v.checks.filter((c) => !c.ok)).toEqual([]);
    }
    expect(await reconcileLevels(t.db, CITY, 2026)).toMatchObject({ ok: true });
  });

  it('names a transfer message that never arrived', async () => {
    await effective(CITY, 'budget', 'chief', '丽财教〔2026〕20号', {
      docType: 'approve',
      lines: [{ indicatorId: 'C-POOL2', elements: educationPool, amount: '9000.00', pool: 'unallocated' }],
    });
    const r = await effective(CITY, 'budget', 'chief', '丽财教〔2026〕21号', {
      docType: 'issue',
      fromIndicatorId: 'C-POOL2',
      lines: [{ region: GUCHENG, amount: '9000.00' }],
    });
    const lost = (r.messages as string[])[0]!;
    // The message is lost on the way: marked delivered, never received.
    await sql`update indicators.transfer_out set state = 'delivered' where message_id = ${lost}`.execute(
      t.db,
    );
    const rep = await reconcileLevels(t.db, CITY, 2026);
    expect(rep.ok).toBe(false);
    expect(rep.differences).toEqual([
      expect.objectContaining({
        kind: 'missing',
        messageId: lost,
        region: GUCHENG,
        docNo: '丽财教〔2026〕21号',
      }),
    ]);
  });

  it('lets the lower level return a transfer, restoring the upper indicator', async () => {
    await effective(CITY, 'budget', 'chief', '丽财教〔2026〕30号', {
      docType: 'approve',
      lines: [{ indicatorId: 'C-POOL3', elements: educationPool, amount: '7000.00', pool: 'unallocated' }],
    });
    const r = await effective(CITY, 'budget', 'chief', '丽财教〔2026〕31号', {
      docType: 'issue',
      fromIndicatorId: 'C-POOL3',
      lines: [{ region: GUCHENG, amount: '7000.00' }],
    });
    const messageId = (r.messages as string[])[0]!;
    await relay();
    expect(await bal(CITY, '2001', 'C-POOL3')).toBe(0n);
    const back = await run1(
      t.db,
      cmd('transfer.return', { messageId, reason: '项目不符合条件' }, { region: GUCHENG }),
      as('gucheng'),
    );
    expect(back.status).toBe('accepted');
    expect(await relay()).toMatchObject({ returnsCarried: 1 });
    expect(await bal(CITY, '2001', 'C-POOL3')).toBe(700_000n);
    const again = await run1(
      t.db,
      cmd('transfer.return', { messageId, reason: '再次' }, { region: GUCHENG }),
      as('gucheng'),
    );
    expect(errorCode(again)).toBe('STATE_INVALID');
  });
});

describe('refusals', () => {
  const draft = (body: Record<string, unknown>, user = 'budget', region = CITY) =>
    run1(t.db, cmd('indicatorDoc.draft', { docNo: '丽财〔2026〕R', title: 'R', body }, { region }), as(user));

  beforeAll(async () => {
    await effective(CITY, 'budget', 'chief', '丽财〔2026〕R0', {
      docType: 'approve',
      lines: [
        { indicatorId: 'R-POOL', elements: educationPool, amount: '1000.00', pool: 'unallocated' },
        {
          indicatorId: 'R-EXE',
          elements: { ...educationPool, agencyCode: '205002', deptCode: '205' },
          amount: '1000.00',
          pool: 'executable',
        },
        {
          indicatorId: 'R-FUND',
          elements: { fundTypeCode: '121', expFuncCode: '2050203', agencyCode: '205002', deptCode: '205' },
          amount: '1000.00',
          pool: 'executable',
        },
      ],
    });
  });

  it('refuses allocating more than is unallocated', async () => {
    const r = await draft({
      docType: 'allocate',
      fromIndicatorId: 'R-POOL',
      lines: [{ elements: { ...educationPool, agencyCode: '205002', deptCode: '205' }, amount: '1000.01' }],
    });
    expect(errorCode(r)).toBe('AMOUNT_EXCEEDS_AVAILABLE');
  });

  it('refuses transferring across fund types', async () => {
    const r = await draft({
      docType: 'transfer',
      lines: [{ fromIndicatorId: 'R-EXE', toIndicatorId: 'R-FUND', amount: '10.00' }],
    });
    expect(errorCode(r)).toBe('FUND_TYPE_MISMATCH');
  });

  it('refuses issuing to a region that is not a direct lower region', async () => {
    const r = await draft({
      docType: 'issue',
      fromIndicatorId: 'R-POOL',
      lines: [{ region: PROVINCE, amount: '1.00' }],
    });
    expect(errorCode(r)).toBe('REGION_NOT_CHILD');
  });

  it("refuses approving one's own document, acting on a voided one, and a second approval", async () => {
    const d = ok(
      await draft({ docType: 'freeze', lines: [{ indicatorId: 'R-EXE', amount: '1.00' }] }, 'budget'),
    );
    const docId = d.docId as string;
    ok(await run1(t.db, cmd('indicatorDoc.submit', { docId }), as('budget')));
    expect(errorCode(await run1(t.db, cmd('indicatorDoc.approve', { docId }), as('budget')))).toBe(
      'SOD_SAME_PERSON',
    );
    // Withdraw (no approver acted yet), then void, then nothing more is possible.
    ok(await run1(t.db, cmd('indicatorDoc.withdraw', { docId }), as('budget')));
    ok(await run1(t.db, cmd('indicatorDoc.void', { docId, reason: '重复录入' }), as('budget')));
    expect(errorCode(await run1(t.db, cmd('indicatorDoc.submit', { docId }), as('budget')))).toBe(
      'STATE_INVALID',
    );
    expect(errorCode(await run1(t.db, cmd('indicatorDoc.approve', { docId }), as('chief')))).toBe(
      'STATE_INVALID',
    );
  });

  it('returns with an opinion, lets the preparer fix and resubmit, and posts only at the final step', async () => {
    ok(
      await run1(
        t.db,
        cmd('indicatorDoc.saveRoute', {
          docType: 'unfreeze',
          steps: [
            { name: '业务科室审核', permission: 'indicator.review' },
            { name: '预算科终审', permission: 'indicator.approve' },
          ],
        }),
        as('chief'),
      ),
    );
    ok(await effectiveFreeze());
    const d = ok(await draft({ docType: 'unfreeze', lines: [{ indicatorId: 'R-EXE', amount: '5.00' }] }));
    const docId = d.docId as string;
    ok(await run1(t.db, cmd('indicatorDoc.submit', { docId }), as('budget')));
    const noOpinion = await run1(t.db, cmd('indicatorDoc.return', { docId, opinion: '' }), as('budget2'));
    expect(errorCode(noOpinion)).toBe('VALIDATION_FAILED');
    ok(await run1(t.db, cmd('indicatorDoc.return', { docId, opinion: '金额有误' }), as('budget2')));
    ok(
      await run1(
        t.db,
        cmd('indicatorDoc.draft', {
          docId,
          docNo: '丽财〔2026〕R',
          title: 'R',
          body: { docType: 'unfreeze', lines: [{ indicatorId: 'R-EXE', amount: '2.00' }] },
        }),
        as('budget'),
      ),
    );
    ok(await run1(t.db, cmd('indicatorDoc.submit', { docId }), as('budget')));
    const step1 = ok(await run1(t.db, cmd('indicatorDoc.approve', { docId }), as('budget2')));
    expect(step1).toMatchObject({ state: 'submitted', step: 1 });
    expect(await bal(CITY, '2102', 'R-EXE')).toBe(500n);
    // The submitter cannot withdraw once an approver acted; budget2 cannot approve a second step.
    expect(errorCode(await run1(t.db, cmd('indicatorDoc.withdraw', { docId }), as('budget')))).toBe(
      'STATE_INVALID',
    );
    expect(errorCode(await run1(t.db, cmd('indicatorDoc.approve', { docId }), as('budget2')))).toBe(
      'DOC_STEP_PERMISSION',
    );
    const last = ok(await run1(t.db, cmd('indicatorDoc.approve', { docId }), as('chief')));
    expect(last).toMatchObject({ state: 'approved' });
    expect(await bal(CITY, '2102', 'R-EXE')).toBe(300n);
  });

  async function effectiveFreeze() {
    return run1(
      t.db,
      cmd('indicatorDoc.draft', {
        docNo: 'F',
        title: 'F',
        body: { docType: 'freeze', lines: [{ indicatorId: 'R-EXE', amount: '5.00' }] },
      }),
      as('budget'),
    ).then(async (r) => {
      const docId = ok(r).docId as string;
      ok(await run1(t.db, cmd('indicatorDoc.submit', { docId }), as('budget')));
      return run1(t.db, cmd('indicatorDoc.approve', { docId }), as('chief'));
    });
  }
});

describe('提前下达 and its offset by the formal issue', () => {
  it('books the advance in next year below, then only the difference, and reconciles', async () => {
    for (const region of [PROVINCE, CITY]) await openYear(region, 2027);
    const y27 = { year: 2027, on: '2026-10-20' };
    const doc = async (docNo: string, body: Record<string, unknown>) => {
      const d = ok(
        await run1(
          t.db,
          cmd('indicatorDoc.draft', { docNo, title: docNo, body }, { region: PROVINCE, ...y27 }),
          as('province'),
        ),
      );
      ok(
        await run1(
          t.db,
          cmd('indicatorDoc.submit', { docId: d.docId }, { region: PROVINCE, ...y27 }),
          as('province'),
        ),
      );
      return ok(
        await run1(
          t.db,
          cmd('indicatorDoc.approve', { docId: d.docId }, { region: PROVINCE, ...y27 }),
          as('province2'),
        ),
      );
    };
    await doc('云财预〔2026〕90号', {
      docType: 'approve',
      lines: [
        {
          indicatorId: 'P27',
          elements: { fundTypeCode: '111', expFuncCode: '2050203' },
          amount: '900.00',
          pool: 'unallocated',
        },
      ],
    });
    const adv = await doc('云财预〔2026〕91号', {
      docType: 'advanceIssue',
      fromIndicatorId: 'P27',
      lines: [{ region: CITY, amount: '600.00' }],
    });
    await relay();
    const advanceId = (adv.messages as string[])[0]!;
    const cityAdv = await sql<{ indicator_id: string; source_type_code: string }>`
      select indicator_id, source_type_code from indicators.indicator where region_code = ${CITY} and fiscal_year = 2027 and origin_kind = 'advanceReceipt'`.execute(
      t.db,
    );
    expect(cityAdv.rows).toEqual([expect.objectContaining({ source_type_code: '5' })]);
    const advInd = cityAdv.rows[0]!.indicator_id;
    expect(await bal(CITY, '2001', advInd, 2027)).toBe(60_000n);

    // The formal issue of 800 offsets the advance of 600: 200 moves, into the same indicator.
    const formal = await doc('云财预〔2027〕1号', {
      docType: 'issue',
      fromIndicatorId: 'P27',
      lines: [{ region: CITY, amount: '800.00', offsetsAdvance: advanceId }],
    });
    expect(await bal(PROVINCE, '2001', 'P27', 2027)).toBe(10_000n);
    await relay();
    expect(await bal(CITY, '2001', advInd, 2027)).toBe(80_000n);
    expect(await reconcileLevels(t.db, PROVINCE, 2027)).toMatchObject({ ok: true, issued: 2, received: 2 });
    // The same advance cannot be offset twice.
    const twice = await run1(
      t.db,
      cmd(
        'indicatorDoc.draft',
        {
          docNo: 'x',
          title: 'x',
          body: {
            docType: 'issue',
            fromIndicatorId: 'P27',
            lines: [{ region: CITY, amount: '600.00', offsetsAdvance: advanceId }],
          },
        },
        { region: PROVINCE, ...y27 },
      ),
      as('province'),
    );
    expect(errorCode(twice)).toBe('STATE_INVALID');
    expect(formal.messages).toHaveLength(1);
  });
});
