import { formatYuan } from '../../kernel/money';
import { type CheckedExpression, checkExpression, evaluateExpression } from './expression';
import type { MonitorAggregates } from './functions';
import type { MonitorRule, RuleAction, WarningLevel } from './rules';
import { type PaymentSubject, subjectEnv, subjectSchema } from './subject';
import type { EvaluationError, ExpressionError, LocalizedText } from './types';

/** 预警: one rule that fired on one payment. */
export interface Finding {
  ruleCode: string;
  version: number;
  level: WarningLevel;
  action: RuleAction;
  message: LocalizedText;
}

/** A rule that could not be judged for this payment (bad stored condition, ÷0, failed aggregate). */
export interface RuleFailure {
  ruleCode: string;
  version: number;
  error: ExpressionError | EvaluationError;
}

export interface Evaluation {
  findings: Finding[];
  failures: RuleFailure[];
}

function fill(text: string, s: PaymentSubject): string {
  return text.replaceAll('{amount}', formatYuan(s.amountFen)).replaceAll('{payee}', s.payee.name);
}

/**
 * Runs the given rules (already chosen by `applicableRules`) against one payment. Pure; never
 * throws. A rule that fails is reported in `failures` and produces no finding: the caller decides
 * whether a failed blocking rule should hold the payment (the service does; see `decide`).
 */
export function evaluatePayment(
  rules: readonly MonitorRule[],
  subject: PaymentSubject,
  aggregates: MonitorAggregates,
): Evaluation {
  return evaluateCompiled(
    rules.map((rule) => {
      const checked = checkExpression(rule.condition, subjectSchema(rule.params));
      return {
        rule,
        expression: checked.ok ? checked.expression : null,
        errors: checked.ok ? [] : checked.errors,
      };
    }),
    subject,
    aggregates,
  );
}

/** A rule with its condition checked beforehand (the service caches these); null = does not check. */
export interface PreparedRule {
  rule: MonitorRule;
  expression: CheckedExpression | null;
  errors?: readonly ExpressionError[];
}

/** {@link evaluatePayment} over conditions already parsed and checked once. */
export function evaluateCompiled(
  rules: readonly PreparedRule[],
  subject: PaymentSubject,
  aggregates: MonitorAggregates,
): Evaluation {
  const findings: Finding[] = [];
  const failures: RuleFailure[] = [];
  for (const { rule, expression, errors } of rules) {
    if (expression === null) {
      const error: ExpressionError = errors?.[0] ?? {
        code: 'MONITOR_EXPRESSION_INVALID',
        position: 0,
        message: { 'zh-CN': '条件表达式无法通过校验', en: 'the condition does not check' },
      };
      failures.push({ ruleCode: rule.code, version: rule.version, error });
      continue;
    }
    const r = evaluateExpression(expression, { env: subjectEnv(subject, rule.params), aggregates });
    if (!r.ok) {
      failures.push({ ruleCode: rule.code, version: rule.version, error: r.error });
    } else if (r.value === true) {
      findings.push({
        ruleCode: rule.code,
        version: rule.version,
        level: rule.warningLevel,
        action: rule.action,
        message: { 'zh-CN': fill(rule.prompt['zh-CN'], subject), en: fill(rule.prompt.en, subject) },
      });
    }
  }
  return { findings, failures };
}

/** Strongest first: 禁止 > 冻结 > 拦截 > 预警需说明 > 预警 > 记录. */
export const ACTION_STRENGTH: readonly RuleAction[] = [
  'forbid',
  'freeze',
  'hold',
  'warnExplain',
  'warn',
  'record',
];

/** The one action the payment pipeline takes for a set of findings; `pass` when nothing fired. */
export function decide(findings: readonly Pick<Finding, 'action'>[]): RuleAction | 'pass' {
  for (const a of ACTION_STRENGTH) if (findings.some((f) => f.action === a)) return a;
  return 'pass';
}
