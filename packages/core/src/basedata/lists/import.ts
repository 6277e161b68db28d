import type { ErrorBody, ImportError, ImportReport } from '@fiscus/contracts';
import type { Kysely } from 'kysely';
import { executeCommands } from '../../commands/pipeline';
import { FiscusError } from '../../kernel/errors';
import type { DB } from '../../platform/db/schema';
import { sm3Hex } from '../../platform/gm/sm3';
import { BOOLEAN_TEXT } from '../../platform/tabular/columns';
import { readTable } from '../../platform/tabular/read-table';
import type { ListColumn, ListDef } from './types';

export interface ImportRequest {
  def: ListDef;
  bytes: Buffer;
  fileName: string;
  region: string;
  year: number;
  actor: string;
  on: string;
  dryRun: boolean;
}

const TRUE = new Set([BOOLEAN_TEXT.true, 'true', 'TRUE', '1', 'Y', 'y']);
const FALSE = new Set([BOOLEAN_TEXT.false, 'false', 'FALSE', '0', 'N', 'n']);

function cellError(
  row: number,
  col: ListColumn,
  code: 'IMPORT_VALUE_REQUIRED' | 'IMPORT_VALUE_INVALID',
  value = '',
): ImportError {
  const zh = code === 'IMPORT_VALUE_REQUIRED' ? `${col.header} 不能为空` : `${col.header} 的值 ${value} 无效`;
  const en =
    code === 'IMPORT_VALUE_REQUIRED'
      ? `${col.key} must not be empty`
      : `value ${value} of ${col.key} is invalid`;
  return { row, column: col.header, code, message: { 'zh-CN': zh, en } };
}

function toPayload(def: ListDef, rowNumber: number, values: Record<string, string | null>) {
  const payload: Record<string, unknown> = { ...(def.import?.defaults ?? {}) };
  const envelope: { region?: string; year?: number } = {};
  const errors: ImportError[] = [];
  for (const col of def.columns) {
    if (col.readOnly) continue;
    if (col.envelope) {
      const v = values[col.key];
      if (v === undefined || v === null) {
        if (col.required) errors.push(cellError(rowNumber, col, 'IMPORT_VALUE_REQUIRED'));
      } else if (col.envelope === 'region') {
        envelope.region = v;
      } else if (/^\d{4}$/.test(v)) {
        envelope.year = Number(v);
      } else {
        errors.push(cellError(rowNumber, col, 'IMPORT_VALUE_INVALID', v));
      }
      continue;
    }
    const v = values[col.key];
    if (v === undefined) continue;
    if (v === null) {
      if (col.required) errors.push(cellError(rowNumber, col, 'IMPORT_VALUE_REQUIRED'));
      else if (col.nullable) payload[col.key] = null;
      continue;
    }
    if (col.kind === 'boolean') {
      if (TRUE.has(v)) payload[col.key] = true;
      else if (FALSE.has(v)) payload[col.key] = false;
      else errors.push(cellError(rowNumber, col, 'IMPORT_VALUE_INVALID', v));
    } else if (col.kind === 'integer') {
      if (/^-?\d+$/.test(v)) payload[col.key] = Number(v);
      else errors.push(cellError(rowNumber, col, 'IMPORT_VALUE_INVALID', v));
    } else {
      payload[col.key] = v;
    }
  }
  return { payload, envelope, errors };
}

function errorsOf(def: ListDef, row: number, error: ErrorBody): ImportError[] {
  if (error.issues && error.issues.length > 0) {
    return error.issues.map((i) => {
      const key = i.path.split('.')[0] ?? '';
      const col = def.columns.find((c) => c.key === key);
      const header = col?.header ?? (key || null);
      return {
        row,
        column: header,
        code: error.code,
        message: { 'zh-CN': `${header ?? ''}：${i.messageZh}`, en: `${key}: ${i.message}` },
      };
    });
  }
  return [{ row, column: null, code: error.code, message: error.message }];
}

/**
 * Preview or import a spreadsheet of one list. Each row becomes the list's own command, run
 * through the command pipeline: a preview runs them all and rolls back; an import runs them in
 * one transaction per region and keeps nothing unless every row is accepted.
 */
export async function importList(db: Kysely<DB>, req: ImportRequest): Promise<ImportReport> {
  const { def } = req;
  if (!def.import) throw new FiscusError('IMPORT_FILE_INVALID', { detail: `${def.key} cannot be imported` });
  const read = await readTable(req.bytes, req.fileName, def.columns);
  if (!read.ok) throw new FiscusError('IMPORT_FILE_INVALID', { detail: read.error });
  const report: ImportReport = {
    dryRun: req.dryRun,
    ok: false,
    total: read.rows.length,
    imported: 0,
    unchanged: 0,
    errors: [],
  };
  if (read.rows.length === 0)
    throw new FiscusError('IMPORT_FILE_INVALID', { detail: '文件没有数据行 no data rows' });
  const present = new Set(read.rows.flatMap((r) => Object.keys(r.values)));
  for (const col of def.columns) {
    if (col.required && !present.has(col.key)) {
      report.errors.push({
        row: 1,
        column: col.header,
        code: 'IMPORT_COLUMN_MISSING',
        message: { 'zh-CN': `缺少必填列：${col.header}`, en: `Required column missing: ${col.key}` },
      });
    }
  }
  if (report.errors.length > 0) return report;

  const fileHash = sm3Hex(req.bytes).slice(0, 16);
  const commands: unknown[] = [];
  const rowNumbers: number[] = [];
  for (const r of read.rows) {
    const { payload, envelope, errors } = toPayload(def, r.rowNumber, r.values);
    report.errors.push(...errors);
    if (errors.length > 0) continue;
    commands.push({
      id: `imp-${fileHash}-${def.key}-${r.rowNumber}`,
      type: def.import.commandType,
      region:
        envelope.region ?? (def.import.regionOf ? def.import.regionOf(payload, req.region) : req.region),
      year: envelope.year ?? req.year,
      on: req.on,
      payload,
    });
    rowNumbers.push(r.rowNumber);
  }
  const collect = (results: Awaited<ReturnType<typeof executeCommands>>) => {
    const errors: ImportError[] = [];
    results.forEach((res, i) => {
      if (res.status === 'rejected') errors.push(...errorsOf(def, rowNumbers[i] ?? 0, res.error));
    });
    return errors;
  };
  const preview = await executeCommands(db, commands, { sessionActor: req.actor, dryRun: true });
  report.errors.push(...collect(preview));
  report.errors.sort((a, b) => a.row - b.row);
  if (req.dryRun || report.errors.length > 0) {
    report.ok = report.errors.length === 0;
    report.imported = report.ok ? preview.filter((r) => r.status === 'accepted' && !r.replayed).length : 0;
    report.unchanged = report.ok ? preview.filter((r) => r.replayed).length : 0;
    return report;
  }
  const results = await executeCommands(db, commands, { sessionActor: req.actor, atomic: true });
  report.errors = collect(results);
  report.ok = report.errors.length === 0;
  report.imported = report.ok ? results.filter((r) => r.status === 'accepted' && !r.replayed).length : 0;
  report.unchanged = report.ok ? results.filter((r) => r.replayed).length : 0;
  return report;
}
