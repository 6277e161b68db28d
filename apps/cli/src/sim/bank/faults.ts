import { chosen } from './decisions';
import type { Faults } from './options';

/**
 * Injected faults for joint testing. Each is decided from the seed and the voucher (or message)
 * key, and applies to the first attempt only, so a correct counterpart always recovers.
 */
export type FaultKind =
  | 'drop'
  | 'duplicate'
  | 'alter'
  | 'breakSignature'
  | 'duplicateClearing'
  | 'loseReceipt'
  | 'doubleRefund';

export class FaultPlan {
  private readonly used = new Set<string>();

  constructor(
    private readonly seed: string,
    private readonly faults: Faults,
  ) {}

  /** Whether the fault hits `key` on this attempt; true at most once per key and kind. */
  take(kind: FaultKind, key: string): boolean {
    const id = `${kind}\u0000${key}`;
    if (this.used.has(id) || !chosen(this.seed, `fault-${kind}`, key, this.faults[kind] ?? 0)) return false;
    this.used.add(id);
    return true;
  }

  /** Whether the fault would hit `key` (its first attempt), without using it up. */
  planned(kind: FaultKind, key: string): boolean {
    return chosen(this.seed, `fault-${kind}`, key, this.faults[kind] ?? 0);
  }
}
