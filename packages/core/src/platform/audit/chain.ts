import { canonicalJson } from '../../kernel/canonical-json';
import { sm3Hex } from '../gm/sm3';

/** What an audit record says; its hash covers every field plus the previous record's hash. */
export interface AuditEntry {
  regionCode: string;
  seq: bigint;
  recordedAt: string;
  actor: string;
  commandId: string | null;
  commandType: string;
  fiscalYear: number | null;
  businessDate: string | null;
  outcome: 'accepted' | 'rejected';
  errorCode: string | null;
  detail: unknown;
}

export interface ChainedEntry extends AuditEntry {
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

export function hashEntry(prevHash: string, e: AuditEntry): string {
  return sm3Hex(`${prevHash}\n${canonicalJson({ ...e, seq: e.seq.toString() })}`);
}

/** Link new entries after a head (seq, hash). Pure. */
export function chainEntries(
  head: { seq: bigint; hash: string },
  entries: readonly Omit<AuditEntry, 'seq'>[],
): ChainedEntry[] {
  let prev = head.hash;
  let seq = head.seq;
  return entries.map((e) => {
    seq += 1n;
    const full: AuditEntry = { ...e, seq };
    const hash = hashEntry(prev, full);
    const out = { ...full, prevHash: prev, hash };
    prev = hash;
    return out;
  });
}

export type ChainProblemKind = 'hash_mismatch' | 'link_broken' | 'seq_gap' | 'head_mismatch';

export interface ChainProblem {
  regionCode: string;
  seq: string;
  kind: ChainProblemKind;
  detail: string;
}

/**
 * Walk records of one region in seq order (possibly in pages, keeping `state` between calls).
 * Detects an edited record (hash), a deleted one (seq gap / link), a reordering (link).
 */
export class ChainVerifier {
  private prevHash = GENESIS_HASH;
  private prevSeq = 0n;
  readonly problems: ChainProblem[] = [];
  count = 0;

  constructor(readonly regionCode: string) {}

  push(r: ChainedEntry): void {
    this.count++;
    const seq = r.seq.toString();
    if (r.seq !== this.prevSeq + 1n) {
      this.problems.push({
        regionCode: this.regionCode,
        seq,
        kind: 'seq_gap',
        detail: `expected seq ${this.prevSeq + 1n}, found ${seq}`,
      });
    }
    if (r.prevHash !== this.prevHash) {
      this.problems.push({
        regionCode: this.regionCode,
        seq,
        kind: 'link_broken',
        detail: 'prev_hash does not match the record before',
      });
    }
    const { prevHash, hash, ...entry } = r;
    if (hashEntry(prevHash, entry) !== hash) {
      this.problems.push({
        regionCode: this.regionCode,
        seq,
        kind: 'hash_mismatch',
        detail: 'content does not match its hash',
      });
    }
    this.prevHash = hash;
    this.prevSeq = r.seq;
  }

  finish(head: { seq: bigint; hash: string } | null): ChainProblem[] {
    const expectSeq = head?.seq ?? 0n;
    const expectHash = head?.hash ?? GENESIS_HASH;
    if (expectSeq !== this.prevSeq || expectHash !== this.prevHash) {
      this.problems.push({
        regionCode: this.regionCode,
        seq: this.prevSeq.toString(),
        kind: 'head_mismatch',
        detail: `chain head says seq ${expectSeq}; records end at ${this.prevSeq}`,
      });
    }
    return this.problems;
  }
}
