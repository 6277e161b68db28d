import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { BUILT_IN_RULES } from './catalogue';
import { ACTION_STRENGTH, decide } from './evaluate';
import { applicableRules, type MonitorRule, type RuleAction } from './rules';

const template = BUILT_IN_RULES[0]!;
const day = fc.integer({ min: 1, max: 28 }).map((d) => `2026-06-${String(d).padStart(2, '0')}`);
const rule: fc.Arbitrary<MonitorRule> = fc
  .record({
    code: fc.constantFrom('A', 'B', 'C'),
    version: fc.integer({ min: 1, max: 5 }),
    from: day,
    to: fc.option(day, { nil: undefined }),
    enabled: fc.boolean(),
    region: fc.constantFrom('', '61', '6101', '62'),
    trigger: fc.constantFrom('submit' as const, 'approve' as const),
  })
  .map((r) => ({
    ...template,
    code: r.code,
    version: r.version,
    effectiveFrom: r.from,
    ...(r.to === undefined ? {} : { effectiveTo: r.to }),
    enabled: r.enabled,
    trigger: r.trigger,
    scope: { regions: [r.region], level: 'finance' as const },
  }));
const at = fc.record({
  region: fc.constantFrom('610102000', '620100000'),
  on: day,
  trigger: fc.constantFrom('submit' as const, 'approve' as const),
});

const effective = (r: MonitorRule, on: string): boolean =>
  r.effectiveFrom <= on && (r.effectiveTo === undefined || on <= r.effectiveTo);

test.prop([fc.array(rule, { maxLength: 12 }), at])(
  'applicableRules picks at most one version per code: the highest effective one, enabled and in scope',
  (rules, a) => {
    const picked = applicableRules(rules, a);
    expect(new Set(picked.map((r) => r.code)).size).toBe(picked.length);
    for (const r of picked) {
      expect(r.enabled && r.trigger === a.trigger && effective(r, a.on)).toBe(true);
      expect(r.scope.regions.some((p) => a.region.startsWith(p))).toBe(true);
      const rivals = rules.filter((x) => x.code === r.code && effective(x, a.on));
      expect(Math.max(...rivals.map((x) => x.version))).toBe(r.version);
    }
  },
);

test.prop([fc.array(rule, { maxLength: 12 }), at])(
  'applicableRules ignores the order of its input',
  (rules, a) => {
    // Distinct (code, version) pairs, as a rule store guarantees.
    const unique = [...new Map(rules.map((r) => [`${r.code}@${r.version}`, r])).values()];
    expect(applicableRules([...unique].reverse(), a)).toEqual(applicableRules(unique, a));
  },
);

const action = fc.constantFrom<RuleAction>(...ACTION_STRENGTH);
test.prop([fc.array(action, { maxLength: 10 })])(
  'decide takes the strongest action, whatever the order',
  (as) => {
    const d = decide(as.map((a) => ({ action: a })));
    if (as.length === 0) {
      expect(d).toBe('pass');
      return;
    }
    const strongest = Math.min(...as.map((a) => ACTION_STRENGTH.indexOf(a)));
    expect(d).toBe(ACTION_STRENGTH[strongest]);
    expect(decide([...as].reverse().map((a) => ({ action: a })))).toBe(d);
  },
);
