import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { TabularColumn } from './columns';

export interface ReadRow {
  /** The row number the user sees in Excel or a text editor: the header is row 1. */
  rowNumber: number;
  /** Trimmed cell text, null when empty; a column absent from the file is absent here. */
  values: Record<string, string | null>;
}

export type ReadResult = { ok: true; rows: ReadRow[] } | { ok: false; error: string };

interface GridRow {
  rowNumber: number;
  cells: (string | null)[];
}

/** A problem worth showing to the user as is; anything else thrown is a bug. */
class ReadError extends Error {}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE2_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * Reads the first sheet of an xlsx file, or a CSV file, into rows keyed by column key. The header
 * row (the first non-empty row) is matched by Chinese header or by key; values are left as text for
 * the caller to validate, so that a bad cell can be reported with its row number.
 */
export async function readTable(
  bytes: Buffer,
  fileName: string,
  columns: TabularColumn[],
): Promise<ReadResult> {
  try {
    const grid = await readGrid(bytes, fileName);
    return { ok: true, rows: toRows(grid, columns) };
  } catch (e) {
    if (e instanceof ReadError) return { ok: false, error: e.message };
    throw e;
  }
}

async function readGrid(bytes: Buffer, fileName: string): Promise<GridRow[]> {
  if (startsWith(bytes, ZIP_MAGIC)) return readXlsxGrid(bytes);
  if (startsWith(bytes, OLE2_MAGIC) || /\.(xls|et)$/i.test(fileName)) {
    throw new ReadError('不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后再导入');
  }
  if (/\.xlsx$/i.test(fileName)) throw new ReadError('文件扩展名是 .xlsx，但内容不是有效的 xlsx 文件');
  return readCsvGrid(decodeText(bytes));
}

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

// ---- CSV ----

function decodeText(bytes: Buffer): string {
  if (bytes.includes(0)) {
    throw new ReadError('文件不是 xlsx 或 CSV 文本文件（CSV 请保存为 UTF-8 或 GBK 编码）');
  }
  if (startsWith(bytes, UTF8_BOM)) {
    return decodeOrFail(
      'utf-8',
      bytes.subarray(UTF8_BOM.length),
      'CSV 文件声明为 UTF-8，但含有无效的 UTF-8 字节',
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Excel on Chinese Windows saves "CSV (逗号分隔)" in the ANSI code page, i.e. GBK, which
    // GB18030 decodes as a superset.
    return decodeOrFail('gb18030', bytes, 'CSV 文件编码无法识别，请保存为 UTF-8 或 GBK 编码');
  }
}

function decodeOrFail(encoding: string, bytes: Uint8Array, message: string): string {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw new ReadError(message);
  }
}

function readCsvGrid(text: string): GridRow[] {
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, relax_quotes: true, skip_empty_lines: false });
  } catch (e) {
    throw new ReadError(`CSV 格式错误：${e instanceof Error ? e.message : String(e)}`);
  }
  // Row numbers count records, not lines, because that is what Excel shows when it opens a CSV
  // whose quoted cells contain line breaks.
  return records.map((record, i) => ({ rowNumber: i + 1, cells: record.map(cleanText) }));
}

// ---- xlsx ----

async function readXlsxGrid(bytes: Buffer): Promise<GridRow[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs declares its own ArrayBuffer-like Buffer type; at runtime it takes a Node Buffer.
    await workbook.xlsx.load(bytes as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  } catch (e) {
    throw new ReadError(`无法读取 xlsx 文件：${e instanceof Error ? e.message : String(e)}`);
  }
  const sheet = workbook.worksheets[0];
  if (sheet === undefined) throw new ReadError('xlsx 文件中没有工作表');
  const grid: GridRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: (string | null)[] = [];
    row.eachCell({ includeEmpty: false }, (cell, colNumber) => {
      cells[colNumber - 1] = xlsxCellText(cell.value, cell.address);
    });
    grid.push({ rowNumber, cells: Array.from(cells, (c) => c ?? null) });
  });
  return grid;
}

