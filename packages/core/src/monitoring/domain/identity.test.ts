import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { errorCodeOf as code } from '../../kernel/errors-testing';
import {
  checkBeneficiaryId,
  checkEnterpriseId,
  checkPersonId,
  enterpriseIdCheckChar,
  type IdCheck,
  personIdCheckChar,
} from './identity';

const TODAY = '2026-06-10';
const CREDIT = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/**
 * Reference check characters, computed the other way the standards allow: ISO 7064 MOD 11-2 by
 * its recursive form (p = 2(p + d) mod 11), and MOD 31 with weights derived as 3^i mod 31. They
 * share no table with the implementation, so a wrong weight there cannot hide here.
 */
function refPersonCheck(first17: string): string {
  let p = 0;
  for (const c of first17) p = ((p + Number(c)) * 2) % 11;
  const v = (12 - p) % 11;
  return v === 10 ? 'X' : String(v);
}
function refCreditCheck(first17: string): string {
  let sum = 0;
  let w = 1;
  for (const c of first17) {
    sum += CREDIT.indexOf(c) * w;
    w = (w * 3) % 31;
  }
  return CREDIT[(31 - (sum % 31)) % 31]!;
}
const person = (area: string, birth: string, seq: string): string => {
  const first17 = `${area}${birth}${seq}`;
  return first17 + refPersonCheck(first17);
};
const enterprise = (first17: string): string => first17 + refCreditCheck(first17);
const reason = (c: IdCheck): string => (c.ok ? 'ok' : c.reason.en);

describe('checkPersonId', () => {
  it('accepts the well-known sample and ids built by the reference generator', () => {
    expect(checkPersonId('11010519491231002X', TODAY)).toEqual({ ok: true, kind: 'person' });
    for (const id of [
      person('530702', '19800229', '123'), // leap day
      person('110105', '19000101', '001'), // earliest birth
      person('820000', '20260610', '555'), // born today
      person('650102', '19991231', '990'),
    ])
      expect(checkPersonId(id, TODAY)).toEqual({ ok: true, kind: 'person' });
  });

  it('computes the check character, X included', () => {
    expect(personIdCheckChar('11010519491231002')).toBe('X');
    expect(personIdCheckChar('53070219800229123')).toBe(refPersonCheck('53070219800229123'));
    expect(code(() => personIdCheckChar('1101051949123100'))).toBe('VALIDATION_FAILED');
    expect(code(() => personIdCheckChar('1101051949123100A'))).toBe('VALIDATION_FAILED');
  });

  it.each([
    ['110105194912310', 'an id number has 18 characters, not 15'],
    ['11010519491231002X1', 'an id number has 18 characters, not 19'],
    ['', 'an id number has 18 characters, not 0'],
    ['11010519491231002x', 'an id number is 17 digits and a digit or capital X'],
    ['1101051949123100X2', 'an id number is 17 digits and a digit or capital X'],
    ['11010519491231 02X', 'an id number is 17 digits and a digit or capital X'],
    ['110105194912310021', 'the id number check character does not match'],
  ])('refuses %j: %s', (id, why) => expect(reason(checkPersonId(id, TODAY))).toBe(why));

  it('refuses address codes outside the province list', () => {
    for (const p of [
      '00',
      '10',
      '16',
      '20',
      '24',
      '30',
      '38',
      '40',
      '47',
      '49',
      '55',
      '60',
      '66',
      '72',
      '80',
      '84',
      '90',
      '92',
    ])
      expect(reason(checkPersonId(person(`${p}0105`, '19800101', '123'), TODAY))).toMatch(/^address code/);
    for (const p of [
      '11',
      '15',
      '21',
      '23',
      '31',
      '37',
      '41',
      '46',
      '50',
      '54',
      '61',
      '65',
      '71',
      '81',
      '82',
      '83',
      '91',
    ])
      expect(checkPersonId(person(`${p}0105`, '19800101', '123'), TODAY).ok).toBe(true);
  });

  it.each([
    ['19810229', 'no leap day in 1981'],
    ['19801301', 'month 13'],
    ['19800431', 'April 31st'],
    ['18991231', 'before 1900'],
    ['20260611', 'after today'],
    ['00000000', 'all zeros'],
  ])('refuses birth date %s (%s)', (birth) => {
    expect(reason(checkPersonId(person('530702', birth, '123'), TODAY))).toMatch(/^birth date/);
  });

  it('explains itself in Chinese too, and refuses a today that is not a date', () => {
    const c = checkPersonId('110105194912310021', TODAY);
    expect(c.ok ? '' : c.reason['zh-CN']).toBe('身份证号校验位不符');
    expect(code(() => checkPersonId('11010519491231002X', '2026-02-30'))).toBe('VALIDATION_FAILED');
  });
});

