import type { ControlContext, ControlKind, ControlRule, Violation } from './control-types';
import { availableNonNegative } from './controls/available-non-negative';
import { directReachBeneficiaries } from './controls/direct-reach-beneficiaries';
import { elementsMatch } from './controls/elements-match';
import { executableOnly } from './controls/executable-only';
import { govProcurementContract } from './controls/gov-procurement-contract';
import { largePayment } from './controls/large-payment';
import { periodCutoff } from './controls/period-cutoff';
import { salaryPayroll } from './controls/salary-payroll';
import { sanGongLevel } from './controls/san-gong-level';
import type { Evaluator } from './controls/shared';
import { spendWithinReceipts } from './controls/spend-within-receipts';
import { usePlanCeiling } from './controls/use-plan-ceiling';

/** Typed as a full record so a new ControlKind does not compile until it has an evaluator. */
const evaluators: Record<ControlKind, Evaluator> = {
  availableNonNegative,
  executableOnly,
  elementsMatch,
  sanGongLevel,
  spendWithinReceipts,
  usePlanCeiling,
  govProcurementContract,
  salaryPayroll,
  directReachBeneficiaries,
  largePayment,
  periodCutoff,
};

/** A rule applies in each listed region and its subtree, and to postings touching a listed fund type. */
export function ruleApplies(rule: ControlRule, ctx: ControlContext): boolean {
  const { regions, fundTypes } = rule.scope;
  if (regions !== null && !regions.some((r) => ctx.regionAncestry.includes(r))) return false;
  if (fundTypes === null) return true;
  return ctx.posting.lines.some((l) => fundTypes.some((f) => l.elements.fundTypeCode.startsWith(f)));
}

/**
 * 控制: every enabled rule in scope, evaluated by its kind. Returns all findings, blocking and
 * warning, in rule order, so a refusal names every rule that stopped the posting at once rather
 * than making the user fix them one by one. Pure: the engine supplies balances and facts.
 */
export function evaluateControls(rules: readonly ControlRule[], ctx: ControlContext): Violation[] {
  return rules.filter((r) => r.enabled && ruleApplies(r, ctx)).flatMap((r) => evaluators[r.kind](r, ctx));
}

/** The findings that stop a posting (warnings are recorded, not enforced). */
export function blockingViolations(violations: readonly Violation[]): Violation[] {
  return violations.filter((v) => v.action === 'block');
}
