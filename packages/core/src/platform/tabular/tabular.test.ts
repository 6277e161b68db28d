import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { TabularColumn } from './columns';
import { numberText, type ReadResult, readTable } from './read-table';
import { writeTemplate, writeXlsx } from './write-xlsx';

const columns: TabularColumn[] = [
  { key: 'code', header: '单位代码', kind: 'code', width: 12 },
  { key: 'name', header: '单位名称', kind: 'text', width: 30 },
  { key: 'enabled', header: '是否启用', kind: 'boolean' },
  { key: 'startDate', header: '启用日期', kind: 'date' },
  { key: 'staff', header: '编制人数', kind: 'integer' },
  { key: 'budget', header: '预算金额', kind: 'yuan' },
  { key: 'accountNo', header: '银行账号', kind: 'code' },
];

function rowsOf(result: ReadResult) {
  if (!result.ok) throw new Error(`expected ok, got: ${result.error}`);
  return result.rows;
}

function errorOf(result: ReadResult): string {
  if (result.ok) throw new Error('expected an error');
  return result.error;
}

async function loadWorkbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  return workbook;
}

async function xlsxFrom(build: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  build(workbook.addWorksheet('Sheet1'));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** GB18030 bytes of `text`; Node can decode GB18030 but has no encoder for it. */
function gb18030(text: string): Buffer {
  const decoder = new TextDecoder('gb18030');
  const table = new Map<string, number[]>();
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const ch = decoder.decode(new Uint8Array([lead, trail]));
      if (!table.has(ch)) table.set(ch, [lead, trail]);
    }
  }
  const bytes: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) bytes.push(code);
    else bytes.push(...(table.get(ch) ?? fail(`no GBK encoding for ${ch}`)));
  }
  return Buffer.from(bytes);
}

function fail(message: string): never {
  throw new Error(message);
}

describe('writeXlsx → readTable round trip', () => {
  const rows = [
    {
      code: '001',
      name: '市财政局',
      enabled: true,
      startDate: '2025-01-01',
      staff: 120,
      budget: 123450n,
      accountNo: '6222020000000000001',
    },
    {
      code: '0102',
      name: '  市教育局 ',
      enabled: false,
      startDate: new Date('2024-12-31'),
      staff: 9007199254740993n,
      budget: '1234.50',
      accountNo: '000123',
    },
    { code: '0103', name: null, enabled: null, startDate: undefined, staff: 0, budget: -1n },
  ];

  it('reads back the exact strings that were written', async () => {
    const bytes = await writeXlsx('单位', columns, rows);
    expect(rowsOf(await readTable(bytes, '单位.xlsx', columns))).toEqual([
      {
        rowNumber: 2,
        values: {
          code: '001',
          name: '市财政局',
          enabled: '是',
          startDate: '2025-01-01',
          staff: '120',
          budget: '1234.50',
          accountNo: '6222020000000000001',
        },
      },
      {
        rowNumber: 3,
        values: {
          code: '0102',
          name: '市教育局',
          enabled: '否',
          startDate: '2024-12-31',
          staff: '9007199254740993',
          budget: '1234.50',
          accountNo: '000123',
        },
      },
      {
        rowNumber: 4,
        values: {
          code: '0103',
          name: null,
          enabled: null,
          startDate: null,
          staff: '0',
          budget: '-0.01',
          accountNo: null,
        },
      },
    ]);
  });

  it('writes codes, amounts and long numbers as text cells, never as numbers', async () => {
    const sheet = (await loadWorkbook(await writeXlsx('单位', columns, rows))).worksheets[0]!;
    const first = sheet.getRow(2);
    for (const col of [1, 6, 7]) {
      expect(first.getCell(col).type).toBe(ExcelJS.ValueType.String);
      expect(first.getCell(col).numFmt).toBe('@');
    }
    expect(first.getCell(1).value).toBe('001');
    expect(first.getCell(6).value).toBe('1234.50');
    expect(first.getCell(7).value).toBe('6222020000000000001');
    expect(first.getCell(5).value).toBe(120);
    expect(sheet.getRow(3).getCell(5).value).toBe('9007199254740993');
  });

  it('has a bold, frozen header with the configured widths', async () => {
    const sheet = (await loadWorkbook(await writeXlsx('单位', columns, []))).worksheets[0]!;
    expect(sheet.name).toBe('单位');
    expect(sheet.getRow(1).values).toEqual([undefined, ...columns.map((c) => c.header)]);
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getColumn(1).width).toBe(12);
    expect(sheet.getColumn(2).width).toBe(30);
  });

  it('refuses a float amount', async () => {
    await expect(writeXlsx('单位', columns, [{ budget: 1234.5 }])).rejects.toThrow(TypeError);
  });
});

