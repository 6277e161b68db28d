import type { ParamKind, RuleAction, RuleLevel, RuleTrigger, WarningLevel } from './labels';
import type { RuleDefinition, RuleVersion, WireParam } from './types';

/** One parameter row of the editor. */
export interface ParamRow {
  name?: string;
  kind?: ParamKind;
  value?: string | number | boolean | string[] | null | undefined;
}

/** The editor's form: the fields of `RuleDefinition`, flattened for antd Form. */
export interface RuleFormValues {
  code: string;
  name: string;
  theme: string;
  basis?: string;
  trigger: RuleTrigger;
  regions: string[];
  level: RuleLevel;
  condition: string;
  params?: ParamRow[];
  warningLevel: WarningLevel;
  action: RuleAction;
  promptZh: string;
  promptEn: string;
  effectiveFrom: string;
  effectiveTo?: string;
  enabled: boolean;
}

export const YUAN = /^-?\d{1,15}(\.\d{1,2})?$/;
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
export const RULE_CODE = /^[A-Z][A-Z0-9_]{1,47}$/;
export const PARAM_NAME = /^[a-z][A-Za-z0-9]{0,31}$/;

export function kindOf(v: WireParam): ParamKind {
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'string') return 'text';
  if (Array.isArray(v)) return 'codes';
  return 'yuan';
}

/** The value a fresh row of `kind` starts with. */
export function blankValue(kind: ParamKind): ParamRow['value'] {
  if (kind === 'number') return 0;
  if (kind === 'boolean') return false;
  if (kind === 'codes') return [];
  return '';
}

export function paramRows(p: Record<string, WireParam>): ParamRow[] {
  return Object.entries(p).map(([name, v]) => {
    const kind = kindOf(v);
    const value = kind === 'yuan' ? (v as { yuan: string }).yuan : Array.isArray(v) ? [...v] : v;
    return { name, kind, value: value as ParamRow['value'] };
  });
}

export function wireParam(row: ParamRow): WireParam {
  const v = row.value;
  switch (row.kind) {
    case 'number':
      return typeof v === 'number' ? v : Number(v ?? 0);
    case 'boolean':
      return v === true;
    case 'codes':
      return Array.isArray(v) ? v.map((x) => String(x).trim()).filter((x) => x !== '') : [];
    case 'yuan':
      return { yuan: String(v ?? '').trim() };
    default:
      return String(v ?? '');
  }
}

/** A stored version as the form's values. */
export function formOf(r: RuleVersion): RuleFormValues {
  return {
    code: r.code,
    name: r.name,
    theme: r.theme,
    basis: r.basis,
    trigger: r.trigger,
    regions: [...r.scope.regions],
    level: r.scope.level,
    condition: r.condition,
    params: paramRows(r.params),
    warningLevel: r.warningLevel,
    action: r.action,
    promptZh: r.prompt['zh-CN'],
    promptEn: r.prompt.en,
    effectiveFrom: r.effectiveFrom,
    ...(r.effectiveTo ? { effectiveTo: r.effectiveTo } : {}),
    enabled: r.enabled,
  };
}

/** A new rule's starting values in `region`, effective from the start of `year`. */
export function blankForm(region: string, year: number): RuleFormValues {
  return {
    code: '',
    name: '',
    theme: '',
    basis: '',
    trigger: 'submit',
    regions: [region],
    level: 'finance',
    condition: '',
    params: [],
    warningLevel: 'yellow',
    action: 'warn',
    promptZh: '',
    promptEn: '',
    effectiveFrom: `${year}-01-01`,
    enabled: true,
  };
}

/** The form as the `RuleDefinition` that `monitorRule.save` and the test/backtest endpoints take. */
export function definitionOf(v: RuleFormValues): RuleDefinition {
  const params: Record<string, WireParam> = {};
  for (const row of v.params ?? []) {
    const name = row.name?.trim();
    if (name) params[name] = wireParam(row);
  }
  const to = v.effectiveTo?.trim();
  return {
    code: v.code.trim(),
    name: v.name.trim(),
    theme: v.theme.trim(),
    basis: (v.basis ?? '').trim(),
    trigger: v.trigger,
    scope: { regions: v.regions.map((r) => r.trim()), level: v.level },
    condition: v.condition,
    params,
    warningLevel: v.warningLevel,
    action: v.action,
    prompt: { 'zh-CN': v.promptZh.trim(), en: v.promptEn.trim() },
    effectiveFrom: v.effectiveFrom.trim(),
    ...(to ? { effectiveTo: to } : {}),
    enabled: v.enabled,
  };
}

/** A stored version as a definition (the list's switch saves it again with `enabled` flipped). */
export function definitionOfVersion(r: RuleVersion): RuleDefinition {
  return definitionOf(formOf(r));
}

/** How a parameter value reads in the list and the history. */
export function paramText(v: WireParam): string {
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (Array.isArray(v)) return v.join('、') || '（空）';
  if (typeof v === 'object') return `${v.yuan} 元`;
  return String(v);
}
