import { describe, expect, it } from 'vitest';
import { checkExpression, type EvaluationResult, evaluateExpression, MAX_SOURCE_LENGTH } from './expression';
import { functionCatalogue, type MonitorAggregates } from './functions';
import { subjectEnv, subjectSchema } from './subject';
import { aPayment, quietHistory } from './testing';

const params = { threshold: 50_000_00n, days: 3, codes: ['30211', '30215'], rate: 2 };
const schema = subjectSchema(params);

function run(src: string, history: Partial<MonitorAggregates> = {}, subject = aPayment()): EvaluationResult {
  const c = checkExpression(src, schema, 'boolean');
  if (!c.ok) throw new Error(`${src}: ${c.errors.map((e) => e.message.en).join('; ')}`);
  return evaluateExpression(c.expression, {
    env: subjectEnv(subject, params),
    aggregates: quietHistory(history),
  });
}
const truth = (src: string, history: Partial<MonitorAggregates> = {}, subject = aPayment()): unknown => {
  const r = run(src, history, subject);
  return r.ok ? r.value : r.error.code;
};
function refused(src: string): { position: number; en: string } {
  const c = checkExpression(src, schema);
  if (c.ok) throw new Error(`accepted: ${src}`);
  expect(c.errors[0]!.code).toBe('MONITOR_EXPRESSION_INVALID');
  expect(c.errors[0]!.message['zh-CN']).not.toBe('');
  return { position: c.errors[0]!.position, en: c.errors[0]!.message.en };
}

describe('operators', () => {
  it.each([
    ['1 = 1', true],
    ['1 != 1', false],
    ['2 > 1 and 1 >= 1 and 0 < 1 and 1 <= 1', true],
    ["'abc' contains 'b'", true],
    ["'abc' startsWith 'ab' and 'abc' endsWith 'bc'", true],
    ["'x' in ['x', 'y'] and 'z' not in ['x', 'y']", true],
    ['5 between 1 and 5 and not 6 between 1 and 5', true],
    ['5 not between 6 and 9', true],
    ["'abc' not contains 'z' and 'abc' not startsWith 'b'", true],
    ['true or false and false', true],
    ['(true or false) and false', false],
    ['not not true', true],
    ['1 + 2 * 3 = 7 and (1 + 2) * 3 = 9 and 7 / 2 = 3.5 and -2 + 5 = 3', true],
    ['[1, 2] contains 2', true],
    ["payment.time between '08:00' and '18:00'", true],
    ['payment.contractNo = null and isEmpty(payment.contractNo)', true],
    ["payment.contractNo != 'X'", true],
    ["len(details) = 1 and len('公务卡') = 3", true],
  ])('%s → %s', (src, want) => expect(truth(src)).toBe(want));
});

describe('money is exact bigint fen', () => {
  it.each([
    ['payment.amount = 1200.00元', true],
    ["payment.amount = yuan('1200')", true],
    ['0.1元 + 0.2元 = 0.3元', true],
    ['payment.amount > 1199.99元 and payment.amount < 1200.01元', true],
    ['999999999999999.99元 - 0.01元 = 999999999999999.98元', true],
    ['payment.amount * 0.02 = 24元', true],
    ['0.05元 * 0.5 = 0.03元', true], // rounding half away from zero
    ['-0.05元 * 0.5 = -0.03元', true],
    ['100元 / 3 = 33.33元', true],
    ['payment.amount / 400元 = 3', true],
    ['sumOf(details, d -> d.amount) = payment.amount', true],
    ['payment.amount between 1000元 and 2000元', true],
    ['params.threshold = 50000.00元', true],
  ])('%s → %s', (src, want) => expect(truth(src)).toBe(want));

  it('compares beyond float precision', () => {
    const big = aPayment({ amountFen: 900_719_925_474_099_3n });
    expect(truth('payment.amount > 90071992547409.92元', {}, big)).toBe(true);
  });

  it.each([
    'payment.amount > 50000',
    'payment.amount + 1 > 0元',
    '1元 * 1元 > 0元',
    '1 / 1元 > 0',
    "payment.amount = '1200'",
  ])('refuses to mix money and non-money: %s', (src) => {
    expect(refused(src).en).toMatch(/cannot be applied/);
  });

  it.each(['1.234元', "yuan('1.234')", "yuan('abc')", 'yuan(1200)', "yuan('1', '2')", '1234567890123456元'])(
    'refuses a bad money literal: %s',
    (src) => {
      refused(src);
    },
  );
});

