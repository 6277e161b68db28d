import { describe, expect, it } from 'vitest';
import { FiscusError } from '../../kernel/errors';
import { applyPosting, type Balances, balanceKey, balanceOf } from './balances';
import { defaultChart } from './chart';
import type { ControlContext, ControlKind, ControlRule, PaymentFacts, Violation } from './control-types';
import { blockingViolations, evaluateControls } from './controls';
import { defaultControlRules } from './default-rules';
import { type Elements, elementKey, elements, noFlags } from './elements';
import { credit, debit, type Posting } from './posting';
import { postingsFor, type Scenario, type ScenarioInput } from './scenarios';

const accounts = new Map(defaultChart.map((a) => [a.code, a]));
const YEAR = 2025;

const indicator = (over: Partial<Elements> = {}): Elements =>
  elements({
    indicatorId: 'BGT-1',
    agencyCode: '101001',
    projectCode: 'P-01',
    expFuncCode: '2010101',
    depEcoCode: '30201',
    fundTypeCode: '111',
    sourceTypeCode: '1',
    payTypeCode: '1',
    ...over,
  });

const post = (input: ScenarioInput): Posting => postingsFor(input)[0]!;

/** Balances after booking the inputs in order, from nothing. */
function booked(...inputs: ScenarioInput[]): Map<string, bigint> {
  return inputs
    .flatMap(postingsFor)
    .reduce((b, p) => applyPosting(b, p, accounts), new Map<string, bigint>());
}

const approve = (amount: bigint, to: Elements = indicator()): ScenarioInput => ({
  scenario: 'approve',
  year: YEAR,
  amount,
  to,
  pool: 'executable',
  source: '1001',
});
const usePlan = (amount: bigint, ind: Elements = indicator()): ScenarioInput => ({
  scenario: 'usePlan',
  year: YEAR,
  amount,
  indicator: ind,
});
const pay = (amount: bigint, ind: Elements = indicator(), fromPlan = false): ScenarioInput => ({
  scenario: 'applicationApproved',
  year: YEAR,
  amount,
  indicator: ind,
  fromPlan,
});

const facts = (over: Partial<PaymentFacts> = {}, el: Elements = indicator()): PaymentFacts => ({
  elements: el,
  contractNo: null,
  payeeAccountKind: 'other',
  beneficiaryCount: 0,
  extraApproval: false,
  ...over,
});

interface Setup {
  before?: Balances;
  payment?: PaymentFacts | null;
  on?: string;
  regionAncestry?: string[];
  usePlans?: boolean;
  receipts?: bigint;
  spent?: bigint;
}

function context(posting: Posting, s: Setup = {}): ControlContext {
  const before = s.before ?? new Map<string, bigint>();
  const after = applyPosting(before, posting, accounts);
  return {
    regionAncestry: s.regionAncestry ?? ['330000', '330100'],
    on: s.on ?? `${YEAR}-06-30`,
    scenario: posting.scenario as Scenario,
    posting,
    accounts,
    before: (a, k) => balanceOf(before, a, k),
    after: (a, k) => balanceOf(after, a, k),
    payment: s.payment ?? null,
    receipts: () => s.receipts ?? 0n,
    spent: () => s.spent ?? 0n,
    settings: { usePlans: s.usePlans ?? false },
  };
}

function ruleOf(kind: ControlKind, over: Partial<ControlRule> = {}): ControlRule {
  return { ...defaultControlRules().find((r) => r.kind === kind)!, ...over };
}

/** Evaluate one rule of `kind` (defaults unless overridden). */
const check = (
  kind: ControlKind,
  posting: Posting,
  s: Setup = {},
  over: Partial<ControlRule> = {},
): Violation[] => evaluateControls([ruleOf(kind, over)], context(posting, s));

const reasons = (vs: Violation[]) => vs.map((v) => v.params.reason);

