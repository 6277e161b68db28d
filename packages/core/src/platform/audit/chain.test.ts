import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { type AuditEntry, type ChainedEntry, ChainVerifier, chainEntries, GENESIS_HASH } from './chain';

function entries(n: number): Omit<AuditEntry, 'seq'>[] {
  return Array.from({ length: n }, (_, i) => ({
    regionCode: '530700000',
    recordedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    actor: `user${i % 3}`,
    commandId: `c${i}`,
    commandType: 'payee.save',
    fiscalYear: 2026,
    businessDate: '2026-01-01',
    outcome: i % 4 === 0 ? 'rejected' : 'accepted',
    errorCode: i % 4 === 0 ? 'PERMISSION_DENIED' : null,
    detail: { payload: { code: `P${i}`, amount: `${i}.00` } },
  }));
}

function verify(records: ChainedEntry[], head: { seq: bigint; hash: string } | null) {
  const v = new ChainVerifier('530700000');
  for (const r of records) v.push(r);
  return v.finish(head);
}

const headOf = (c: ChainedEntry[]) => ({ seq: c[c.length - 1]!.seq, hash: c[c.length - 1]!.hash });

describe('audit hash chain', () => {
  it('verifies an untouched chain, also when appended in several batches', () => {
    const first = chainEntries({ seq: 0n, hash: GENESIS_HASH }, entries(5));
    const second = chainEntries(headOf(first), entries(3));
    const all = [...first, ...second];
    expect(all.map((e) => e.seq)).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n]);
    expect(verify(all, headOf(all))).toEqual([]);
  });

  test.prop([
    fc.integer({ min: 2, max: 30 }),
    fc.nat(),
    fc.constantFrom('edit', 'delete', 'swap', 'truncate'),
  ])('detects any single edit, deletion, swap or truncation', (n, pick, kind) => {
    const chain = chainEntries({ seq: 0n, hash: GENESIS_HASH }, entries(n));
    const head = headOf(chain);
    const i = pick % n;
    const copy = chain.map((e) => ({ ...e }));
    if (kind === 'edit') copy[i] = { ...copy[i]!, actor: 'mallory' };
    if (kind === 'delete') copy.splice(i, 1);
    if (kind === 'truncate') copy.pop();
    if (kind === 'swap') {
      const j = (i + 1) % n;
      const a = copy[i]!;
      const b = copy[j]!;
      copy[i] = { ...b, seq: a.seq };
      copy[j] = { ...a, seq: b.seq };
    }
    expect(verify(copy, head).length).toBeGreaterThan(0);
  });
});