describe('writeTemplate', () => {
  it('has the header only and a 说明 sheet describing each column', async () => {
    const bytes = await writeTemplate('单位', columns);
    const workbook = await loadWorkbook(bytes);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['单位', '说明']);
    const data = workbook.worksheets[0]!;
    expect(data.actualRowCount).toBe(1);
    const help = workbook.getWorksheet('说明')!;
    expect(help.actualRowCount).toBe(columns.length + 1);
    expect(help.getRow(2).values).toEqual([undefined, '单位代码', 'code', '代码', expect.any(String)]);
    expect(help.getRow(7).getCell(3).value).toBe('金额（元）');
    expect(rowsOf(await readTable(bytes, 't.xlsx', columns))).toEqual([]);
  });
});

describe('readTable on xlsx made by others', () => {
  it('turns typed cells into their text', async () => {
    const bytes = await xlsxFrom((sheet) => {
      sheet.addRow(['单位代码', '单位名称', '是否启用', '启用日期', '编制人数', '预算金额']);
      sheet.addRow([
        530700000,
        { richText: [{ text: '市' }, { text: '财政局', font: { bold: true } }] },
        true,
      ]);
      sheet.getCell('D2').value = new Date(Date.UTC(2025, 0, 31));
      sheet.getCell('E2').value = { formula: 'SUM(1,2)', result: 3 };
      sheet.getCell('F2').value = 1234.5;
      sheet.addRow([1e21, { text: '链接', hyperlink: 'https://example.org' }, false]);
      sheet.getCell('D3').value = new Date(Date.UTC(2025, 0, 31, 8, 30));
      sheet.getCell('E3').value = { error: '#N/A' };
      sheet.getCell('F3').value = 0.1 + 0.2;
    });
    expect(rowsOf(await readTable(bytes, 'x.xlsx', columns))).toEqual([
      {
        rowNumber: 2,
        values: {
          code: '530700000',
          name: '市财政局',
          enabled: 'true',
          startDate: '2025-01-31',
          staff: '3',
          budget: '1234.5',
        },
      },
      {
        rowNumber: 3,
        values: {
          code: '1000000000000000000000',
          name: '链接',
          enabled: 'false',
          startDate: '2025-01-31 08:30:00',
          staff: '#N/A',
          budget: '0.3',
        },
      },
    ]);
  });

  it('reports a formula without a computed result', async () => {
    const bytes = await xlsxFrom((sheet) => {
      sheet.addRow(['单位代码']);
      sheet.getCell('A2').value = { formula: 'A1&"x"' } as ExcelJS.CellFormulaValue;
    });
    expect(errorOf(await readTable(bytes, 'x.xlsx', columns))).toContain('A2');
  });

  it('skips empty rows, keeps true row numbers, and takes headers by key in any order', async () => {
    const bytes = await xlsxFrom((sheet) => {
      sheet.getRow(1).values = ['NAME', 'Code'];
      sheet.getRow(2).values = ['甲', '001'];
      sheet.getCell('A4').value = '   ';
      sheet.getRow(6).values = ['乙', '002'];
    });
    expect(rowsOf(await readTable(bytes, 'x.xlsx', columns))).toEqual([
      { rowNumber: 2, values: { name: '甲', code: '001' } },
      { rowNumber: 6, values: { name: '乙', code: '002' } },
    ]);
  });
});