describe('applyPosting', () => {
  it('moves each balance on its normal side and leaves the input untouched', () => {
    const before = booked(approve(10_000n));
    const after = applyPosting(before, post(usePlan(4_000n)), accounts);
    const k = elementKey(indicator());
    expect(balanceOf(after, '1001', k)).toBe(10_000n);
    expect(balanceOf(after, '2101', k)).toBe(6_000n);
    expect(balanceOf(after, '2301', k)).toBe(4_000n);
    expect(before.get(balanceKey('2101', k))).toBe(10_000n);
  });

  it('refuses an account outside the chart', () => {
    const p: Posting = {
      scenario: 'x',
      year: YEAR,
      lines: [debit('9999', 1n, indicator()), credit('2101', 1n, indicator())],
    };
    expect(() => applyPosting(new Map(), p, accounts)).toThrow(FiscusError);
  });
});

describe('availableNonNegative', () => {
  const before = booked(approve(10_000n));

  it('blocks a posting that overdraws an indicator and reports the balance', () => {
    const [v, ...rest] = check('availableNonNegative', post(usePlan(15_000n)), { before });
    expect(rest).toEqual([]);
    expect(v).toMatchObject({
      rule: 'AVAILABLE_NON_NEGATIVE',
      version: 1,
      action: 'block',
      params: { account: '2101', indicatorId: 'BGT-1', before: '10000', after: '-5000' },
    });
    expect(v?.message['zh-CN']).toContain('-50.00');
    expect(v?.message.en).toContain('2101');
  });

  it('passes when the balance covers the posting exactly', () => {
    expect(check('availableNonNegative', post(usePlan(10_000n)), { before })).toEqual([]);
  });

  it('reports once per account and indicator', () => {
    const ind = indicator();
    const p: Posting = {
      scenario: 'usePlan',
      year: YEAR,
      lines: [debit('2101', 6_000n, ind), debit('2101', 6_000n, ind), credit('2301', 12_000n, ind)],
    };
    expect(check('availableNonNegative', p, { before })).toHaveLength(1);
  });

  it('watches only the scope accounts when given', () => {
    const scope = { regions: null, fundTypes: null, accounts: ['2301'] };
    expect(check('availableNonNegative', post(usePlan(15_000n)), { before }, { scope })).toEqual([]);
  });

  it('does not blame a posting that raises a balance still below zero', () => {
    const k = elementKey(indicator());
    const overdrawn = new Map([
      [balanceKey('2101', k), -500n],
      [balanceKey('2501', k), 1_000n],
    ]);
    const refund: ScenarioInput = { scenario: 'refund', year: YEAR, amount: 100n, indicator: indicator() };
    expect(check('availableNonNegative', post(refund), { before: overdrawn })).toEqual([]);
  });

  it('allows an absolute tolerance in fen and no more', () => {
    const tolerance = { kind: 'absolute' as const, value: '500' };
    expect(check('availableNonNegative', post(usePlan(10_500n)), { before }, { tolerance })).toEqual([]);
    expect(check('availableNonNegative', post(usePlan(10_501n)), { before }, { tolerance })).toHaveLength(1);
  });

  it('allows a percent of the balance before, rounded toward zero', () => {
    const five = { kind: 'percent' as const, value: '5' }; // 5 % of 10 000 = 500
    expect(check('availableNonNegative', post(usePlan(10_500n)), { before }, { tolerance: five })).toEqual(
      [],
    );
    expect(
      check('availableNonNegative', post(usePlan(10_501n)), { before }, { tolerance: five }),
    ).toHaveLength(1);
    const odd = booked(approve(999n)); // 2.5 % of 999 = 24.975 → 24
    const tolerance = { kind: 'percent' as const, value: '2.5' };
    expect(check('availableNonNegative', post(usePlan(1_023n)), { before: odd }, { tolerance })).toEqual([]);
    expect(check('availableNonNegative', post(usePlan(1_024n)), { before: odd }, { tolerance })).toHaveLength(
      1,
    );
  });
});

