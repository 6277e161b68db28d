import ExcelJS from 'exceljs';
import { formatYuan } from '../../kernel/money';
import { BOOLEAN_TEXT, KIND_DESCRIPTIONS, type TabularColumn, type TabularKind } from './columns';

const DEFAULT_WIDTH = 16;
// Text format on the whole column, not only on written cells, so that rows a user types into an
// exported sheet or a template also stay text (Excel would otherwise drop leading zeros of codes
// and round long account numbers).
const TEXT_KINDS: ReadonlySet<TabularKind> = new Set(['text', 'code', 'date', 'yuan']);

export async function writeXlsx(
  sheetName: string,
  columns: TabularColumn[],
  rows: Record<string, unknown>[],
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = addDataSheet(workbook, sheetName, columns);
  rows.forEach((row, i) => {
    const sheetRow = sheet.getRow(i + 2);
    columns.forEach((column, c) => {
      const value = cellValue(column, row[column.key]);
      if (value === null) return;
      const cell = sheetRow.getCell(c + 1);
      cell.value = value;
      if (typeof value === 'string') cell.numFmt = '@';
    });
  });
  return toBuffer(await workbook.xlsx.writeBuffer());
}

/** An empty sheet with the header row, plus a 说明 sheet describing each column. */
export async function writeTemplate(sheetName: string, columns: TabularColumn[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  addDataSheet(workbook, sheetName, columns);
  const help = workbook.addWorksheet('说明');
  help.columns = [
    { header: '列名', width: 20 },
    { header: '字段名', width: 20 },
    { header: '类型', width: 14 },
    { header: '填写说明', width: 48 },
  ];
  styleHeader(help);
  for (const column of columns) {
    const kind = KIND_DESCRIPTIONS[column.kind];
    help.addRow([column.header, column.key, kind.name, kind.hint]);
  }
  return toBuffer(await workbook.xlsx.writeBuffer());
}

function addDataSheet(workbook: ExcelJS.Workbook, sheetName: string, columns: TabularColumn[]) {
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column) => ({
    header: column.header,
    key: column.key,
    width: column.width ?? DEFAULT_WIDTH,
    ...(TEXT_KINDS.has(column.kind) ? { style: { numFmt: '@' } } : {}),
  }));
  styleHeader(sheet);
  return sheet;
}

function styleHeader(sheet: ExcelJS.Worksheet): void {
  const header = sheet.getRow(1);
  header.font = { bold: true };
}

function cellValue(column: TabularColumn, value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  switch (column.kind) {
    case 'text':
    case 'code':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'bigint') return String(value);
      break;
    case 'boolean':
      if (typeof value === 'boolean') return value ? BOOLEAN_TEXT.true : BOOLEAN_TEXT.false;
      if (typeof value === 'string') return value;
      break;
    case 'date':
      if (typeof value === 'string') return value;
      if (value instanceof Date) return isoDate(value);
      break;
    case 'integer':
      if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
      // Past 2^53 a number cell would round, so such integers go out as text.
      if (typeof value === 'bigint') return isSafe(value) ? Number(value) : value.toString();
      if (typeof value === 'string') return value;
      break;
    case 'yuan':
      // bigint is fen (see kernel/money); a string is taken to be yuan text already. A number is
      // refused: it could be yuan or fen, and as yuan it would be a float.
      if (typeof value === 'bigint') return formatYuan(value);
      if (typeof value === 'string') return value;
      break;
  }
  throw new TypeError(`column ${column.key} (${column.kind}) cannot hold ${describe(value)}`);
}

function isSafe(n: bigint): boolean {
  return n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= BigInt(Number.MIN_SAFE_INTEGER);
}

function describe(value: unknown): string {
  return value instanceof Date ? 'a Date' : `a ${typeof value}`;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/**
 * A Date standing for a calendar day. Parsed ISO dates ('2025-01-31') are UTC midnight while the pg
 * driver returns DATE columns as local midnight; reading UTC fields for the former and local fields
 * for the latter gives the intended day in any server time zone.
 */
function isoDate(d: Date): string {
  const utcMidnight =
    d.getUTCHours() === 0 &&
    d.getUTCMinutes() === 0 &&
    d.getUTCSeconds() === 0 &&
    d.getUTCMilliseconds() === 0;
  return utcMidnight
    ? `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
    : `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function toBuffer(data: ArrayBuffer | Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
}