describe('checkEnterpriseId', () => {
  it('accepts the standard’s sample and generated codes', () => {
    expect(checkEnterpriseId('91350100M000100Y43')).toEqual({ ok: true, kind: 'enterprise' });
    for (const c of [
      enterprise('91530702MA6K12345'),
      enterprise('12530700431234567'),
      enterprise('Y1110105000000000'),
    ])
      expect(checkEnterpriseId(c)).toEqual({ ok: true, kind: 'enterprise' });
  });

  it('computes the check character, 0 when the sum is a multiple of 31', () => {
    expect(enterpriseIdCheckChar('91350100M000100Y4')).toBe('3');
    expect(enterpriseIdCheckChar('00000000000000000')).toBe('0');
    expect(enterpriseIdCheckChar('10000000000000000')).toBe('Y'); // 31 − 1 = 30 → Y
    expect(code(() => enterpriseIdCheckChar('91350100M000100I4'))).toBe('VALIDATION_FAILED');
    expect(code(() => enterpriseIdCheckChar('91350100M000100'))).toBe('VALIDATION_FAILED');
  });

  it.each([
    ['91350100M000100Y4', 'a credit code has 18 characters, not 17'],
    ['91350100M000100Y43 ', 'a credit code has 18 characters, not 19'],
    ['91350100M000100I43', 'a credit code uses digits and capitals except I, O, Z, S, V'],
    ['91350100m000100Y43', 'a credit code uses digits and capitals except I, O, Z, S, V'],
    ['9135010OM000100Y43', 'a credit code uses digits and capitals except I, O, Z, S, V'],
    ['913501A0M000100Y43', 'positions 3–8 must be a division code, not 3501A0'],
    ['91350100M000100Y44', 'the credit code check character does not match'],
  ])('refuses %j: %s', (c, why) => expect(reason(checkEnterpriseId(c))).toBe(why));

  it('accepts any alphabet character in positions 1 and 2', () => {
    for (const a of ['1', '5', '9', 'Y', 'A', 'N'])
      expect(checkEnterpriseId(enterprise(`${a}X350100M000100Y4`)).ok).toBe(true);
  });
});

describe('checkBeneficiaryId', () => {
  it('dispatches on kind, so a valid id of the other kind fails', () => {
    expect(checkBeneficiaryId('person', '11010519491231002X', TODAY)).toEqual({ ok: true, kind: 'person' });
    expect(checkBeneficiaryId('enterprise', '91350100M000100Y43', TODAY)).toEqual({
      ok: true,
      kind: 'enterprise',
    });
    expect(checkBeneficiaryId('enterprise', '11010519491231002X', TODAY).ok).toBe(false);
    expect(checkBeneficiaryId('person', '91350100M000100Y43', TODAY).ok).toBe(false);
  });
});

const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));
const province = fc.constantFrom('11', '13', '23', '33', '44', '53', '65', '71', '81', '83', '91');
const birth = fc
  .integer({ min: 0, max: 46_000 }) // 1900-01-01 … 2025-12-10
  .map((d) => new Date(Date.UTC(1900, 0, 1 + d)).toISOString().slice(0, 10).replaceAll('-', ''));
const validPerson = fc
  .tuple(province, digits(4), birth, digits(3))
  .map(([p, a, b, s]) => person(p + a, b, s));
const creditChar = fc.constantFrom(...CREDIT);
const validEnterprise = fc
  .tuple(creditChar, creditChar, digits(6), fc.array(creditChar, { minLength: 9, maxLength: 9 }))
  .map(([a, b, area, org]) => enterprise(a + b + area + org.join('')));

describe('identity properties', () => {
  test.prop([validPerson])(
    'every generated person id passes, and the check char matches the reference',
    (id) => {
      expect(checkPersonId(id, TODAY)).toEqual({ ok: true, kind: 'person' });
      expect(personIdCheckChar(id.slice(0, 17))).toBe(id[17]);
    },
  );

  test.prop([validPerson, fc.nat(17), fc.constantFrom(...'0123456789X')])(
    'changing any one character of a valid person id makes it fail',
    (id, at, c) => {
      fc.pre(id[at] !== c);
      expect(checkPersonId(id.slice(0, at) + c + id.slice(at + 1), TODAY).ok).toBe(false);
    },
  );

  test.prop([validEnterprise])('every generated credit code passes', (c) => {
    expect(checkEnterpriseId(c)).toEqual({ ok: true, kind: 'enterprise' });
    expect(enterpriseIdCheckChar(c.slice(0, 17))).toBe(c[17]);
  });

  test.prop([validEnterprise, fc.nat(17), creditChar])(
    'changing any one character of a valid credit code makes it fail',
    (code, at, c) => {
      fc.pre(code[at] !== c);
      expect(checkEnterpriseId(code.slice(0, at) + c + code.slice(at + 1)).ok).toBe(false);
    },
  );
});
