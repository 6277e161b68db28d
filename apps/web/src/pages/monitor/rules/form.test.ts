import { describe, expect, it } from 'vitest';
import { blankForm, definitionOf, definitionOfVersion, formOf } from './form';
import type { RuleVersion } from './types';

const stored: RuleVersion = {
  code: 'PERSONAL_TRANSFER_NON_SALARY',
  version: 3,
  name: '向个人账户转账（非工资、非报销）',
  theme: 'personalTransfer',
  basis: '《预算执行动态监控》',
  trigger: 'submit',
  scope: { regions: ['5307'], level: 'finance' },
  condition: "payee.accountKind = 'personal' and payment.amount >= params.threshold",
  params: {
    threshold: { yuan: '5000.00' },
    allowedEcoPrefixes: ['301', '303'],
    days: 30,
    strict: true,
    mode: 'x',
  },
  warningLevel: 'orange',
  action: 'warnExplain',
  prompt: { 'zh-CN': '向个人账户 {payee} 转账 {amount} 元', en: 'Transfer of {amount} yuan' },
  effectiveFrom: '2026-01-01',
  effectiveTo: '2026-12-31',
  enabled: false,
  createdBy: 'monitor',
  createdAt: '2026-03-01T01:02:03.000Z',
};

describe('the rule editor form', () => {
  it('turns a stored version into the definition it saves, unchanged', () => {
    const { version: _v, createdBy: _b, createdAt: _a, ...definition } = stored;
    expect(definitionOfVersion(stored)).toEqual(definition);
  });

  it('keeps money as { yuan } and trims what was typed', () => {
    const v = { ...formOf(stored), name: '  改名  ', effectiveTo: ' ' };
    v.params = [
      ...(v.params ?? []),
      { name: 'limit', kind: 'yuan', value: ' 100.5 ' },
      { name: ' ', kind: 'text' },
    ];
    const d = definitionOf(v);
    expect(d.name).toBe('改名');
    expect(d.effectiveTo).toBeUndefined();
    expect(d.params.limit).toEqual({ yuan: '100.5' });
    expect(Object.keys(d.params)).not.toContain(' ');
  });

  it('starts a new rule in the current region, effective from the first day of the year', () => {
    const b = blankForm('530700000', 2026);
    expect(b.regions).toEqual(['530700000']);
    expect(b.effectiveFrom).toBe('2026-01-01');
    expect(b.enabled).toBe(true);
  });
});
