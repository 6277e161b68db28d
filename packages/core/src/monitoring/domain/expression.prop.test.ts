import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { formatYuan } from '../../kernel/money';
import { checkExpression, evaluateExpression } from './expression';
import { divRound } from './interpreter';
import { subjectEnv, subjectSchema } from './subject';
import { aPayment, quietHistory } from './testing';

const schema = subjectSchema({ limit: 1_000_00n, days: 3 });
const ctx = { env: subjectEnv(aPayment(), { limit: 1_000_00n, days: 3 }), aggregates: quietHistory() };

function evalBool(src: string): unknown {
  const c = checkExpression(src, schema);
  if (!c.ok) return c.errors[0]!.message.en;
  const r = evaluateExpression(c.expression, ctx);
  return r.ok ? r.value : r.error.code;
}

// Literals hold at most 15 integer digits of yuan (< 10¹⁷ fen); half of that keeps sums writable.
const fen = fc.bigInt({ min: -(5n * 10n ** 16n), max: 5n * 10n ** 16n });
const smallFen = fc.bigInt({ min: -(10n ** 13n), max: 10n ** 13n });
const lit = (f: bigint): string => `(${formatYuan(f)}元)`;

test.prop([fen, fen])('money addition, subtraction and comparison are exact', (a, b) => {
  expect(evalBool(`${lit(a)} + ${lit(b)} = ${lit(a + b)}`)).toBe(true);
  expect(evalBool(`${lit(a)} - ${lit(b)} = ${lit(a - b)}`)).toBe(true);
  expect(evalBool(`${lit(a)} < ${lit(b)}`)).toBe(a < b);
  expect(evalBool(`${lit(a)} >= ${lit(b)}`)).toBe(a >= b);
});

test.prop([smallFen, fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 1, max: 1000 })])(
  'money times a ratio rounds half away from zero to the fen, and scales back exactly',
  (a, k, d) => {
    expect(evalBool(`${lit(a)} * ${k} = ${lit(a * BigInt(k))}`)).toBe(true);
    expect(evalBool(`${lit(a)} / ${d} = ${lit(divRound(a, BigInt(d)))}`)).toBe(true);
  },
);

test.prop([fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.bigInt({ min: 1n, max: 10n ** 6n })])(
  'divRound is within half a unit of the true quotient and symmetric in sign',
  (a, b) => {
    const q = divRound(a, b);
    const err = a * 2n - q * 2n * b; // 2·(a − q·b)
    expect(err <= b && err >= -b).toBe(true);
    expect(divRound(-a, b)).toBe(-q);
  },
);

test.prop([fc.string({ maxLength: 200 })])('the checker never throws on arbitrary text', (src) => {
  const c = checkExpression(src, schema);
  if (!c.ok) expect(c.errors.length).toBeGreaterThan(0);
});

const TOKENS = [
  'payment',
  '.',
  'amount',
  'payee',
  'name',
  'details',
  'd',
  '->',
  'any',
  '(',
  ')',
  '[',
  ']',
  ',',
  '1',
  '0',
  '2.5',
  '3元',
  "'a'",
  'and',
  'or',
  'not',
  'in',
  'between',
  'contains',
  '=',
  '!=',
  '<',
  '>=',
  '+',
  '-',
  '*',
  '/',
  'true',
  'null',
  'constructor',
  '__proto__',
  'countSamePayee',
  'params',
  'limit',
];
test.prop([fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 })])(
  'token soup is either refused with a coded error or evaluates to a result',
  (ts) => {
    const c = checkExpression(ts.join(' '), schema);
    if (!c.ok) {
      for (const e of c.errors) expect(e.code).toBe('MONITOR_EXPRESSION_INVALID');
      return;
    }
    const r = evaluateExpression(c.expression, ctx);
    if (r.ok) expect(typeof r.value).toBe('boolean');
    else expect(r.error.code).toBe('MONITOR_EXPRESSION_FAILED');
  },
);

// Well-typed random conditions, including divisions that may hit zero: evaluation is total.
const { bool } = fc.letrec<{ num: string; money: string; bool: string }>((tie) => ({
  num: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer({ min: -5, max: 5 }).map(String),
    fc.constantFrom('payment.month', 'params.days', 'countSamePayee(7)', "unitEcoHistoryStats('302').mean"),
    fc
      .tuple(tie('num'), fc.constantFrom('+', '-', '*', '/'), tie('num'))
      .map(([a, o, b]) => `(${a} ${o} ${b})`),
    fc.tuple(tie('money'), tie('money')).map(([a, b]) => `(${a} / ${b})`),
  ),
  money: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fen.map(lit),
    fc.constantFrom('payment.amount', 'params.limit', 'sumSamePayee(3)', 'sumOf(details, d -> d.amount)'),
    fc.tuple(tie('money'), fc.constantFrom('+', '-'), tie('money')).map(([a, o, b]) => `(${a} ${o} ${b})`),
    fc.tuple(tie('money'), fc.constantFrom('*', '/'), tie('num')).map(([a, o, b]) => `(${a} ${o} ${b})`),
  ),
  bool: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('true', 'false', "payee.name contains '公司'", 'isWorkingDay()'),
    fc
      .tuple(tie('money'), fc.constantFrom('=', '<', '>='), tie('money'))
      .map(([a, o, b]) => `${a} ${o} ${b}`),
    fc.tuple(tie('num'), fc.constantFrom('!=', '>', '<='), tie('num')).map(([a, o, b]) => `${a} ${o} ${b}`),
    fc.tuple(tie('money'), tie('money'), tie('money')).map(([a, b, c]) => `${a} between ${b} and ${c}`),
    fc.tuple(tie('bool'), fc.constantFrom('and', 'or'), tie('bool')).map(([a, o, b]) => `(${a} ${o} ${b})`),
    tie('bool').map((b) => `not (${b})`),
  ),
}));

test.prop([bool])('a well-typed condition checks, and evaluates to a boolean or a rule error', (src) => {
  const c = checkExpression(src, schema);
  if (!c.ok) {
    // Only the size limits may refuse a generated condition.
    expect(c.errors[0]!.message.en).toMatch(/deeper than|more than|longer than/);
    return;
  }
  const r = evaluateExpression(c.expression, ctx);
  if (r.ok) expect(typeof r.value).toBe('boolean');
  else
    expect(['division by zero', 'arithmetic overflow', 'number is not finite']).toContain(r.error.message.en);
});
