import {
  type DocType,
  docTypeNames,
  documentBodySchema,
  type ImportError,
  type ImportReport,
} from '@fiscus/contracts';
import type { Kysely } from 'kysely';
import { executeCommands } from '../commands/pipeline';
import { FiscusError } from '../kernel/errors';
import type { DB } from '../platform/db/schema';
import { sm3Hex } from '../platform/gm/sm3';
import { BOOLEAN_TEXT, type TabularColumn } from '../platform/tabular/columns';
import { readTable } from '../platform/tabular/read-table';
import { writeTemplate } from '../platform/tabular/write-xlsx';

/** A line column: where its value goes in the line (`elements.x`, `toElements.x` or a field). */
interface LineColumn extends TabularColumn {
  path: string;
  required?: boolean;
  /** Spreadsheet words → wire values (e.g. 可执行 → executable). */
  words?: Record<string, string>;
}

const col = (path: string, header: string, kind: TabularColumn['kind'], extra: Partial<LineColumn> = {}) => ({
  key: path.replace(/\./g, '_'),
  path,
  header,
  kind,
  ...extra,
});

function elementColumns(prefix: string, headerPrefix = ''): LineColumn[] {
  const h = (s: string) => `${headerPrefix}${s}`;
  return [
    col(`${prefix}.fundTypeCode`, h('资金性质'), 'code', { required: prefix === 'elements' }),
    col(`${prefix}.agencyCode`, h('单位代码'), 'code'),
    col(`${prefix}.deptCode`, h('部门代码'), 'code'),
    col(`${prefix}.projectCode`, h('项目代码'), 'code'),
    col(`${prefix}.expFuncCode`, h('支出功能分类'), 'code'),
    col(`${prefix}.govEcoCode`, h('政府经济分类'), 'code'),
    col(`${prefix}.depEcoCode`, h('部门经济分类'), 'code'),
    col(`${prefix}.sourceTypeCode`, h('指标来源'), 'code'),
    col(`${prefix}.indicatorTypeCode`, h('指标类型'), 'code'),
    col(`${prefix}.payTypeCode`, h('支付方式'), 'code'),
    col(`${prefix}.manageDivCode`, h('业务处室'), 'code'),
    col(`${prefix}.trackProjectCode`, h('追踪项目代码'), 'code'),
    col(`${prefix}.flags.directReach`, h('直达资金'), 'boolean'),
    col(`${prefix}.flags.sanGong`, h('三公经费'), 'boolean'),
    col(`${prefix}.flags.salary`, h('工资'), 'boolean'),
    col(`${prefix}.flags.govProcurement`, h('政府采购'), 'boolean'),
  ];
}

const amountCol = (required = true) => col('amount', '金额（元）', 'yuan', { required });

/** The line columns of each document type's template (header fields come with the import). */
export const lineColumns: Record<DocType, LineColumn[]> = {
  approve: [
    col('indicatorId', '指标编号', 'code'),
    col('pool', '指标状态', 'text', { required: true, words: { 可执行: 'executable', 待分: 'unallocated' } }),
    col('source', '来源科目', 'code'),
    amountCol(),
    ...elementColumns('elements'),
  ],
  allocate: [col('indicatorId', '指标编号', 'code'), amountCol(), ...elementColumns('elements')],
  issue: [
    col('region', '接收财政区划', 'code', { required: true }),
    amountCol(),
    col('tpFuncCode', '转移支付功能科目', 'code'),
  ],
  advanceIssue: [
    col('region', '接收财政区划', 'code', { required: true }),
    amountCol(),
    col('tpFuncCode', '转移支付功能科目', 'code'),
  ],
  adjust: [
    col('indicatorId', '指标编号', 'code', { required: true }),
    col('direction', '调整方向', 'text', { required: true, words: { 追加: 'increase', 追减: 'decrease' } }),
    amountCol(),
    col('fundingSource', '资金来源', 'text', {
      required: true,
      words: {
        本级财力: 'ownFinance',
        上级补助: 'upperSubsidy',
        债务资金: 'debt',
        预备费: 'reserve',
        超收: 'surplus',
        其他: 'other',
      },
    }),
  ],
  transfer: [
    col('fromIndicatorId', '调出指标', 'code', { required: true }),
    col('toIndicatorId', '调入指标', 'code'),
    amountCol(),
    ...elementColumns('toElements', '调入'),
  ],
  freeze: [
    col('indicatorId', '指标编号', 'code', { required: true }),
    amountCol(false),
    col('percent', '比例（%）', 'text'),
  ],
  unfreeze: [
    col('indicatorId', '指标编号', 'code', { required: true }),
    amountCol(false),
    col('percent', '比例（%）', 'text'),
  ],
  recall: [
    col('indicatorId', '指标编号', 'code', { required: true }),
    amountCol(false),
    col('toPoolIndicatorId', '收回至待分指标', 'code'),
  ],
};

/** 指标单导入模板: the line columns of one document type. */
export function docTemplate(docType: DocType): Promise<Buffer> {
  return writeTemplate(docTypeNames[docType], lineColumns[docType]);
}

function setPath(target: Record<string, unknown>, path: string, value: unknown) {
  const parts = path.split('.');
  let o = target;
  for (const p of parts.slice(0, -1)) {
    if (o[p] === undefined) o[p] = {};
    o = o[p] as Record<string, unknown>;
  }
  o[parts[parts.length - 1]!] = value;
}

