import { describe, expect, it } from 'vitest';
import { BUILT_IN_RULES } from './catalogue';
import { decide, evaluatePayment } from './evaluate';
import type { MonitorRule } from './rules';
import { aPayment, quietHistory } from './testing';

const rule = (code: string): MonitorRule => BUILT_IN_RULES.find((r) => r.code === code)!;

describe('evaluatePayment', () => {
  it('reports each firing rule with its version, level, action and filled message', () => {
    const p = aPayment({ amountFen: 60_000_00n, settlementMode: 'cash', time: '21:00' });
    const history = quietHistory({
      unitEcoHistoryStats: () => ({ mean: 5_000_000, stddev: 500_000, count: 40 }),
    });
    const { findings, failures } = evaluatePayment(BUILT_IN_RULES, p, history);
    expect(failures).toEqual([]);
    expect(findings.map((f) => f.ruleCode)).toEqual(['CASH_LARGE_SINGLE', 'OUTSIDE_WORKING_HOURS']);
    expect(findings[0]).toEqual({
      ruleCode: 'CASH_LARGE_SINGLE',
      version: 1,
      level: 'orange',
      action: 'warnExplain',
      message: {
        'zh-CN': '单笔提现 60000.00 元，超过大额提现标准',
        en: 'Single cash withdrawal of 60000.00 yuan above the large-withdrawal threshold',
      },
    });
    expect(decide(findings)).toBe('warnExplain');
  });

  it('reports a rule that cannot be judged instead of throwing, and still runs the others', () => {
    const broken: MonitorRule = {
      ...rule('DUPLICATE_PAYMENT'),
      code: 'BROKEN',
      condition: 'payment.amount / 0元 > 1',
    };
    const stale: MonitorRule = { ...rule('DUPLICATE_PAYMENT'), code: 'STALE', condition: 'payment.gone = 1' };
    const { findings, failures } = evaluatePayment(
      [broken, stale, rule('DUPLICATE_PAYMENT')],
      aPayment(),
      quietHistory({ countSamePayeeAmount: () => 1 }),
    );
    expect(findings.map((f) => f.ruleCode)).toEqual(['DUPLICATE_PAYMENT']);
    expect(failures.map((f) => [f.ruleCode, f.error.code])).toEqual([
      ['BROKEN', 'MONITOR_EXPRESSION_FAILED'],
      ['STALE', 'MONITOR_EXPRESSION_INVALID'],
    ]);
  });

  it('forbids direct-reach money sent to a township account', () => {
    const p = aPayment({
      indicator: { ...aPayment().indicator, isDirectReach: true },
      payee: { ...aPayment().payee, accountKind: 'township' },
    });
    expect(decide(evaluatePayment(BUILT_IN_RULES, p, quietHistory()).findings)).toBe('forbid');
  });
});

describe('decide', () => {
  it.each([
    [[], 'pass'],
    [['record'], 'record'],
    [['warn', 'record'], 'warn'],
    [['warn', 'warnExplain'], 'warnExplain'],
    [['hold', 'warnExplain', 'record'], 'hold'],
    [['hold', 'freeze'], 'freeze'],
    [['record', 'forbid', 'freeze'], 'forbid'],
  ] as const)('%j → %s', (actions, want) => {
    expect(decide(actions.map((action) => ({ action })))).toBe(want);
  });
});
