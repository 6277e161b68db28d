import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { applyPosting, type Balances, balanceOf } from './balances';
import { defaultChart } from './chart';
import type { ControlContext, PaymentFacts } from './control-types';
import { blockingViolations, evaluateControls } from './controls';
import { defaultControlRules } from './default-rules';
import { type Elements, elementKey, elements, noFlags } from './elements';
import { assertBalanced } from './posting';
import { type Pool, postingsFor, type ScenarioInput } from './scenarios';

const accounts = new Map(defaultChart.map((a) => [a.code, a]));
const YEAR = 2025;

// A few indicators that between them reach every default rule: plain, 政采, and 以收定支 (fund 21).
const indicators: readonly Elements[] = [
  elements({
    indicatorId: 'A',
    agencyCode: '101001',
    fundTypeCode: '111',
    expFuncCode: '2010101',
    depEcoCode: '30201',
  }),
  elements({
    indicatorId: 'B',
    agencyCode: '101002',
    fundTypeCode: '111',
    expFuncCode: '2050101',
    depEcoCode: '30217',
    flags: { ...noFlags, govProcurement: true, sanGong: true },
  }),
  elements({
    indicatorId: 'C',
    agencyCode: '101001',
    fundTypeCode: '21',
    expFuncCode: '2130101',
    depEcoCode: '30201',
  }),
];
const RECEIPTS = 30_000n;

const op = fc.record({
  kind: fc.constantFrom(
    'approve',
    'approve',
    'freeze',
    'unfreeze',
    'transfer',
    'usePlan',
    'applicationApproved',
    'applicationApproved',
    'bankPaid',
    'refund',
  ),
  from: fc.nat({ max: indicators.length - 1 }),
  to: fc.nat({ max: indicators.length - 1 }),
  amount: fc.bigInt({ min: 1n, max: 20_000n }),
  pool: fc.constantFrom<Pool>('executable', 'unallocated'),
  fromPlan: fc.boolean(),
  contractNo: fc.constantFrom(null, 'HT-1'),
  extraApproval: fc.boolean(),
});
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

function input(o: Op): ScenarioInput {
  const ind = indicators[o.from]!;
  const base = { year: YEAR, amount: o.amount };
  switch (o.kind) {
    case 'approve':
      return { ...base, scenario: 'approve', to: ind, pool: o.pool, source: '1001' };
    case 'freeze':
    case 'unfreeze':
      return { ...base, scenario: o.kind, target: ind, pool: o.pool };
    case 'transfer':
      return { ...base, scenario: 'transfer', from: ind, to: indicators[o.to]! };
    case 'applicationApproved':
      return { ...base, scenario: 'applicationApproved', indicator: ind, fromPlan: o.fromPlan };
    default:
      return { ...base, scenario: o.kind as 'usePlan' | 'bankPaid' | 'refund', indicator: ind };
  }
}

/** 以收定支 spending so far: in flight (2401) and paid (2501) on the fund type's indicators. */
function spent(balances: Balances, fundType: string, agency: string | null): bigint {
  return indicators
    .filter((e) => e.fundTypeCode === fundType && e.agencyCode === agency)
    .reduce(
      (s, e) => s + balanceOf(balances, '2401', elementKey(e)) + balanceOf(balances, '2501', elementKey(e)),
      0n,
    );
}

test.prop([
  fc.array(op, { maxLength: 60 }),
  fc.boolean(),
  fc.constantFrom(`${YEAR}-06-30`, `${YEAR + 1}-01-10`),
])(
  'postings that pass the default controls keep the ledger balanced and never negative',
  (ops, usePlans, on) => {
    const rules = defaultControlRules();
    let balances: Balances = new Map();
    for (const o of ops) {
      const payment: PaymentFacts = {
        elements: indicators[o.from]!,
        contractNo: o.contractNo,
        payeeAccountKind: 'other',
        beneficiaryCount: 1,
        extraApproval: o.extraApproval,
      };
      for (const posting of postingsFor(input(o))) {
        assertBalanced(posting);
        const before = balances;
        const after = applyPosting(before, posting, accounts);
        const ctx: ControlContext = {
          regionAncestry: ['330000'],
          on,
          scenario: o.kind,
          posting,
          accounts,
          before: (a, k) => balanceOf(before, a, k),
          after: (a, k) => balanceOf(after, a, k),
          payment: o.kind === 'applicationApproved' ? payment : null,
          receipts: () => RECEIPTS,
          spent: (f, ag) => spent(before, f, ag),
          settings: { usePlans },
        };
        if (blockingViolations(evaluateControls(rules, ctx)).length === 0) balances = after;
      }
      let sources = 0n;
      let holdings = 0n;
      for (const [k, v] of balances) {
        const account = accounts.get(k.slice(0, k.indexOf('|')))!;
        expect(v, k).toBeGreaterThanOrEqual(0n);
        if (account.accountClass === 'source') sources += v;
        else holdings += v;
      }
      expect(sources).toBe(holdings);
      expect(spent(balances, '21', '101001')).toBeLessThanOrEqual(RECEIPTS);
    }
  },
);