const TRUE = new Set([BOOLEAN_TEXT.true, 'true', 'TRUE', '1', 'Y', 'y']);
const FALSE = new Set([BOOLEAN_TEXT.false, 'false', 'FALSE', '0', 'N', 'n']);

function cellError(row: number, c: LineColumn, required: boolean, value = ''): ImportError {
  return required
    ? {
        row,
        column: c.header,
        code: 'IMPORT_VALUE_REQUIRED',
        message: { 'zh-CN': `${c.header} 不能为空`, en: `${c.path} must not be empty` },
      }
    : {
        row,
        column: c.header,
        code: 'IMPORT_VALUE_INVALID',
        message: { 'zh-CN': `${c.header} 的值 ${value} 无效`, en: `value ${value} of ${c.path} is invalid` },
      };
}

/** One spreadsheet row → one document line; the cell problems found on the way. */
function toLine(cols: LineColumn[], rowNumber: number, values: Record<string, string | null>) {
  const line: Record<string, unknown> = {};
  const errors: ImportError[] = [];
  for (const c of cols) {
    const v = values[c.key];
    if (v === undefined || v === null) {
      if (c.required) errors.push(cellError(rowNumber, c, true));
      continue;
    }
    if (c.kind === 'boolean') {
      if (TRUE.has(v)) setPath(line, c.path, true);
      else if (FALSE.has(v)) setPath(line, c.path, false);
      else errors.push(cellError(rowNumber, c, false, v));
    } else if (c.path === 'percent') {
      const n = Number(v);
      if (Number.isFinite(n)) line.percent = n;
      else errors.push(cellError(rowNumber, c, false, v));
    } else if (c.words) {
      const w = c.words[v] ?? (Object.values(c.words).includes(v) ? v : undefined);
      if (w) setPath(line, c.path, w);
      else errors.push(cellError(rowNumber, c, false, v));
    } else setPath(line, c.path, v);
  }
  return { line, errors };
}

export interface DocImportRequest {
  docType: DocType;
  bytes: Buffer;
  fileName: string;
  region: string;
  year: number;
  /** Header fields of the document. */
  docNo: string;
  title: string;
  fromIndicatorId?: string | undefined;
  actor: string;
  on: string;
  dryRun: boolean;
}

/**
 * Import a spreadsheet of lines as one draft document: every bad row is named (cell problems,
 * then schema problems by line), then the draft command runs as a preview; nothing is saved
 * until the file is clean, and the import of a clean file is one `indicatorDoc.draft` command
 * (idempotent by the file's hash), after which the document follows its approval route.
 */
export async function importDocument(
  db: Kysely<DB>,
  req: DocImportRequest,
): Promise<ImportReport & { docId?: string }> {
  const cols = lineColumns[req.docType];
  const read = await readTable(req.bytes, req.fileName, cols);
  if (!read.ok) throw new FiscusError('IMPORT_FILE_INVALID', { detail: read.error });
  if (read.rows.length === 0)
    throw new FiscusError('IMPORT_FILE_INVALID', { detail: '文件没有数据行 no data rows' });
  const report: ImportReport & { docId?: string } = {
    dryRun: req.dryRun,
    ok: false,
    total: read.rows.length,
    imported: 0,
    unchanged: 0,
    errors: [],
  };
  const lines: Record<string, unknown>[] = [];
  for (const r of read.rows) {
    const { line, errors } = toLine(cols, r.rowNumber, r.values);
    report.errors.push(...errors);
    lines.push(line);
  }
  if (report.errors.length > 0) return report;
  const body = {
    docType: req.docType,
    ...(req.fromIndicatorId ? { fromIndicatorId: req.fromIndicatorId } : {}),
    lines,
  };
  const parsed = documentBodySchema.safeParse(body);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [, index, ...rest] = issue.path.map(String);
      const row =
        issue.path[0] === 'lines' && index !== undefined ? (read.rows[Number(index)]?.rowNumber ?? 1) : 1;
      const field = rest.join('.');
      const c = cols.find((x) => x.path === field);
      const [zh, en] = issue.message.split('\u001f');
      report.errors.push({
        row,
        column: c?.header ?? (field || null),
        code: 'IMPORT_VALUE_INVALID',
        message: {
          'zh-CN': `${c?.header ?? field}：${zh}`,
          en: `${field || issue.path.join('.')}: ${en ?? zh}`,
        },
      });
    }
    report.errors.sort((a, b) => a.row - b.row);
    return report;
  }
  const command = {
    id: `impdoc-${sm3Hex(req.bytes).slice(0, 24)}-${req.region}`,
    type: 'indicatorDoc.draft',
    region: req.region,
    year: req.year,
    on: req.on,
    payload: { docNo: req.docNo, title: req.title, body: parsed.data },
  };
  const [preview] = await executeCommands(db, [command], { sessionActor: req.actor, dryRun: true });
  const refusal = (r: typeof preview) =>
    r && r.status === 'rejected'
      ? [{ row: 1, column: null, code: r.error.code, message: r.error.message }]
      : [];
  report.errors = refusal(preview);
  if (req.dryRun || report.errors.length > 0) {
    report.ok = report.errors.length === 0;
    report.imported = report.ok ? read.rows.length : 0;
    return report;
  }
  const [done] = await executeCommands(db, [command], { sessionActor: req.actor });
  report.errors = refusal(done);
  report.ok = report.errors.length === 0;
  if (done?.status === 'accepted') {
    report.docId = (done.result as { docId: string }).docId;
    if (done.replayed) report.unchanged = read.rows.length;
    else report.imported = read.rows.length;
  }
  return report;
}
