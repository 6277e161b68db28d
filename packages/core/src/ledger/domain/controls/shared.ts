import { FiscusError } from '../../../kernel/errors';
import { formatYuan } from '../../../kernel/money';
import type { ControlContext, ControlRule, PaymentFacts, Violation } from '../control-types';
import { type Elements, elementKey } from '../elements';

/** One evaluator per rule kind: pure, reads only the context, returns every finding. */
export type Evaluator = (rule: ControlRule, ctx: ControlContext) => Violation[];

export function violation(
  rule: ControlRule,
  params: Record<string, string>,
  zh: string,
  en: string,
): Violation {
  return {
    rule: rule.code,
    version: rule.version,
    kind: rule.kind,
    action: rule.action,
    params,
    message: { 'zh-CN': zh, en },
  };
}

/** Fen as yuan for messages; params keep the exact fen. */
export const yuan = (fen: bigint): string => formatYuan(fen);

export const indicatorLabel = (id: string | null): string => id ?? '—';

/** The side of a payment-type entry that consumes the indicator. */
export interface Debited {
  account: string;
  elements: Elements;
  amount: bigint;
}

/**
 * The debited lines of the posting, one per (account, elements) with amounts summed. Payment
 * scenarios debit exactly one indicator line, so the debit side is "the indicator"; grouping keeps
 * the evaluators from repeating a finding if a caller ever splits a line.
 */
export function debited(ctx: ControlContext): Debited[] {
  const byKey = new Map<string, Debited>();
  for (const line of ctx.posting.lines) {
    if (line.side !== 'debit') continue;
    const k = `${line.account}|${elementKey(line.elements)}`;
    const seen = byKey.get(k);
    if (seen) seen.amount += line.amount;
    else byKey.set(k, { account: line.account, elements: line.elements, amount: line.amount });
  }
  return [...byKey.values()];
}

/** Scenarios that spend an indicator (plan or application). */
export const spendsIndicator = (ctx: ControlContext): boolean =>
  ctx.scenario === 'usePlan' || ctx.scenario === 'applicationApproved';

/**
 * The payment facts of an approved application, or null. Rules about the payment itself stay
 * silent without them: the payment module supplies those facts, and a ledger posting made
 * without them (a migration, a correction) is not a payment decision.
 */
export function applicationPayment(ctx: ControlContext): PaymentFacts | null {
  return ctx.scenario === 'applicationApproved' ? ctx.payment : null;
}

// Params are data an administrator edits. A missing param takes the kind's default; a param of the
// wrong shape is refused loudly rather than silently replaced, so a typo never disables a control.
function badParam(rule: ControlRule, name: string, expected: string): never {
  throw new FiscusError('VALIDATION_FAILED', {
    detail: `control rule ${rule.code} v${rule.version}: param ${name} must be ${expected}`,
  });
}

export function stringParam(rule: ControlRule, name: string, fallback: string, pattern?: RegExp): string {
  const v = rule.params[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || (pattern && !pattern.test(v)))
    badParam(rule, name, `a string like ${fallback}`);
  return v;
}

export function stringListParam(
  rule: ControlRule,
  name: string,
  fallback: readonly string[],
): readonly string[] {
  const v = rule.params[name];
  if (v === undefined) return fallback;
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string' && s !== '')) {
    badParam(rule, name, 'a list of non-empty codes');
  }
  return v as string[];
}

export function digitsParam(rule: ControlRule, name: string, fallback: number): number {
  const v = rule.params[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) badParam(rule, name, 'a positive integer');
  return v;
}

export function fenParam(rule: ControlRule, name: string, fallback: string): bigint {
  return BigInt(stringParam(rule, name, fallback, /^\d+$/));
}

const PERCENT = /^(\d+)(?:\.(\d+))?$/;

/**
 * How far below the limit a rule still lets a posting through, in fen. Percent is of `base`
 * (the balance or receipts the limit is about), rounded toward zero as bigint division does, and
 * never negative: a negative base must not turn a tolerance into a stricter limit.
 */
export function toleranceFen(rule: ControlRule, base: bigint): bigint {
  const t = rule.tolerance;
  if (t === null) return 0n;
  if (t.kind === 'absolute') {
    if (!/^\d+$/.test(t.value)) badParam(rule, 'tolerance', 'whole fen');
    return BigInt(t.value);
  }
  const m = PERCENT.exec(t.value);
  if (m === null) return badParam(rule, 'tolerance', 'a non-negative percent');
  const [, int = '', frac = ''] = m;
  const fen = (base * BigInt(int + frac)) / (100n * 10n ** BigInt(frac.length));
  return fen > 0n ? fen : 0n;
}