describe('executableOnly', () => {
  const before = booked(approve(10_000n));

  it('passes a plan on an executable indicator with a balance', () => {
    expect(check('executableOnly', post(usePlan(1_000n)), { before })).toEqual([]);
  });

  it('blocks spending without an indicator id', () => {
    const bare = indicator({ indicatorId: null });
    const vs = check('executableOnly', post(usePlan(1_000n, bare)), {
      before: booked(approve(10_000n, bare)),
    });
    expect(reasons(vs)).toEqual(['noIndicator']);
  });

  it('blocks paying from the unallocated pool (待分)', () => {
    const ind = indicator();
    const p: Posting = {
      scenario: 'applicationApproved',
      year: YEAR,
      lines: [debit('2001', 100n, ind), credit('2401', 100n, ind)],
    };
    const vs = check('executableOnly', p, { before });
    expect(reasons(vs)).toEqual(['notExecutable']);
    expect(vs[0]?.params.account).toBe('2001');
  });

  it('blocks an indicator with nothing executable left', () => {
    const vs = check('executableOnly', post(pay(100n)), {
      before: booked(approve(1_000n), usePlan(1_000n), pay(1_000n, indicator(), true)),
    });
    expect(reasons(vs)).toEqual(['noExecutableBalance']);
  });

  it('counts the plan (2301) as executable', () => {
    const planned = booked(approve(1_000n), usePlan(1_000n));
    expect(check('executableOnly', post(pay(500n, indicator(), true)), { before: planned })).toEqual([]);
  });

  it('ignores scenarios that do not spend', () => {
    expect(check('executableOnly', post(approve(100n, indicator({ indicatorId: null }))))).toEqual([]);
  });
});

describe('elementsMatch', () => {
  it('blocks a payment coded to another agency, naming the field', () => {
    const vs = check('elementsMatch', post(pay(100n)), {
      payment: facts({}, indicator({ agencyCode: '101002' })),
    });
    expect(vs.map((v) => v.params)).toEqual([
      { field: 'agencyCode', indicatorId: 'BGT-1', indicatorValue: '101001', paymentValue: '101002' },
    ]);
  });

  it('passes equal elements, and any value where the indicator leaves one empty', () => {
    const ind = indicator({ payTypeCode: null });
    const payment = facts({}, indicator({ payTypeCode: '2' }));
    expect(check('elementsMatch', post(pay(100n, ind)), { payment })).toEqual([]);
  });
});

describe('sanGongLevel', () => {
  const sanGongInd = indicator({ depEcoCode: '30217', flags: { ...noFlags, sanGong: true } });
  const payment = (over: Partial<Elements>) => facts({}, indicator({ depEcoCode: '30217', ...over }));

  it('passes a 三公 payment from a 三公 indicator with the same codes', () => {
    expect(check('sanGongLevel', post(pay(100n, sanGongInd)), { payment: payment({}) })).toEqual([]);
  });

  it('blocks a 三公 item paid from an unflagged indicator', () => {
    const vs = check('sanGongLevel', post(pay(100n, indicator({ depEcoCode: '30217' }))), {
      payment: payment({}),
    });
    expect(reasons(vs)).toEqual(['notSanGongIndicator']);
  });

  it('compares 功能 to the 项 (7 digits) for 三公 but to the 款 (5) otherwise', () => {
    const otherItem = { expFuncCode: '2010102' };
    const vs = check('sanGongLevel', post(pay(100n, sanGongInd)), { payment: payment(otherItem) });
    expect(reasons(vs)).toEqual(['funcMismatch']);
    const ordinary = facts({}, indicator(otherItem));
    expect(check('sanGongLevel', post(pay(100n)), { payment: ordinary })).toEqual([]);
  });

  it('lets an indicator coded more coarsely cover the finer payment codes', () => {
    const coarse = indicator({
      depEcoCode: '302',
      expFuncCode: '20101',
      flags: { ...noFlags, sanGong: true },
    });
    expect(
      check('sanGongLevel', post(pay(100n, coarse)), { payment: payment({ expFuncCode: '2010199' }) }),
    ).toEqual([]);
  });

  it('blocks an economic code outside the indicator at 5 digits', () => {
    const vs = check('sanGongLevel', post(pay(100n)), {
      payment: facts({}, indicator({ depEcoCode: '30202' })),
    });
    expect(reasons(vs)).toEqual(['ecoMismatch']);
  });

  it('refuses a malformed param instead of ignoring it', () => {
    const run = () =>
      check('sanGongLevel', post(pay(100n)), { payment: facts() }, { params: { sanGongCodes: '30217' } });
    expect(run).toThrow(FiscusError);
  });
});

