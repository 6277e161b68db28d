import { chosen } from '../bank/decisions';
import type { PbocFaults } from './options';

/**
 * Injected faults for joint testing, decided from the seed and the voucher (or report line) key
 * with the bank simulator's `chosen`, so a restart or a rerun with the same seed decides the same.
 * `breakSignature` and `duplicate` apply to the first attempt only (within a run); `loseReceipt`
 * and `alter` are permanent for their key (a lost receipt stays lost, an altered line stays altered).
 */
export type PbocFaultKind = keyof PbocFaults;

export class FaultPlan {
  private readonly used = new Set<string>();

  constructor(
    private readonly seed: string,
    private readonly faults: PbocFaults,
  ) {}

  /** Whether the fault is planned for `key` (pure). */
  planned(kind: PbocFaultKind, key: string): boolean {
    return chosen(this.seed, `pboc-fault-${kind}`, key, this.faults[kind]);
  }

  /** Whether the fault hits `key` on this attempt; true at most once per key and kind. */
  take(kind: PbocFaultKind, key: string): boolean {
    const id = `${kind}\u0000${key}`;
    if (this.used.has(id) || !this.planned(kind, key)) return false;
    this.used.add(id);
    return true;
  }
}
