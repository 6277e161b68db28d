import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { errorCodeOf as code } from '../../kernel/errors-testing';
import { isClosed, warningStatuses } from './disposition';
import { evaluateBy, type WarningFact } from './evaluation';

let n = 0;
const fact = (over: Partial<WarningFact> = {}): WarningFact => ({
  warningId: `YJ${++n}`,
  ruleCode: 'CASH',
  agencyCode: '205002',
  level: 'yellow',
  status: 'pending',
  raisedOn: '2026-03-01',
  closedOn: null,
  violation: false,
  ...over,
});

describe('evaluateBy', () => {
  const facts: WarningFact[] = [
    fact({ status: 'closedNormal', closedOn: '2026-03-01' }), // same day: 0 days
    fact({ status: 'closedRectified', closedOn: '2026-04-02', violation: true }), // 32 days
    fact({ status: 'rectifying', violation: true }),
    fact({ status: 'rectified', violation: true }),
    fact({ ruleCode: 'TRANSFER', status: 'closedVerified', closedOn: '2026-03-11' }), // 10 days
    fact({ ruleCode: 'TRANSFER', status: 'closedRectified', closedOn: '2026-03-05', violation: true }),
    fact({ agencyCode: '101001', status: 'closedRectified', raisedOn: '2024-02-28', closedOn: '2024-03-01' }),
    fact({ agencyCode: '101001', status: 'rectifying', violation: true }),
    fact({ agencyCode: '101001', status: 'closedRectified', closedOn: '2026-03-02', violation: true }),
    fact({ agencyCode: '101001', status: 'recorded' }),
  ];

  it('tallies per agency, sorted by code', () => {
    expect(evaluateBy(facts, 'agency')).toEqual([
      {
        key: '101001',
        total: 4,
        open: 1,
        closed: 3,
        violations: 2,
        repeatOffences: 1,
        // 2 days across the 2024 leap day, and 1 day; the recorded one has no closing date.
        meanDaysToClose: 1.5,
        maxDaysToClose: 2,
      },
      {
        key: '205002',
        total: 6,
        open: 2,
        closed: 4,
        violations: 4,
        // CASH has 3 violations (2 repeats), TRANSFER 1 (none).
        repeatOffences: 2,
        meanDaysToClose: (0 + 32 + 10 + 4) / 4,
        maxDaysToClose: 32,
      },
    ]);
  });

  it('tallies per rule, crediting repeats per (agency, rule) pair', () => {
    const rows = evaluateBy(facts, 'rule');
    expect(rows.map((r) => r.key)).toEqual(['CASH', 'TRANSFER']);
    expect(rows[0]).toMatchObject({
      total: 8,
      open: 3,
      violations: 5,
      repeatOffences: 3,
      maxDaysToClose: 32,
    });
    // 205002: 3 violations → 2 repeats; 101001: 2 → 1. Not 5 − 1 = 4: different units are not repeats.
    expect(rows[1]).toMatchObject({ total: 2, open: 0, closed: 2, violations: 1, repeatOffences: 0 });
    expect(rows[1]?.meanDaysToClose).toBe(7);
  });

  it('gives null durations when nothing closed with a date, and no rows for no facts', () => {
    expect(evaluateBy([fact(), fact({ status: 'recorded' })], 'agency')).toEqual([
      {
        key: '205002',
        total: 2,
        open: 1,
        closed: 1,
        violations: 0,
        repeatOffences: 0,
        meanDaysToClose: null,
        maxDaysToClose: null,
      },
    ]);
    expect(evaluateBy([], 'rule')).toEqual([]);
  });

  it('sorts by code point, not by locale', () => {
    const keys = evaluateBy(
      [fact({ ruleCode: 'b' }), fact({ ruleCode: 'B' }), fact({ ruleCode: 'A_1' })],
      'rule',
    );
    expect(keys.map((r) => r.key)).toEqual(['A_1', 'B', 'b']);
  });

  it('refuses inconsistent facts', () => {
    expect(code(() => evaluateBy([fact({ raisedOn: '2026-02-30' })], 'agency'))).toBe('VALIDATION_FAILED');
    const early = fact({ status: 'closedNormal', raisedOn: '2026-03-02', closedOn: '2026-03-01' });
    expect(code(() => evaluateBy([early], 'agency'))).toBe('VALIDATION_FAILED');
    expect(code(() => evaluateBy([fact({ status: 'rectifying', closedOn: '2026-03-05' })], 'rule'))).toBe(
      'VALIDATION_FAILED',
    );
    const badClose = fact({ status: 'closedNormal', closedOn: '2026-3-5' });
    expect(code(() => evaluateBy([badClose], 'rule'))).toBe('VALIDATION_FAILED');
  });
});

