import { defaultYearendPolicy, type YearendPolicy, yearendPolicySchema } from '@fiscus/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { elements } from '../../ledger/domain/elements';
import { assertBalanced } from '../../ledger/domain/posting';
import {
  type BalanceFacts,
  carriedIndicatorId,
  decide,
  nextYearElements,
  plan,
  type UnspentBalance,
  yearendPostings,
} from './policy';

const facts = (over: Partial<BalanceFacts> = {}): BalanceFacts => ({
  pool: 'executable',
  fundTypeCode: '111',
  indicatorTypeCode: null,
  sourceTypeCode: '1',
  directReach: false,
  ...over,
});

describe('the default year-end policy', () => {
  it('carries project, transfer and direct-reach funds, lapses basic expenditure and the rest', () => {
    const d = (o: Partial<BalanceFacts>) => decide(defaultYearendPolicy, facts(o)).action;
    expect(d({ indicatorTypeCode: '21' })).toBe('carry');
    expect(d({ indicatorTypeCode: '32', pool: 'unallocated' })).toBe('carry');
    expect(d({ indicatorTypeCode: '11' })).toBe('lapse');
    expect(d({ indicatorTypeCode: '12', directReach: true })).toBe('carry');
    expect(d({ indicatorTypeCode: null })).toBe('lapse');
    expect(yearendPolicySchema.parse(defaultYearendPolicy)).toEqual(defaultYearendPolicy);
  });

  it('matches rules in order, by prefix, and names the rule that decided', () => {
    const p: YearendPolicy = {
      rules: [
        { fundTypeCode: '12', action: 'carry' },
        { pool: 'unallocated', sourceTypeCode: '2', action: 'carry' },
        { fundTypeCode: '1', action: 'lapse' },
      ],
      otherwise: 'carry',
    };
    expect(decide(p, facts({ fundTypeCode: '122' }))).toEqual({ action: 'carry', rule: 0 });
    expect(decide(p, facts({ pool: 'unallocated', sourceTypeCode: '2' }))).toEqual({
      action: 'carry',
      rule: 1,
    });
    expect(decide(p, facts({ sourceTypeCode: '2' }))).toEqual({ action: 'lapse', rule: 2 });
    expect(decide(p, facts({ fundTypeCode: '3' }))).toEqual({ action: 'carry', rule: null });
  });
});

describe('year-end postings', () => {
  const from = elements({
    indicatorId: 'A-1',
    fundTypeCode: '111',
    agencyCode: '205002',
    sourceTypeCode: '1',
  });
  const next = nextYearElements(from, carriedIndicatorId('A-1', 2027));

  it('carry: 借2101/贷2601 this year, 借1003/贷2101 next year with lineage; unallocated on 2001', () => {
    const e = yearendPostings('carry', 'executable', 2026, 500n, from, next);
    expect(e.thisYear.lines.map((l) => `${l.side} ${l.account}`)).toEqual(['debit 2101', 'credit 2601']);
    expect(e.nextYear?.year).toBe(2027);
    expect(e.nextYear?.lines.map((l) => `${l.side} ${l.account}`)).toEqual(['debit 1003', 'credit 2101']);
    expect(e.nextYear?.lines[1]?.elements).toMatchObject({
      indicatorId: 'JZ2027-A-1',
      originIndicatorId: 'A-1',
      sourceTypeCode: '3',
      agencyCode: '205002',
    });
    const u = yearendPostings('carry', 'unallocated', 2026, 500n, from, next);
    expect(u.thisYear.lines.map((l) => `${l.side} ${l.account}`)).toEqual(['debit 2001', 'credit 2601']);
    expect(u.nextYear?.lines.map((l) => `${l.side} ${l.account}`)).toEqual(['debit 1003', 'credit 2001']);
  });

  it('lapse: 借2101/贷2602 (or 2001), nothing next year', () => {
    const e = yearendPostings('lapse', 'executable', 2026, 500n, from, null);
    expect(e.thisYear.lines.map((l) => `${l.side} ${l.account}`)).toEqual(['debit 2101', 'credit 2602']);
    expect(e.nextYear).toBeNull();
    const u = yearendPostings('lapse', 'unallocated', 2026, 500n, from, null);
    expect(u.thisYear.lines.map((l) => `${l.side} ${l.account}`)).toEqual(['debit 2001', 'credit 2602']);
  });

  it('names next-year indicators stably and within 38 characters', () => {
    expect(carriedIndicatorId('A-1', 2027)).toBe('JZ2027-A-1');
    const long = 'X'.repeat(38);
    const id = carriedIndicatorId(long, 2027);
    expect(id.length).toBeLessThanOrEqual(38);
    expect(id).toBe(carriedIndicatorId(long, 2027));
    expect(id).not.toBe(carriedIndicatorId(`${'X'.repeat(37)}Y`, 2027));
  });
});

const code = (digits: string) => fc.stringMatching(new RegExp(`^[${digits}]{1,3}$`));
const factsArb = fc.record({
  pool: fc.constantFrom('executable' as const, 'unallocated' as const),
  fundTypeCode: code('123'),
  indicatorTypeCode: fc.option(code('123'), { nil: null }),
  sourceTypeCode: fc.option(code('1235'), { nil: null }),
  directReach: fc.boolean(),
});
const balanceArb: fc.Arbitrary<UnspentBalance> = fc
  .tuple(factsArb, fc.bigInt({ min: 1n, max: 10n ** 12n }))
  .map(([f, amount]) => ({ ...f, amount }));
const ruleArb = fc.record(
  {
    pool: fc.constantFrom('executable' as const, 'unallocated' as const),
    fundTypeCode: code('123'),
    indicatorTypeCode: code('123'),
    sourceTypeCode: code('1235'),
    directReach: fc.boolean(),
    action: fc.constantFrom('carry' as const, 'lapse' as const),
  },
  { requiredKeys: ['action'] },
);
const policyArb: fc.Arbitrary<YearendPolicy> = fc.record({
  rules: fc.array(ruleArb, { maxLength: 6 }),
  otherwise: fc.constantFrom('carry' as const, 'lapse' as const),
});

describe('year-end plan (property)', () => {
  it('every balance is carried or lapsed exactly once: Σ carried + Σ lapsed = Σ unspent', () => {
    fc.assert(
      fc.property(fc.array(balanceArb, { maxLength: 60 }), policyArb, (balances, policy) => {
        const p = plan(balances, policy);
        const unspent = balances.reduce((s, b) => s + b.amount, 0n);
        expect(p.carry.amount + p.lapse.amount).toBe(unspent);
        expect(p.carry.count + p.lapse.count).toBe(balances.length);
        // Each balance counted once, under the action decide() gives it.
        let carried = 0n;
        for (const b of balances) if (decide(policy, b).action === 'carry') carried += b.amount;
        expect(p.carry.amount).toBe(carried);
        // The per-fund-type rows add up to the totals.
        const rows = p.byFundType.reduce((s, r) => s + r.amount, 0n);
        expect(rows).toBe(unspent);
        // And every decision's postings balance and move exactly the amount.
        for (const b of balances) {
          const { action } = decide(policy, b);
          const from = elements({ indicatorId: 'I', fundTypeCode: b.fundTypeCode });
          const e = yearendPostings(action, b.pool, 2026, b.amount, from, nextYearElements(from, 'JZ2027-I'));
          assertBalanced(e.thisYear);
          if (e.nextYear) assertBalanced(e.nextYear);
          expect(e.nextYear === null).toBe(action === 'lapse');
          expect(e.thisYear.lines[0]?.amount).toBe(b.amount);
        }
      }),
    );
  });
});
