import { describe, expect, it } from 'vitest';
import { BUILT_IN_RULES } from './catalogue';
import { evaluatePayment } from './evaluate';
import type { MonitorAggregates } from './functions';
import { validateRule } from './rules';
import type { PaymentSubject } from './subject';
import { aPayment, quietHistory } from './testing';

interface Case {
  subject?: Partial<PaymentSubject>;
  history?: Partial<MonitorAggregates>;
}

const base = aPayment();
const personal = { ...base.payee, name: '张三', accountKind: 'personal' as const };
const ind = base.indicator;

/** For every built-in rule: a payment that fires it and a close neighbour that does not. */
const CASES: Record<string, { fires: Case; quiet: Case }> = {
  ZERO_BALANCE_TO_OWN_ACCOUNT: {
    fires: { subject: { payee: { ...base.payee, accountKind: 'ownUnit' } } },
    quiet: {
      subject: { payee: { ...base.payee, accountKind: 'ownUnit' }, payer: { accountKind: 'ownUnit' } },
    },
  },
  PERSONAL_TRANSFER_NON_SALARY: {
    fires: { subject: { payee: personal, amountFen: 8_000_00n } },
    quiet: {
      subject: {
        payee: personal,
        amountFen: 8_000_00n,
        details: [{ depEcoCode: '30301', amountFen: 8_000_00n }],
      },
    },
  },
  PERSONAL_TRANSFER_LARGE: {
    fires: { subject: { payee: personal, amountFen: 600_000_00n } },
    quiet: { subject: { payee: personal, amountFen: 600_000_00n, viaPayroll: true } },
  },
  CASH_LARGE_SINGLE: {
    fires: { subject: { settlementMode: 'cash', amountFen: 50_000_00n } },
    quiet: { subject: { settlementMode: 'cash', amountFen: 49_999_99n } },
  },
  CASH_CUMULATIVE_MONTH: {
    fires: {
      subject: { settlementMode: 'cash' },
      history: { cashTotal: (p) => (p === 'month' ? 199_000_00n : 0n) },
    },
    quiet: {
      subject: { settlementMode: 'cash' },
      history: { cashTotal: (p) => (p === 'month' ? 198_800_00n : 0n) },
    },
  },
  CASH_CUMULATIVE_YEAR: {
    fires: {
      subject: { settlementMode: 'cash' },
      history: { cashTotal: (p) => (p === 'year' ? 999_999_00n : 0n) },
    },
    quiet: { subject: { settlementMode: 'transfer' }, history: { cashTotal: () => 999_999_00n } },
  },
  OFFICIAL_CARD_MANDATORY: {
    fires: { subject: { details: [{ depEcoCode: '30211', amountFen: 1_200_00n }] } },
    quiet: {
      subject: { settlementMode: 'officialCard', details: [{ depEcoCode: '30211', amountFen: 1_200_00n }] },
    },
  },
  SAN_GONG_OVER_BUDGET: {
    fires: { subject: { indicator: { ...ind, sanGong: 'reception', usedFen: ind.amountFen - 1_199_99n } } },
    quiet: { subject: { indicator: { ...ind, sanGong: 'reception', usedFen: ind.amountFen - 1_200_00n } } },
  },
  SPLIT_PAYMENT: {
    fires: {
      subject: { amountFen: 40_000_00n },
      history: { countSamePayee: () => 2, sumSamePayee: () => 60_000_00n },
    },
    quiet: {
      subject: { amountFen: 40_000_00n },
      history: { countSamePayee: () => 1, sumSamePayee: () => 59_999_99n },
    },
  },
  DUPLICATE_PAYMENT: {
    fires: { history: { countSamePayeeAmount: (days) => (days === 30 ? 1 : 0) } },
    quiet: { history: { countSamePayeeAmount: () => 0 } },
  },
  YEAR_END_SURGE: {
    fires: {
      subject: { on: '2026-12-20' },
      history: { unitMonthTotal: () => 300_000_00n, unitYearTotal: () => 900_000_00n },
    },
    quiet: {
      subject: { on: '2026-11-20' },
      history: { unitMonthTotal: () => 300_000_00n, unitYearTotal: () => 900_000_00n },
    },
  },
  SLOW_EXECUTION: {
    // September, target 80 %: expected 60 %, used 50 %.
    fires: { subject: { on: '2026-09-30' } },
    quiet: { subject: { on: '2026-09-30', indicator: { ...ind, usedFen: 600_000_00n } } },
  },
  OUTSIDE_WORKING_HOURS: {
    fires: { subject: { time: '22:15' } },
    quiet: { subject: { time: '17:59' } },
  },
  PROCUREMENT_WITHOUT_CONTRACT: {
    fires: { subject: { procurement: true, contractNo: '' } },
    quiet: { subject: { procurement: true, contractNo: 'HT-2026-001' } },
  },
  ALLOWANCE_OUTSIDE_PAYROLL: {
    fires: { subject: { details: [{ depEcoCode: '30102', amountFen: 1_200_00n }] } },
    quiet: { subject: { viaPayroll: true, details: [{ depEcoCode: '30102', amountFen: 1_200_00n }] } },
  },
  PAYEE_PURPOSE_RECEPTION: {
    fires: {
      subject: {
        payee: { ...base.payee, name: '西安国际旅行社' },
        details: [{ depEcoCode: '30217', amountFen: 1_200_00n }],
      },
    },
    quiet: {
      subject: {
        payee: { ...base.payee, name: '西安宾馆' },
        details: [{ depEcoCode: '30217', amountFen: 1_200_00n }],
      },
    },
  },
  PAYEE_PURPOSE_MEETING: {
    fires: { subject: { details: [{ depEcoCode: '30215', amountFen: 1_200_00n }] } },
    quiet: {
      subject: {
        payee: { ...base.payee, name: '曲江国际会议中心' },
        details: [{ depEcoCode: '30215', amountFen: 1_200_00n }],
      },
    },
  },
  UNION_FEE_RATIO: {
    // Payroll 2,000,000 元 × 2 % = 40,000 元.
    fires: {
      subject: { details: [{ depEcoCode: '30228', amountFen: 1_200_00n }] },
      history: { ecoYearTotal: (p) => (p === '30228' ? 38_800_01n : 0n) },
    },
    quiet: {
      subject: { details: [{ depEcoCode: '30228', amountFen: 1_200_00n }] },
      history: { ecoYearTotal: (p) => (p === '30228' ? 38_800_00n : 0n) },
    },
  },
  WELFARE_RATIO: {
    // Payroll 2,000,000 元 × 5 % = 100,000 元.
    fires: {
      subject: { details: [{ depEcoCode: '30229', amountFen: 1_200_00n }] },
      history: { ecoYearTotal: () => 98_800_01n },
    },
    quiet: {
      subject: { details: [{ depEcoCode: '30229', amountFen: 1_200_00n }] },
      history: { ecoYearTotal: () => 98_800_00n },
    },
  },
  DIRECT_REACH_MISDIRECTED: {
    fires: {
      subject: {
        indicator: { ...ind, isDirectReach: true },
        payee: { ...base.payee, accountKind: 'township' },
      },
    },
    quiet: { subject: { indicator: { ...ind, isDirectReach: true } } },
  },
  DIRECT_REACH_BENEFICIARY_MISMATCH: {
    fires: { subject: { indicator: { ...ind, isDirectReach: true }, payee: personal } },
    quiet: {
      subject: {
        indicator: { ...ind, isDirectReach: true },
        payee: personal,
        beneficiaries: [
          { kind: 'person', name: '张三', idNo: '610102199001011234', amountFen: 700_00n },
          { kind: 'person', name: '李四', idNo: '610102199001015678', amountFen: 500_00n },
        ],
      },
    },
  },
  STATISTICAL_OUTLIER: {
    // mean 1,000 元, stddev 100 元 → threshold 1,300 元.
    fires: { subject: { amountFen: 1_300_01n } },
    quiet: {
      subject: { amountFen: 1_300_01n },
      history: { unitEcoHistoryStats: () => ({ mean: 100_000, stddev: 10_000, count: 19 }) },
    },
  },
  FIRST_TIME_PAYEE_LARGE: {
    fires: { subject: { amountFen: 300_000_00n }, history: { payeeFirstSeen: () => '' } },
    quiet: { subject: { amountFen: 299_999_99n }, history: { payeeFirstSeen: () => '' } },
  },
};