describe('readTable on CSV', () => {
  it('reads UTF-8 with a BOM', async () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('单位代码,单位名称\r\n001,"市财政局, 本级"\r\n'),
    ]);
    expect(rowsOf(await readTable(bytes, 'a.csv', columns))).toEqual([
      { rowNumber: 2, values: { code: '001', name: '市财政局, 本级' } },
    ]);
  });

  it('reads UTF-8 without a BOM', async () => {
    const bytes = Buffer.from('code,name\n001,市财政局\n');
    expect(rowsOf(await readTable(bytes, 'a.csv', columns))).toEqual([
      { rowNumber: 2, values: { code: '001', name: '市财政局' } },
    ]);
  });

  it('reads GB18030 (as saved by Excel on Chinese Windows)', async () => {
    const bytes = gb18030('单位名称,单位代码,预算金额\r\n市财政局,0102,1234.50\r\n');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    expect(rowsOf(await readTable(bytes, 'a.csv', columns))).toEqual([
      { rowNumber: 2, values: { name: '市财政局', code: '0102', budget: '1234.50' } },
    ]);
  });

  it('matches headers in any order, by Chinese header or case-insensitive key', async () => {
    const bytes = Buffer.from('BUDGET,单位代码,AccountNo\n1.00,001,6222020000000000001\n');
    expect(rowsOf(await readTable(bytes, 'a.csv', columns))).toEqual([
      { rowNumber: 2, values: { budget: '1.00', code: '001', accountNo: '6222020000000000001' } },
    ]);
  });

  it('reports unknown headers by name', async () => {
    const error = errorOf(await readTable(Buffer.from('单位代码,备注,Foo\n001,x,y\n'), 'a.csv', columns));
    expect(error).toContain('备注');
    expect(error).toContain('Foo');
    expect(error).not.toContain('单位代码');
  });

  it('reports a column given twice', async () => {
    const error = errorOf(await readTable(Buffer.from('单位代码,code\n001,002\n'), 'a.csv', columns));
    expect(error).toContain('重复');
  });

  it('skips empty rows but keeps the row numbers the user sees', async () => {
    const bytes = Buffer.from('单位代码,单位名称\n\n001,甲\n,\n  ,  \n002,"乙\n丙"\n003,\n');
    expect(rowsOf(await readTable(bytes, 'a.csv', columns))).toEqual([
      { rowNumber: 3, values: { code: '001', name: '甲' } },
      { rowNumber: 6, values: { code: '002', name: '乙\n丙' } },
      { rowNumber: 7, values: { code: '003', name: null } },
    ]);
  });

  it('treats a header-only or empty file sensibly', async () => {
    expect(rowsOf(await readTable(Buffer.from('单位代码\n'), 'a.csv', columns))).toEqual([]);
    expect(errorOf(await readTable(Buffer.from(''), 'a.csv', columns))).toContain('空');
  });
});

describe('readTable on things that are not tables', () => {
  it.each([
    [
      'random binary',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0xff]),
      'a.png',
    ],
    ['a legacy .xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), 'a.xls'],
    ['a broken zip', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6]), 'a.xlsx'],
    ['text named .xlsx', Buffer.from('单位代码\n001\n'), 'a.xlsx'],
    ['undecodable bytes', Buffer.from([0x41, 0xff, 0xff, 0x0a]), 'a.csv'],
  ])('%s gives ok:false', async (_label, bytes, name) => {
    const result = await readTable(bytes, name, columns);
    expect(result.ok).toBe(false);
  });
});

describe('numberText', () => {
  it.each([
    [0, '0'],
    [-0, '0'],
    [530700000, '530700000'],
    [-42, '-42'],
    [1e21, '1000000000000000000000'],
    [Number('6222020000000000001'), '6222020000000000000'],
    [1234.5, '1234.5'],
    [0.1 + 0.2, '0.3'],
    [1.5e-7, '0.00000015'],
    [-2.5e-10, '-0.00000000025'],
  ])('%s → %s', (n, text) => {
    expect(numberText(n)).toBe(text);
  });
});
