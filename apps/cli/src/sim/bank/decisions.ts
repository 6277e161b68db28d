import { createHash } from 'node:crypto';

/**
 * Every choice the simulated bank makes is a pure function of the seed and the voucher key, so a
 * restart (or a second run with the same seed) decides exactly the same.
 */

/** A number in [0, 1) from SHA-256(seed ‖ purpose ‖ key). */
export function fraction(seed: string, purpose: string, key: string): number {
  const digest = createHash('sha256').update(`${seed}\u0000${purpose}\u0000${key}`).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/** True for a share `rate` of keys; rate 0 never, rate 1 always. */
export function chosen(seed: string, purpose: string, key: string, rate: number): boolean {
  return rate > 0 && fraction(seed, purpose, key) < rate;
}

/** Hex digest for derived identifiers (refund voucher numbers). */
export function shortHash(seed: string, purpose: string, key: string, length = 16): string {
  return createHash('sha256').update(`${seed}\u0000${purpose}\u0000${key}`).digest('hex').slice(0, length);
}

export const RETURN_REASONS = [
  '收款账户已销户',
  '收款人户名与账号不符',
  '收款账户已冻结',
  '收款行行号有误',
] as const;

export const BOUNCE_REASONS = [
  '收款行退票：账户不存在',
  '收款行退票：户名不符',
  '收款行退票：账户状态异常',
] as const;

/** 处理结果：付款（之后可能退票）或退回。 */
export type Outcome =
  | { readonly kind: 'pay'; readonly bounce: boolean }
  | { readonly kind: 'return'; readonly reason: string };

export interface OutcomeRules {
  readonly seed: string;
  readonly returnRate: number;
  readonly bounceRate: number;
}

function pick<T>(items: readonly T[], seed: string, purpose: string, key: string): T {
  return items[Math.floor(fraction(seed, purpose, key) * items.length)] ?? (items[0] as T);
}

/**
 * Payee names decide first (`退回` → returned, `退票` → paid then bounced) so joint tests can
 * provoke either on purpose; otherwise the rates decide.
 */
export function decideOutcome(key: string, payeeAcctName: string, rules: OutcomeRules): Outcome {
  if (payeeAcctName.includes('退回')) return { kind: 'return', reason: '收款账户状态异常（模拟退回）' };
  if (payeeAcctName.includes('退票')) return { kind: 'pay', bounce: true };
  if (chosen(rules.seed, 'return', key, rules.returnRate)) {
    return { kind: 'return', reason: pick(RETURN_REASONS, rules.seed, 'return-reason', key) };
  }
  return { kind: 'pay', bounce: chosen(rules.seed, 'bounce', key, rules.bounceRate) };
}

export function bounceReason(seed: string, key: string): string {
  return pick(BOUNCE_REASONS, seed, 'bounce-reason', key);
}