function fired(code: string, c: Case): { fired: boolean; failures: number } {
  const rule = BUILT_IN_RULES.find((r) => r.code === code)!;
  const r = evaluatePayment([rule], aPayment(c.subject), quietHistory(c.history));
  return { fired: r.findings.length > 0, failures: r.failures.length };
}

describe('built-in rule catalogue', () => {
  it('has at least 20 rules with unique codes, each valid', () => {
    expect(BUILT_IN_RULES.length).toBeGreaterThanOrEqual(20);
    expect(new Set(BUILT_IN_RULES.map((r) => r.code)).size).toBe(BUILT_IN_RULES.length);
    for (const r of BUILT_IN_RULES) expect([r.code, validateRule(r)]).toEqual([r.code, []]);
  });

  it('has a firing and a quiet case for every rule', () => {
    expect(Object.keys(CASES).sort()).toEqual(BUILT_IN_RULES.map((r) => r.code).sort());
  });

  it('fires no rule on an unremarkable payment', () => {
    const r = evaluatePayment(BUILT_IN_RULES, aPayment(), quietHistory());
    expect(r).toEqual({ findings: [], failures: [] });
  });

  describe.each(Object.entries(CASES))('%s', (code, { fires, quiet }) => {
    it('fires', () => expect(fired(code, fires)).toEqual({ fired: true, failures: 0 }));
    it('stays quiet', () => expect(fired(code, quiet)).toEqual({ fired: false, failures: 0 }));
  });
});