function xlsxCellText(value: unknown, address: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return cleanText(value);
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return dateText(value);
  if (typeof value === 'object') {
    if ('formula' in value || 'sharedFormula' in value) {
      const result = (value as { result?: unknown }).result;
      if (result === undefined) {
        // Files written by programs often carry formulas without a computed result; only a
        // spreadsheet application can supply it, and guessing would import wrong data.
        throw new ReadError(`单元格 ${address} 是公式但没有计算结果，请在 Excel 中打开并保存后再导入`);
      }
      return xlsxCellText(result, address);
    }
    if ('richText' in value && Array.isArray(value.richText)) {
      return cleanText(value.richText.map((part: { text?: unknown }) => String(part.text ?? '')).join(''));
    }
    if ('hyperlink' in value && 'text' in value) return xlsxCellText(value.text, address);
    // Returned as the error text (e.g. '#N/A') so the caller reports it against its row.
    if ('error' in value && typeof value.error === 'string') return value.error;
  }
  throw new ReadError(`单元格 ${address} 的内容无法识别`);
}

/**
 * Number cells become the text Excel shows in its formula bar: 15 significant digits (Excel keeps no
 * more, and this hides binary noise such as 0.30000000000000004) and never exponent notation.
 */
export function numberText(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const shown = Number(n.toPrecision(15));
  if (Number.isInteger(shown)) return BigInt(shown).toString();
  const s = String(shown);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (m === null) return s;
  const [, sign = '', lead = '', rest = '', exponent = '0'] = m;
  // Only tiny fractions reach here: integers took the BigInt path, so the point is left of the digits.
  return `${sign}0.${'0'.repeat(-Number(exponent) - 1)}${lead}${rest}`;
}

/** exceljs builds dates as UTC instants holding the wall-clock value Excel shows. */
function dateText(d: Date): string {
  const rounded = new Date(Math.round(d.getTime() / 1000) * 1000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const day = `${p(rounded.getUTCFullYear(), 4)}-${p(rounded.getUTCMonth() + 1)}-${p(rounded.getUTCDate())}`;
  const h = rounded.getUTCHours();
  const m = rounded.getUTCMinutes();
  const s = rounded.getUTCSeconds();
  // A time of day is kept rather than dropped, so a date-time in a date column fails validation
  // instead of silently losing its time.
  return h === 0 && m === 0 && s === 0 ? day : `${day} ${p(h)}:${p(m)}:${p(s)}`;
}

// ---- shared ----

function cleanText(s: string): string | null {
  const t = s.trim();
  return t === '' ? null : t;
}

function toRows(grid: GridRow[], columns: TabularColumn[]): ReadRow[] {
  const headerIndex = grid.findIndex((row) => row.cells.some((c) => c !== null));
  const header = grid[headerIndex];
  if (header === undefined) throw new ReadError('文件是空的，没有表头行');

  const byHeader = new Map(columns.map((c) => [c.header.trim(), c]));
  const byKey = new Map(columns.map((c) => [c.key.toLowerCase(), c]));
  const mapped: { index: number; key: string }[] = [];
  const unknown: string[] = [];
  const seen = new Map<string, string>();
  const duplicated: string[] = [];
  header.cells.forEach((text, index) => {
    // A column with no header is ignored: it is usually a note the user added beside the data.
    if (text === null) return;
    const column = byHeader.get(text) ?? byKey.get(text.toLowerCase());
    if (column === undefined) {
      unknown.push(text);
    } else if (seen.has(column.key)) {
      duplicated.push(`${seen.get(column.key)}/${text}`);
    } else {
      seen.set(column.key, text);
      mapped.push({ index, key: column.key });
    }
  });
  const problems: string[] = [];
  if (unknown.length > 0) problems.push(`未知的列：${unknown.join('、')}`);
  if (duplicated.length > 0) problems.push(`重复的列：${duplicated.join('、')}`);
  if (problems.length > 0) throw new ReadError(`第 ${header.rowNumber} 行表头有误，${problems.join('；')}`);

  const rows: ReadRow[] = [];
  for (const row of grid.slice(headerIndex + 1)) {
    if (row.cells.every((c) => c === null)) continue;
    const values: Record<string, string | null> = {};
    for (const { index, key } of mapped) values[key] = row.cells[index] ?? null;
    rows.push({ rowNumber: row.rowNumber, values });
  }
  return rows;
}