describe('spendWithinReceipts', () => {
  const special = indicator({ fundTypeCode: '21' });
  const setup = { payment: facts({}, special), receipts: 1_000n, spent: 800n };

  it('passes spending up to the receipts', () => {
    expect(check('spendWithinReceipts', post(pay(200n, special)), setup)).toEqual([]);
  });

  it('blocks spending beyond the receipts', () => {
    const vs = check('spendWithinReceipts', post(pay(201n, special)), setup);
    expect(vs.map((v) => v.params)).toEqual([
      { fundTypeCode: '21', agencyCode: '101001', spent: '800', amount: '201', receipts: '1000' },
    ]);
  });

  it('allows a percent of receipts as tolerance', () => {
    const tolerance = { kind: 'percent' as const, value: '10' };
    expect(check('spendWithinReceipts', post(pay(300n, special)), setup, { tolerance })).toEqual([]);
    expect(check('spendWithinReceipts', post(pay(301n, special)), setup, { tolerance })).toHaveLength(1);
  });

  it('leaves general budget funds (111) alone', () => {
    expect(check('spendWithinReceipts', post(pay(5_000n)), setup)).toEqual([]);
  });
});

describe('usePlanCeiling', () => {
  it('blocks paying the indicator directly where plans are in use', () => {
    const vs = check('usePlanCeiling', post(pay(100n)), { usePlans: true });
    expect(vs.map((v) => v.params)).toEqual([{ account: '2101', indicatorId: 'BGT-1' }]);
  });

  it('passes paying from the plan, or directly where plans are off', () => {
    expect(check('usePlanCeiling', post(pay(100n, indicator(), true)), { usePlans: true })).toEqual([]);
    expect(check('usePlanCeiling', post(pay(100n)), { usePlans: false })).toEqual([]);
  });
});

describe('flag rules on the payment', () => {
  const flagged = (flag: keyof Elements['flags']) => indicator({ flags: { ...noFlags, [flag]: true } });

  it('govProcurementContract: blocks without a contract number, passes with one', () => {
    const p = post(pay(100n, flagged('govProcurement')));
    expect(check('govProcurementContract', p, { payment: facts({ contractNo: ' ' }) })).toHaveLength(1);
    expect(check('govProcurementContract', p, { payment: facts({ contractNo: 'HT-2025-01' }) })).toEqual([]);
    expect(check('govProcurementContract', post(pay(100n)), { payment: facts() })).toEqual([]);
  });

  it('salaryPayroll: blocks a salary payee other than the payroll account', () => {
    const p = post(pay(100n, flagged('salary')));
    expect(check('salaryPayroll', p, { payment: facts({ payeeAccountKind: 'other' }) })).toHaveLength(1);
    expect(check('salaryPayroll', p, { payment: facts({ payeeAccountKind: 'payroll' }) })).toEqual([]);
  });

  it('directReachBeneficiaries: blocks direct-reach funds without beneficiaries', () => {
    const p = post(pay(100n, flagged('directReach')));
    expect(check('directReachBeneficiaries', p, { payment: facts({ beneficiaryCount: 0 }) })).toHaveLength(1);
    expect(check('directReachBeneficiaries', p, { payment: facts({ beneficiaryCount: 3 }) })).toEqual([]);
  });
});

describe('largePayment', () => {
  const million = 100_000_000n;

  it('blocks a payment at the threshold without a second approval', () => {
    const vs = check('largePayment', post(pay(million)), { payment: facts() });
    expect(vs.map((v) => v.params)).toEqual([{ amount: '100000000', thresholdFen: '100000000' }]);
  });

  it('passes with the second approval, or below the threshold', () => {
    expect(check('largePayment', post(pay(million)), { payment: facts({ extraApproval: true }) })).toEqual(
      [],
    );
    expect(check('largePayment', post(pay(million - 1n)), { payment: facts() })).toEqual([]);
  });

  it('reads the threshold from params', () => {
    const params = { thresholdFen: '5000' };
    expect(check('largePayment', post(pay(5_000n)), { payment: facts() }, { params })).toHaveLength(1);
  });
});

