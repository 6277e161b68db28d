import { type RuleDefinition, ruleDefinitionSchema } from '@fiscus/contracts';
import { zodIssues } from '../commands/issues';
import { FiscusError } from '../kernel/errors';
import { type MonitorRule, validateRule } from './domain/rules';
import { paramsFromWire } from './store/rules';

/**
 * A rule definition from outside the command pipeline (a JSON file, a query body), parsed as the
 * save command parses it; anything off is `VALIDATION_FAILED` naming the fields.
 */
export function parseRuleDefinition(input: unknown): RuleDefinition {
  const r = ruleDefinitionSchema.safeParse(input);
  if (r.success) return r.data;
  const issues = zodIssues(ruleDefinitionSchema, input, r.error);
  throw new FiscusError(
    'VALIDATION_FAILED',
    { detail: issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ') },
    issues,
  );
}

/** The wire definition as the stored rule version `version` (money params `{yuan}` → fen). */
export function ruleFromDefinition(w: RuleDefinition, version: number): MonitorRule {
  const { effectiveTo, ...rest } = w;
  return {
    ...rest,
    version,
    params: paramsFromWire(w.params),
    ...(effectiveTo === undefined ? {} : { effectiveTo }),
  };
}

/**
 * The wire definition as rule version `version`, checked as a save checks it: a condition that
 * does not parse or type-check (or tries anything outside the language, e.g. `constructor('x')`)
 * is `MONITOR_EXPRESSION_INVALID`, any other defect `MONITOR_RULE_INVALID`. Shared by
 * `monitorRule.save` and backtesting, so a rule that can be tried is a rule that can be saved.
 */
export function checkedRule(w: RuleDefinition, version: number): MonitorRule {
  const rule = ruleFromDefinition(w, version);
  const issues = validateRule(rule);
  if (issues.length > 0) {
    const code = issues.some((i) => i.code === 'MONITOR_EXPRESSION_INVALID')
      ? 'MONITOR_EXPRESSION_INVALID'
      : 'MONITOR_RULE_INVALID';
    throw new FiscusError(
      code,
      { detail: issues.map((i) => `${i.field}: ${i.message['zh-CN']}`).join('; ') },
      issues.map((i) => ({
        path: i.field,
        code: i.code,
        message: i.message.en,
        messageZh: i.message['zh-CN'],
      })),
    );
  }
  return rule;
}
