import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docTemplate, importDocument, lineColumns, loadDemo, writeXlsx } from '../../packages/core/src/index';
import { readTable } from '../../packages/core/src/platform/tabular/read-table';
import { createTestDb, type TestDb } from '../support/db';
import { cmd, run1 } from './helpers';

let t: TestDb;
const CITY = '530700000';

const base = {
  region: CITY,
  year: 2026,
  docNo: '丽财〔2026〕X1',
  title: '导入',
  actor: 'budget',
  on: '2026-03-02',
};

beforeAll(async () => {
  t = await createTestDb();
  expect((await loadDemo(t.db)).rejected).toEqual([]);
  const approve = {
    docNo: '丽财〔2026〕X0',
    title: 'pool',
    body: {
      docType: 'approve',
      lines: [
        {
          indicatorId: 'X-POOL',
          elements: { fundTypeCode: '111', expFuncCode: '2050203' },
          amount: '500.00',
          pool: 'unallocated',
        },
      ],
    },
  };
  const d = await run1(t.db, cmd('indicatorDoc.draft', approve), { defaultActor: 'budget' });
  const docId = (d as { result: { docId: string } }).result.docId;
  await run1(t.db, cmd('indicatorDoc.submit', { docId }), { defaultActor: 'budget' });
  expect((await run1(t.db, cmd('indicatorDoc.approve', { docId }), { defaultActor: 'chief' })).status).toBe(
    'accepted',
  );
});
afterAll(async () => t?.close());

const sheet = (rows: Record<string, unknown>[]) => writeXlsx('分配', lineColumns.allocate, rows);
const school = {
  amount: '100.00',
  elements_fundTypeCode: '111',
  elements_agencyCode: '205002',
  elements_deptCode: '205',
  elements_expFuncCode: '2050203',
};

describe('indicator documents from Excel', () => {
  it('has a template per document type whose header is read back', async () => {
    const bytes = await docTemplate('allocate');
    const read = await readTable(bytes, 'allocate.xlsx', lineColumns.allocate);
    expect(read).toEqual({ ok: true, rows: [] });
  });

  it('names every bad row and saves nothing until the file is clean', async () => {
    const before = await sql<{ n: string }>`select count(*)::text as n from indicators.document`.execute(
      t.db,
    );
    const bad = await sheet([
      school,
      { ...school, amount: null },
      { ...school, elements_fundTypeCode: '111', amount: 'abc' },
      { ...school, elements_flags_directReach: '也许' },
    ]);
    const r = await importDocument(t.db, {
      ...base,
      docType: 'allocate',
      bytes: bad,
      fileName: 'a.xlsx',
      fromIndicatorId: 'X-POOL',
      dryRun: false,
    });
    expect(r.ok).toBe(false);
    expect(r.errors.map((e) => [e.row, e.code])).toEqual([
      [3, 'IMPORT_VALUE_REQUIRED'],
      [5, 'IMPORT_VALUE_INVALID'],
    ]);
    const fixedCells = await sheet([school, { ...school, amount: 'abc' }]);
    const r2 = await importDocument(t.db, {
      ...base,
      docType: 'allocate',
      bytes: fixedCells,
      fileName: 'a.xlsx',
      fromIndicatorId: 'X-POOL',
      dryRun: false,
    });
    expect(r2.errors).toEqual([
      expect.objectContaining({ row: 3, column: '金额（元）', code: 'IMPORT_VALUE_INVALID' }),
    ]);
    const tooMuch = await sheet([school, { ...school, amount: '401.00' }]);
    const r3 = await importDocument(t.db, {
      ...base,
      docType: 'allocate',
      bytes: tooMuch,
      fileName: 'a.xlsx',
      fromIndicatorId: 'X-POOL',
      dryRun: false,
    });
    expect(r3.errors).toEqual([expect.objectContaining({ code: 'AMOUNT_EXCEEDS_AVAILABLE' })]);
    const after = await sql<{ n: string }>`select count(*)::text as n from indicators.document`.execute(t.db);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it('previews, then imports a clean file once as a draft', async () => {
    const good = await sheet([school, { ...school, amount: '250.50', elements_agencyCode: '205003' }]);
    const preview = await importDocument(t.db, {
      ...base,
      docType: 'allocate',
      bytes: good,
      fileName: 'a.xlsx',
      fromIndicatorId: 'X-POOL',
      dryRun: true,
    });
    expect(preview).toMatchObject({ ok: true, dryRun: true, imported: 2 });
    expect(preview.docId).toBeUndefined();
    const done = await importDocument(t.db, {
      ...base,
      docType: 'allocate',
      bytes: good,
      fileName: 'a.xlsx',
      fromIndicatorId: 'X-POOL',
      dryRun: false,
    });
    expect(done).toMatchObject({ ok: true, imported: 2 });
    const again = await importDocument(t.db, {
      ...base,
      docType: 'allocate',
      bytes: good,
      fileName: 'a.xlsx',
      fromIndicatorId: 'X-POOL',
      dryRun: false,
    });
    expect(again).toMatchObject({ ok: true, unchanged: 2, docId: done.docId });
    const doc = await sql<{
      state: string;
      amount_fen: string;
    }>`select state, amount_fen::text from indicators.document
      where doc_id = ${done.docId!}`.execute(t.db);
    expect(doc.rows).toEqual([{ state: 'draft', amount_fen: '35050' }]);
  });
});
