import { describe, expect, it } from 'vitest';
import { BUILT_IN_RULES } from './catalogue';
import { applicableRules, isIsoDate, type MonitorRule, type RuleTrigger, validateRule } from './rules';

const base: MonitorRule = { ...BUILT_IN_RULES.find((r) => r.code === 'CASH_LARGE_SINGLE')! };
const fields = (r: Partial<MonitorRule>): string[] => validateRule({ ...base, ...r }).map((i) => i.field);

describe('validateRule', () => {
  it('accepts a sound rule', () => expect(validateRule(base)).toEqual([]));

  const rows: [Partial<MonitorRule>, string][] = [
    [{ code: 'cash-1' }, 'code'],
    [{ version: 0 }, 'version'],
    [{ version: 1.5 }, 'version'],
    [{ name: ' ' }, 'name'],
    [{ prompt: { 'zh-CN': '', en: 'x' } }, 'prompt'],
    [{ scope: { regions: [], level: 'finance' } }, 'scope.regions'],
    [{ scope: { regions: ['61A'], level: 'finance' } }, 'scope.regions'],
    [{ effectiveFrom: '2026-02-30' }, 'effectiveFrom'],
    [{ effectiveTo: '2026-13-01' }, 'effectiveTo'],
    [{ effectiveFrom: '2026-05-01', effectiveTo: '2026-04-30' }, 'effectiveTo'],
    [{ trigger: 'scheduled', action: 'hold' }, 'action'],
    [{ trigger: 'scheduled', action: 'forbid' }, 'action'],
    [{ params: { 'bad-name': 1 } }, 'params.bad-name'],
    [{ params: { threshold: 50_000_00n, x: Number.POSITIVE_INFINITY } }, 'params.x'],
    [{ condition: 'payment.amount >= params.missing' }, 'condition'],
    [{ condition: 'payment.amount' }, 'condition'],
    [{ condition: 'payment.constructor' }, 'condition'],
    [{ params: { threshold: 50000 } }, 'condition'], // number where the condition compares money
  ];
  it.each(rows.map(([over, field]) => ({ over, field, keys: Object.keys(over).join('+') })))(
    'refuses a bad $keys in $field',
    ({ over, field }) => expect(fields(over)).toContain(field),
  );

  it('reports the condition error with its position and the expression code', () => {
    const [issue] = validateRule({ ...base, condition: 'payment.amount >= params.missing' });
    expect(issue).toMatchObject({ code: 'MONITOR_EXPRESSION_INVALID', field: 'condition', position: 25 });
  });

  it('lets a scheduled rule warn or record', () => {
    expect(fields({ trigger: 'scheduled', action: 'warnExplain' })).toEqual([]);
    expect(fields({ trigger: 'scheduled', action: 'record' })).toEqual([]);
  });

  it('knows real dates', () => {
    expect(['2024-02-29', '2026-12-31'].map(isIsoDate)).toEqual([true, true]);
    expect(['2026-02-29', '2026-1-01', '20260101', ''].map(isIsoDate)).toEqual([false, false, false, false]);
  });
});

const v = (version: number, over: Partial<MonitorRule> = {}): MonitorRule => ({
  ...base,
  code: 'R',
  version,
  scope: { regions: ['61'], level: 'finance' },
  trigger: 'approve',
  ...over,
});
const at: { region: string; on: string; trigger: RuleTrigger } = {
  region: '610102000',
  on: '2026-06-01',
  trigger: 'approve',
};
const pick = (rules: MonitorRule[], over: Partial<typeof at> = {}): number[] =>
  applicableRules(rules, { ...at, ...over }).map((r) => r.version);

describe('applicableRules', () => {
  it('picks the latest version effective on the date', () => {
    const rules = [v(1), v(3, { effectiveFrom: '2026-07-01' }), v(2, { effectiveFrom: '2026-03-01' })];
    expect(pick(rules)).toEqual([2]);
    expect(pick(rules, { on: '2026-07-01' })).toEqual([3]);
    expect(pick(rules, { on: '2025-12-31' })).toEqual([]);
  });

  it('treats effectiveTo as the last day', () => {
    const rules = [v(1), v(2, { effectiveTo: '2026-06-01' })];
    expect(pick(rules)).toEqual([2]);
    expect(pick(rules, { on: '2026-06-02' })).toEqual([1]);
  });

  it('does not fall back to an older version when the newer is disabled or narrowed', () => {
    expect(pick([v(1), v(2, { enabled: false })])).toEqual([]);
    expect(pick([v(1), v(2, { scope: { regions: ['62'], level: 'finance' } })])).toEqual([]);
  });

  it('matches region prefixes and trigger', () => {
    expect(pick([v(1, { scope: { regions: ['62', '6101'], level: 'finance' } })])).toEqual([1]);
    expect(pick([v(1, { scope: { regions: ['6102'], level: 'finance' } })])).toEqual([]);
    expect(pick([v(1, { scope: { regions: [''], level: 'system' } })])).toEqual([1]);
    expect(pick([v(1)], { trigger: 'submit' })).toEqual([]);
  });

  it('returns one version per code, in code order', () => {
    const rules = [v(1, { code: 'B' }), v(1, { code: 'A' }), v(2, { code: 'A' })];
    expect(applicableRules(rules, at).map((r) => `${r.code}${r.version}`)).toEqual(['A2', 'B1']);
  });

  it('runs the built-in catalogue: scheduled rules only on schedule', () => {
    const onApprove = applicableRules(BUILT_IN_RULES, at).map((r) => r.code);
    const scheduled = applicableRules(BUILT_IN_RULES, { ...at, trigger: 'scheduled' }).map((r) => r.code);
    expect(scheduled).toEqual(['SLOW_EXECUTION']);
    expect(onApprove).not.toContain('SLOW_EXECUTION');
    expect(onApprove.length).toBe(BUILT_IN_RULES.length - 1);
  });
});