describe('periodCutoff', () => {
  const before = booked(approve(10_000n));

  it('blocks a current-year indicator after the cut-off', () => {
    const vs = check('periodCutoff', post(usePlan(100n)), { before, on: `${YEAR + 1}-01-05` });
    expect(vs.map((v) => v.params)).toEqual([
      { indicatorId: 'BGT-1', on: '2026-01-05', cutoff: '2025-12-31' },
    ]);
  });

  it('passes a carried-over indicator after the cut-off, and anything up to it', () => {
    const carried = indicator({ sourceTypeCode: '3' });
    expect(check('periodCutoff', post(usePlan(100n, carried)), { on: `${YEAR + 1}-01-05` })).toEqual([]);
    expect(check('periodCutoff', post(usePlan(100n)), { on: `${YEAR}-12-31` })).toEqual([]);
  });

  it('reads the cut-off from params', () => {
    const params = { cutoff: '12-20' };
    expect(check('periodCutoff', post(pay(100n)), { on: `${YEAR}-12-21` }, { params })).toHaveLength(1);
  });
});

describe('payment rules without payment facts', () => {
  it('stay silent: the payment module supplies the facts', () => {
    const everything = indicator({
      depEcoCode: '30217',
      flags: { ...noFlags, sanGong: false, govProcurement: true, salary: true, directReach: true },
    });
    const kinds: ControlKind[] = [
      'elementsMatch',
      'sanGongLevel',
      'govProcurementContract',
      'salaryPayroll',
      'directReachBeneficiaries',
      'largePayment',
    ];
    const rules = kinds.map((k) => ruleOf(k));
    expect(evaluateControls(rules, context(post(pay(200_000_000n, everything)), { payment: null }))).toEqual(
      [],
    );
  });
});

describe('evaluateControls', () => {
  const over = post(usePlan(15_000n));
  const before = booked(approve(10_000n));

  it('applies a rule in its region and the subtree below, not elsewhere', () => {
    const scope = { regions: ['330100'], fundTypes: null, accounts: null };
    const inside = ['330000', '330100', '330102'];
    expect(check('availableNonNegative', over, { before, regionAncestry: inside }, { scope })).toHaveLength(
      1,
    );
    expect(
      check('availableNonNegative', over, { before, regionAncestry: ['330000', '330200'] }, { scope }),
    ).toEqual([]);
  });

  it('matches fund types by prefix', () => {
    const scope = (fundTypes: string[]) => ({ scope: { regions: null, fundTypes, accounts: null } });
    expect(check('availableNonNegative', over, { before }, scope(['11']))).toHaveLength(1);
    expect(check('availableNonNegative', over, { before }, scope(['21', '3']))).toEqual([]);
  });

  it('ignores a disabled rule', () => {
    expect(check('availableNonNegative', over, { before }, { enabled: false })).toEqual([]);
  });

  it('reports a warn rule as a warning that does not block', () => {
    const vs = check('availableNonNegative', over, { before }, { action: 'warn' });
    expect(vs.map((v) => v.action)).toEqual(['warn']);
    expect(blockingViolations(vs)).toEqual([]);
  });

  it('names every rule that stopped a posting, in rule order', () => {
    const ind = indicator({ flags: { ...noFlags, govProcurement: true } });
    const ctx = context(post(pay(15_000n, ind)), { before: booked(approve(10_000n, ind)), payment: facts() });
    const vs = evaluateControls(defaultControlRules(), ctx);
    expect(vs.map((v) => v.rule)).toEqual(['AVAILABLE_NON_NEGATIVE', 'GOV_PROCUREMENT_CONTRACT']);
    expect(blockingViolations(vs)).toHaveLength(2);
  });

  it('passes a clean payment through every default rule', () => {
    const ctx = context(post(pay(1_000n)), { before, payment: facts() });
    expect(evaluateControls(defaultControlRules(), ctx)).toEqual([]);
  });
});

describe('defaultControlRules', () => {
  it('seeds one blocking version-1 rule per kind with an UPPER_SNAKE code', () => {
    const rules = defaultControlRules();
    expect(new Set(rules.map((r) => r.kind)).size).toBe(11);
    for (const r of rules) {
      expect(r).toMatchObject({ version: 1, action: 'block', enabled: true, tolerance: null });
      expect(r.code).toMatch(/^[A-Z]+(_[A-Z]+)*$/);
      expect(r.scope).toEqual({ regions: null, fundTypes: null, accounts: null });
    }
  });

  it('returns fresh objects each time', () => {
    const codes = () =>
      defaultControlRules().find((r) => r.kind === 'sanGongLevel')!.params.sanGongCodes as string[];
    codes().push('99999');
    expect(codes()).toHaveLength(4);
  });
});
