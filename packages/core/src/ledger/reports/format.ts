import { formatYuan } from '../../kernel/money';
import type { TabularColumn } from '../../platform/tabular/columns';
import { writeXlsx } from '../../platform/tabular/write-xlsx';

const MONEY = new Set(['debit', 'credit', 'balance', 'total', 'paid', 'amount_fen', 'sources', 'holdings']);

/** Report rows for the edges: money as yuan strings, other bigints as strings, basis points as %. */
export function toWire(
  rows: readonly Record<string, unknown>[],
): Record<string, string | number | boolean | null>[] {
  return rows.map((r) => {
    const out: Record<string, string | number | boolean | null> = {};
    for (const [k, v] of Object.entries(r)) {
      if (typeof v === 'bigint') {
        if (k === 'progressBp') out.progress = `${v / 100n}.${(v % 100n).toString().padStart(2, '0')}`;
        else out[MONEY.has(k) ? k.replace(/_fen$/, '') : k] = MONEY.has(k) ? formatYuan(v) : v.toString();
      } else
        out[k] = v instanceof Date ? v.toISOString().slice(0, 10) : (v as string | number | boolean | null);
    }
    return out;
  });
}

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: readonly Record<string, unknown>[]): string {
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return `\ufeff${[cols.join(','), ...rows.map((r) => cols.map((c) => csvCell(r[c])).join(','))].join('\n')}\n`;
}

export function toXlsx(title: string, rows: readonly Record<string, unknown>[]): Promise<Buffer> {
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const columns: TabularColumn[] = cols.map((c) => ({
    key: c,
    header: c,
    kind: MONEY.has(c) ? 'yuan' : 'text',
  }));
  return writeXlsx(title, columns, rows as Record<string, unknown>[]);
}