const factArb: fc.Arbitrary<WarningFact> = fc
  .record({
    id: fc.uuid(),
    ruleCode: fc.constantFrom('CASH', 'TRANSFER', 'DIRECT'),
    agencyCode: fc.constantFrom('101001', '205002', '205003'),
    level: fc.constantFrom('yellow', 'orange', 'red', 'grey', 'blue') as fc.Arbitrary<WarningFact['level']>,
    status: fc.constantFrom(...warningStatuses),
    raised: fc.integer({ min: 0, max: 300 }),
    after: fc.integer({ min: 0, max: 90 }),
    dated: fc.boolean(),
    violation: fc.boolean(),
  })
  .map((r) => {
    const iso = (d: number) => new Date(Date.UTC(2025, 0, 1 + d)).toISOString().slice(0, 10);
    return {
      warningId: r.id,
      ruleCode: r.ruleCode,
      agencyCode: r.agencyCode,
      level: r.level,
      status: r.status,
      raisedOn: iso(r.raised),
      closedOn: isClosed(r.status) && r.dated ? iso(r.raised + r.after) : null,
      violation: r.violation,
    };
  });
const by = fc.constantFrom('agency' as const, 'rule' as const);

describe('evaluateBy properties', () => {
  test.prop([fc.array(factArb, { maxLength: 40 }), by])('totals add up', (facts, b) => {
    const rows = evaluateBy(facts, b);
    expect(rows.reduce((s, r) => s + r.total, 0)).toBe(facts.length);
    expect(rows.reduce((s, r) => s + r.violations, 0)).toBe(facts.filter((f) => f.violation).length);
    for (const r of rows) {
      expect(r.open + r.closed).toBe(r.total);
      expect(r.repeatOffences).toBeLessThanOrEqual(Math.max(0, r.violations - 1));
      if (r.meanDaysToClose !== null) expect(r.meanDaysToClose).toBeLessThanOrEqual(r.maxDaysToClose!);
    }
    const keys = rows.map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual(keys);
  });

  test.prop([fc.array(factArb, { maxLength: 40 })])(
    'repeats are the same whichever way one groups',
    (facts) => {
      const sum = (b: 'agency' | 'rule') => evaluateBy(facts, b).reduce((s, r) => s + r.repeatOffences, 0);
      const pairs = new Set(facts.filter((f) => f.violation).map((f) => `${f.agencyCode}|${f.ruleCode}`));
      expect(sum('agency')).toBe(sum('rule'));
      expect(sum('agency')).toBe(facts.filter((f) => f.violation).length - pairs.size);
    },
  );

  test.prop([
    fc
      .array(factArb, { maxLength: 40 })
      .chain((a) =>
        fc.tuple(fc.constant(a), fc.shuffledSubarray(a, { minLength: a.length, maxLength: a.length })),
      ),
    by,
  ])('is deterministic regardless of input order', ([facts, shuffled], b) => {
    expect(evaluateBy(shuffled, b)).toEqual(evaluateBy(facts, b));
  });
});
