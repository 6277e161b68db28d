import type { DocType } from './types';

/**
 * The 指标单 form's values and the `indicatorDoc.draft` body they stand for. The form mirrors the
 * body line for line so a returned document opens in the same form; only what a person types
 * differently is translated (flags as check boxes, 金额/比例 as a switch, a new 调入 target).
 */

export interface ElementValues {
  agencyCode?: string;
  deptCode?: string;
  projectCode?: string;
  expFuncCode?: string;
  govEcoCode?: string;
  depEcoCode?: string;
  fundTypeCode?: string;
  sourceTypeCode?: string;
  indicatorTypeCode?: string;
  payTypeCode?: string;
  supDocNo?: string;
  flags?: string[];
}

export interface LineValues {
  indicatorId?: string;
  amount?: string;
  pool?: 'executable' | 'unallocated';
  source?: string;
  elements?: ElementValues;
  region?: string;
  tpFuncCode?: string;
  offsetsAdvance?: string;
  direction?: 'increase' | 'decrease';
  fundingSource?: string;
  fromIndicatorId?: string;
  toIndicatorId?: string;
  toNew?: boolean;
  toElements?: ElementValues;
  mode?: 'amount' | 'percent';
  percent?: number;
  toPoolIndicatorId?: string;
}

export interface DocFormValues {
  docNo?: string;
  title?: string;
  summary?: string;
  fromIndicatorId?: string;
  lines?: LineValues[];
}

type Json = Record<string, unknown>;

/** Drop what the user left empty: the contracts are strict and an empty code is not a code. */
function clean(o: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === null || v === '') continue;
    out[k] = typeof v === 'string' ? v.trim() : v;
  }
  return out;
}

/** '1,000,000' → '1000000': people type thousands separators; the API takes plain yuan. */
export const plainYuan = (s: string | undefined) => (s ?? '').replace(/[,，\s]/g, '');
export const YUAN_RE = /^\d{1,15}(\.\d{1,2})?$/;

function elements(e: ElementValues | undefined): Json {
  const { flags, ...rest } = e ?? {};
  const f = Object.fromEntries((flags ?? []).map((k) => [k, true]));
  return clean({ ...rest, flags: Object.keys(f).length ? f : undefined });
}

function elementValues(e: unknown): ElementValues {
  const { flags, ...rest } = (e ?? {}) as Json & { flags?: Record<string, boolean> };
  const out: ElementValues = {};
  for (const [k, v] of Object.entries(rest)) if (typeof v === 'string') (out as Json)[k] = v;
  const on = Object.entries(flags ?? {})
    .filter(([, v]) => v)
    .map(([k]) => k);
  if (on.length) out.flags = on;
  return out;
}

const amountOf = (l: LineValues) => (l.amount ? plainYuan(l.amount) : undefined);

/** The `body` of indicatorDoc.draft for a document type. */
export function toBody(docType: DocType, v: DocFormValues): Json {
  const lines = v.lines ?? [];
  switch (docType) {
    case 'approve':
      return {
        docType,
        lines: lines.map((l) =>
          clean({
            indicatorId: l.indicatorId,
            elements: elements(l.elements),
            amount: amountOf(l),
            pool: l.pool,
            source: l.source,
          }),
        ),
      };
    case 'allocate':
      return {
        docType,
        fromIndicatorId: v.fromIndicatorId,
        lines: lines.map((l) =>
          clean({ indicatorId: l.indicatorId, elements: elements(l.elements), amount: amountOf(l) }),
        ),
      };
    case 'issue':
    case 'advanceIssue':
      return {
        docType,
        fromIndicatorId: v.fromIndicatorId,
        lines: lines.map((l) =>
          clean({
            region: l.region,
            amount: amountOf(l),
            tpFuncCode: l.tpFuncCode,
            offsetsAdvance: l.offsetsAdvance,
          }),
        ),
      };
    case 'adjust':
      return {
        docType,
        lines: lines.map((l) =>
          clean({
            indicatorId: l.indicatorId,
            direction: l.direction,
            amount: amountOf(l),
            fundingSource: l.fundingSource,
          }),
        ),
      };
    case 'transfer':
      return {
        docType,
        lines: lines.map((l) =>
          clean({
            fromIndicatorId: l.fromIndicatorId,
            toIndicatorId: l.toIndicatorId,
            toElements: l.toNew ? elements(l.toElements) : undefined,
            amount: amountOf(l),
          }),
        ),
      };
    case 'freeze':
    case 'unfreeze':
      return {
        docType,
        lines: lines.map((l) =>
          clean(
            l.mode === 'percent'
              ? { indicatorId: l.indicatorId, percent: l.percent }
              : { indicatorId: l.indicatorId, amount: amountOf(l) },
          ),
        ),
      };
    case 'recall':
      return {
        docType,
        lines: lines.map((l) =>
          clean({ indicatorId: l.indicatorId, amount: amountOf(l), toPoolIndicatorId: l.toPoolIndicatorId }),
        ),
      };
  }
}

/** The form values of a saved body (editing a draft or a returned document). */
export function fromBody(body: { fromIndicatorId?: string; lines: Json[] }): DocFormValues {
  return {
    ...(body.fromIndicatorId ? { fromIndicatorId: body.fromIndicatorId } : {}),
    lines: body.lines.map((l) => {
      const line = { ...l } as LineValues & Json;
      if (l.elements) line.elements = elementValues(l.elements);
      if (l.toElements) {
        line.toElements = elementValues(l.toElements);
        line.toNew = true;
      }
      if ('percent' in l && l.percent !== undefined) line.mode = 'percent';
      else if ('indicatorId' in l) line.mode = 'amount';
      return line;
    }),
  };
}

/** Each line its own element object: lines sharing one (and its flags array) would change together. */
export const copy = (e: ElementValues | undefined): ElementValues => ({
  ...e,
  ...(e?.flags ? { flags: [...e.flags] } : {}),
});

/** A new line's defaults per type, so the common case needs no clicks. */
export function newLine(docType: DocType, base?: ElementValues): LineValues {
  switch (docType) {
    case 'approve':
      return { pool: 'unallocated', source: '1001', elements: copy(base) };
    case 'allocate':
      return { elements: copy(base) };
    case 'adjust':
      return { direction: 'increase', fundingSource: 'ownFinance' };
    case 'freeze':
    case 'unfreeze':
      return { mode: 'amount' };
    case 'transfer':
      return { toNew: false };
    default:
      return {};
  }
}

/** What a new 分配 line inherits from its 待分 source: its classifications, not its id or 文号. */
export function inherited(e: Record<string, unknown>): ElementValues {
  const v = elementValues(e);
  const keep: (keyof ElementValues)[] = [
    'fundTypeCode',
    'expFuncCode',
    'govEcoCode',
    'depEcoCode',
    'projectCode',
    'sourceTypeCode',
    'indicatorTypeCode',
    'payTypeCode',
    'agencyCode',
    'deptCode',
    'supDocNo',
    'flags',
  ];
  return Object.fromEntries(keep.filter((k) => v[k] !== undefined).map((k) => [k, v[k]])) as ElementValues;
}