describe('fields, lists and functions', () => {
  it('reads nested fields and lambdas', () => {
    expect(truth("payee.accountKind = 'corporate' and indicator.fundTypeCode = '1'")).toBe(true);
    expect(truth("any(details, d -> d.depEcoCode startsWith '302')")).toBe(true);
    expect(truth("all(details, d -> d.depEcoCode startsWith '301')")).toBe(false);
    expect(truth('count(details, d -> d.amount > 0元) = 1 and len(filter(details, d -> d.isCash)) = 0')).toBe(
      true,
    );
    expect(truth('any(details, d -> any(params.codes, c -> d.depEcoCode startsWith c))')).toBe(false);
    expect(truth('all(beneficiaries, b -> b.amount > 1000000元)')).toBe(true); // vacuous
  });

  it('asks the caller for aggregates with the given arguments', () => {
    const seen: number[] = [];
    const h = {
      countSamePayee: (d: number) => {
        seen.push(d);
        return 2;
      },
    };
    expect(truth('countSamePayee(params.days) = 2 and countSamePayee(7) = 2', h)).toBe(true);
    expect(seen).toEqual([3, 7]);
    expect(truth("cashTotal('month') = 0元 and unitEcoHistoryStats('30211').count = 50")).toBe(true);
    expect(truth("payeeFirstSeen() < '2025-01-01' and isWorkingDay()")).toBe(true);
  });

  it('short-circuits and/or, so a guarded division never runs', () => {
    expect(
      truth(
        'indicator.amount - indicator.amount > 0元 and payment.amount / (indicator.amount - indicator.amount) > 1',
      ),
    ).toBe(false);
  });

  it.each([
    ['payment.amout > 0元', /unknown field amout/],
    ['payee.balance > 0元', /unknown field balance/],
    ['foo > 1', /unknown name foo/],
    ['params.nope = 1', /unknown field nope/],
    ['sendMail(1)', /unknown function sendMail/],
    ['countSamePayee() > 0', /takes 1 argument/],
    ["countSamePayee('3') > 0", /must be number/],
    ['any(details, 1)', /write any\(list, x -> …\)/],
    ['any(payment, d -> true)', /must be a list/],
    ['any(details, d -> d.amount)', /must return boolean/],
    ['sumOf(details, d -> true) > 0元', /must return money/],
    ['any(details, payment -> true)', /shadows/],
    ['payment.amount', /must yield boolean/],
    ['1 and true', /cannot be applied/],
    ['not 1', /must be boolean/],
    ["-'a' = 'a'", /must be number\/money/],
    ['[] = []', /cannot be empty/],
    ["[1, 'a'] contains 1", /differ in type/],
    ['payment = payment', /cannot be applied/],
    ["'a' between 1 and 2", /between needs/],
    ['payment.amount.x = 1', /has no field x/],
  ])('refuses %s', (src, re) => expect(refused(src).en).toMatch(re));

  it('reports every independent error, each at its position', () => {
    const c = checkExpression('payment.nope = 1 or payee.nope = 2', schema);
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.errors.map((e) => e.position)).toEqual([8, 26]);
  });

  it('lists its catalogue with signatures', () => {
    const names = functionCatalogue().map((f) => f.name);
    expect(names).toEqual(
      expect.arrayContaining(['any', 'sumOf', 'countSamePayee', 'unitEcoHistoryStats', 'isEmpty']),
    );
    expect(functionCatalogue().find((f) => f.name === 'sumSamePayee')?.signature).toBe(
      'sumSamePayee(number): money',
    );
  });
});

describe('syntax', () => {
  it.each([
    ['', 0],
    ['1 = ', 4],
    ['(1 = 1', 6],
    ["'abc", 0],
    ['1 = 1 1', 6],
    ['1 < 2 < 3', 6],
    ['a not b', 6],
    ['12abc = 1', 2],
    ["'a\\n' = 'a'", 2],
    ['1 == 1', 3],
    ['payment.amount >= 5 and', 23],
  ])('refuses %j at %i', (src, pos) => expect(refused(src).position).toBe(pos));

  it('accepts both quote styles, escapes and full-width spaces', () => {
    expect(truth(`"it's" = 'it\\'s'\u3000and '\\\\' = "\\\\"`)).toBe(true);
  });
});

