import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { allocate, formatYuan, formatYuanGrouped, parseYuan, sumFen, toChineseCapital } from './money';

const MAX_PARSEABLE = 10n ** 17n - 1n; // 15 integer digits and 2 decimals
const parseableFen = fc.bigInt({ min: -MAX_PARSEABLE, max: MAX_PARSEABLE });

// A canonical yuan string: no leading zeros, no "-0", any of 0, 1 or 2 decimals.
const canonicalYuan = fc
  .tuple(
    fc.boolean(),
    fc.bigInt({ min: 0n, max: 10n ** 15n - 1n }),
    fc.constantFrom('', '.d', '.dd'),
    fc.integer({ min: 0, max: 99 }),
  )
  .map(([negative, int, shape, cents]) => {
    const frac = shape === '' ? '' : shape === '.d' ? `.${cents % 10}` : `.${String(cents).padStart(2, '0')}`;
    const body = `${int}${frac}`;
    return negative && /[1-9]/.test(body) ? `-${body}` : body;
  });

test.prop([parseableFen])('parseYuan(formatYuan(x)) === x', (x) => {
  expect(parseYuan(formatYuan(x))).toBe(x);
});

test.prop([canonicalYuan])('formatYuan(parseYuan(s)) is s padded to two decimals', (s) => {
  const [int, frac = ''] = s.split('.');
  expect(formatYuan(parseYuan(s))).toBe(`${int}.${frac.padEnd(2, '0')}`);
});

test.prop([parseableFen])('grouping only adds commas', (x) => {
  expect(formatYuanGrouped(x).replaceAll(',', '')).toBe(formatYuan(x));
});

test.prop([
  fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }),
  fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 1, maxLength: 30 }),
])('allocate preserves the total and stays within one fen of each exact share', (total, raw) => {
  const weights = raw.some((w) => w > 0n) ? raw : [...raw.slice(1), 1n];
  const parts = allocate(total, weights);
  expect(parts).toHaveLength(weights.length);
  expect(sumFen(parts)).toBe(total);
  const weightSum = sumFen(weights);
  weights.forEach((w, i) => {
    // |part - total*w/Σw| < 1  ⇔  |part*Σw - total*w| < Σw
    const diff = parts[i]! * weightSum - total * w;
    expect(diff < weightSum && -diff < weightSum).toBe(true);
  });
});

test.prop([
  fc.bigInt({ min: 0n, max: 10n ** 15n }),
  fc.array(fc.bigInt({ min: 1n, max: 1000n }), { minLength: 1, maxLength: 10 }),
])('allocate of -x is the negation of allocate of x', (total, weights) => {
  expect(allocate(-total, weights)).toEqual(allocate(total, weights).map((p) => -p));
});

test.prop([fc.bigInt({ min: -(10n ** 18n - 1n), max: 10n ** 18n - 1n })])(
  'toChineseCapital never has 零零 nor ends with 零',
  (x) => {
    const s = toChineseCapital(x);
    expect(s).not.toContain('零零');
    expect(s.endsWith('零')).toBe(false);
    expect(s).toMatch(/(整|分)$/);
  },
);

// Amounts made mostly of zeros are where the 零 rules break; uniform bigints rarely produce them.
const sparseFen = fc
  .array(fc.constantFrom(0, 0, 0, 0, 1, 5, 9), { minLength: 1, maxLength: 18 })
  .map((digits) => BigInt(digits.join('')));

test.prop([sparseFen])('toChineseCapital on zero-heavy amounts', (x) => {
  const s = toChineseCapital(x);
  expect(s).not.toContain('零零');
  expect(s.endsWith('零')).toBe(false);
  expect(s.startsWith('零')).toBe(x === 0n);
});
