import { checkExpression } from './expression';
import { type RuleParam, subjectSchema } from './subject';
import type { ExpressionError, LocalizedText } from './types';

/** 预警级别: 黄/橙/红/灰/蓝 (1–5 in the source systems; stored by meaning, not ordinal). */
export type WarningLevel = 'yellow' | 'orange' | 'red' | 'grey' | 'blue';

/** 处理方式: 预警 / 预警需说明 / 拦截 / 冻结 / 禁止 / 记录. */
export type RuleAction = 'warn' | 'warnExplain' | 'hold' | 'freeze' | 'forbid' | 'record';

/** 触发类型: 事中 (on submit / on approval, can block) or 定时 (scheduled, after the fact). */
export type RuleTrigger = 'submit' | 'approve' | 'scheduled';

/** 管理级次. */
export type RuleLevel = 'system' | 'finance' | 'department';

/** 监控规则, one version of it. A change is a new version; versions are never edited in place. */
export interface MonitorRule {
  code: string;
  version: number;
  /** 监控规则名称 */
  name: string;
  /** 监控主题 (cash, personalTransfer, directReach …) */
  theme: string;
  /** 规则依据 */
  basis: string;
  trigger: RuleTrigger;
  scope: {
    /** 生效范围: region-code prefixes; '' covers every region. */
    regions: readonly string[];
    level: RuleLevel;
  };
  /** Condition in the rule language; see `parser.ts` for the grammar. */
  condition: string;
  /** 函数参数: thresholds the condition reads as `params.<name>`. */
  params: Readonly<Record<string, RuleParam>>;
  warningLevel: WarningLevel;
  action: RuleAction;
  /** 预警提示; `{amount}` and `{payee}` are filled from the payment. */
  prompt: LocalizedText;
  /** First and (inclusive) last business date, YYYY-MM-DD. */
  effectiveFrom: string;
  effectiveTo?: string;
  enabled: boolean;
}

export interface RuleIssue {
  code: 'MONITOR_RULE_INVALID' | ExpressionError['code'];
  field: string;
  position?: number;
  message: LocalizedText;
}

const CODE = /^[A-Z][A-Z0-9_]{1,47}$/;
const REGION_PREFIX = /^\d{0,9}$/;
const PARAM_NAME = /^[a-z][A-Za-z0-9]{0,31}$/;
/** Actions that stop or hold a payment; a scheduled rule runs after the money left and can only report. */
const BLOCKING: ReadonlySet<RuleAction> = new Set(['hold', 'freeze', 'forbid']);

export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m === null) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

/** Everything wrong with a rule version, for the rule editor's save. Empty when the rule is sound. */
export function validateRule(rule: MonitorRule): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const bad = (field: string, zh: string, en: string): void => {
    issues.push({ code: 'MONITOR_RULE_INVALID', field, message: { 'zh-CN': zh, en } });
  };
  if (!CODE.test(rule.code))
    bad('code', '规则编码应为大写字母、数字和下划线', 'rule code must be UPPER_SNAKE');
  if (!Number.isSafeInteger(rule.version) || rule.version < 1)
    bad('version', '版本号应为正整数', 'version must be a positive integer');
  if (rule.name.trim() === '') bad('name', '规则名称不能为空', 'name is required');
  if (rule.prompt['zh-CN'].trim() === '' || rule.prompt.en.trim() === '') {
    bad('prompt', '预警提示不能为空', 'prompt is required in both languages');
  }
  if (rule.scope.regions.length === 0)
    bad('scope.regions', '生效范围不能为空', 'scope needs at least one region');
  for (const r of rule.scope.regions) {
    if (!REGION_PREFIX.test(r)) bad('scope.regions', `区划前缀 ${r} 无效`, `region prefix ${r} is invalid`);
  }
  if (!isIsoDate(rule.effectiveFrom)) bad('effectiveFrom', '生效日期无效', 'effectiveFrom is not a date');
  if (rule.effectiveTo !== undefined) {
    if (!isIsoDate(rule.effectiveTo)) bad('effectiveTo', '失效日期无效', 'effectiveTo is not a date');
    else if (rule.effectiveTo < rule.effectiveFrom)
      bad('effectiveTo', '失效日期早于生效日期', 'effectiveTo is before effectiveFrom');
  }
  if (rule.trigger === 'scheduled' && BLOCKING.has(rule.action)) {
    bad(
      'action',
      '定时触发的规则只能预警或记录，不能拦截、冻结或禁止',
      'a scheduled rule can only warn or record, not hold, freeze or forbid',
    );
  }
  for (const [k, v] of Object.entries(rule.params)) {
    if (!PARAM_NAME.test(k)) bad(`params.${k}`, `参数名 ${k} 无效`, `parameter name ${k} is invalid`);
    if (typeof v === 'number' && !Number.isFinite(v))
      bad(`params.${k}`, `参数 ${k} 不是有限数`, `parameter ${k} is not finite`);
  }
  const checked = checkExpression(rule.condition, subjectSchema(rule.params));
  if (!checked.ok) {
    for (const e of checked.errors)
      issues.push({ code: e.code, field: 'condition', position: e.position, message: e.message });
  }
  return issues;
}

function inRegion(prefixes: readonly string[], region: string): boolean {
  return prefixes.some((p) => region.startsWith(p));
}

/**
 * The rules to run for one payment: per code, the highest version effective on `on` (from ≤ on ≤
 * to); that version must be enabled, cover `region` and fire on `trigger`. Choosing the version
 * before filtering means a newer version that is disabled or narrowed switches the rule off — it
 * never falls back to an older version.
 */
export function applicableRules(
  rules: readonly MonitorRule[],
  at: { region: string; on: string; trigger: RuleTrigger },
): MonitorRule[] {
  const latest = new Map<string, MonitorRule>();
  for (const r of rules) {
    if (r.effectiveFrom > at.on || (r.effectiveTo !== undefined && r.effectiveTo < at.on)) continue;
    const seen = latest.get(r.code);
    if (seen === undefined || r.version > seen.version) latest.set(r.code, r);
  }
  return [...latest.values()]
    .filter((r) => r.enabled && r.trigger === at.trigger && inRegion(r.scope.regions, at.region))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