describe('escapes into the host are refused at check time', () => {
  it.each([
    ['constructor', /constructor is not allowed/],
    ['payment.constructor = 1', /constructor is not allowed/],
    ['payment.__proto__ = 1', /__proto__ is not allowed/],
    ['details.prototype = 1', /prototype is not allowed/],
    ['this.x = 1', /this is not allowed/],
    ['process.exit()', /process is not allowed/],
    ['payee.name.toString() = 1', /only catalogue functions/],
    ['eval(1)', /eval is not allowed/],
    ['globalThis = 1', /globalThis is not allowed/],
    ['`1` = 1', /character "`" is not allowed/],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the attempted escape is the point
    ['${1} = 1', /character "\$" is not allowed/],
    ["payee['name'] = 'x'", /unexpected \[/],
    ['new Date() = 1', /new is not allowed/],
    ['x => 1', /character "=" is not allowed|unexpected/],
    ['1; 2', /character ";" is not allowed/],
    ['toString() = 1', /unknown function toString/],
    ['hasOwnProperty(payment) = true', /unknown function hasOwnProperty/],
    ['valueOf = 1', /unknown name valueOf/],
    ['payment.toString = 1', /unknown field toString/],
  ])('%s', (src, re) => expect(refused(src).en).toMatch(re));

  it('keeps template-looking text inside a string literal as inert data', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the attempted escape is the point
    expect(truth("payment.purpose != '${process.exit()}`'")).toBe(true);
  });
});

describe('limits', () => {
  it('refuses over-long source', () => {
    const src = `payment.amount > 0元${' '.repeat(MAX_SOURCE_LENGTH)}`;
    expect(refused(src).en).toMatch(/longer than 2000/);
  });

  it('refuses deep nesting without overflowing the stack', () => {
    expect(refused(`${'('.repeat(900)}true${')'.repeat(900)}`).en).toMatch(/deeper than 32/);
    expect(refused(`${'not '.repeat(40)}true`).en).toMatch(/deeper than 32/);
    expect(refused(`${'-'.repeat(40)}1 = 1`).en).toMatch(/deeper than 32/);
  });

  it('refuses a deep left-leaning chain and a tree with too many nodes', () => {
    expect(refused(`${Array(40).fill('1').join(' + ')} = 1`).en).toMatch(/deeper than 32/);
    const wide = Array(20)
      .fill(`[${Array(20).fill('1').join(', ')}] contains 1`)
      .join(' or ');
    expect(wide.length).toBeLessThan(MAX_SOURCE_LENGTH);
    expect(checkExpression(`(${wide})`, schema)).toMatchObject({ ok: false });
  });

  it('accepts 32 levels', () => {
    expect(checkExpression(`${'('.repeat(30)}true${')'.repeat(30)}`, schema).ok).toBe(true);
  });
});

describe('evaluation never throws', () => {
  it('turns division by zero into a rule error', () => {
    for (const src of [
      '1 / 0 > 0',
      'payment.amount / 0 > 0元',
      'payment.amount / 0元 > 1',
      'payment.amount / 0.0000001 > 0元',
    ]) {
      const r = run(src);
      expect(r).toMatchObject({ ok: false, error: { code: 'MONITOR_EXPRESSION_FAILED' } });
      if (!r.ok) expect(r.error.message.en).toBe('division by zero');
    }
  });

  it('turns a failing or misbehaving aggregate into a rule error', () => {
    const boom = () => {
      throw new Error('db down');
    };
    expect(run('countSamePayee(3) > 0', { countSamePayee: boom })).toMatchObject({
      ok: false,
      error: { position: 0, message: { en: 'aggregate countSamePayee failed' } },
    });
    const wrong = { sumSamePayee: () => 5 as unknown as bigint };
    expect(run('sumSamePayee(3) > 0元', wrong)).toMatchObject({ ok: false });
    expect(run("cashTotal('week') > 0元")).toMatchObject({ ok: false });
    const nan = { unitEcoHistoryStats: () => ({ mean: Number.NaN, stddev: 0, count: 1 }) };
    expect(run("unitEcoHistoryStats('1').mean > 0", nan)).toMatchObject({ ok: false });
  });

  it('reports arithmetic overflow of numbers', () => {
    expect(refused('1e308 > 0').en).toMatch(/cannot be followed by a letter/);
    expect(run(`${'999999999999999 * '.repeat(25)}1 > 0`)).toMatchObject({ ok: false });
  });
});
