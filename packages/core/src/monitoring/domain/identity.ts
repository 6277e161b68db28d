import { FiscusError } from '../../kernel/errors';
import { isIsoDate } from './rules';
import type { LocalizedText } from './types';

/**
 * Beneficiary id numbers, checked before money goes to a person or an enterprise: 居民身份证号
 * (GB 11643-1999, ISO 7064 MOD 11-2) and 统一社会信用代码 (GB 32100-2015, MOD 31). Both check codes
 * catch every single-character substitution, so a typo never passes as another valid id.
 */
export type IdCheck = { ok: true; kind: 'person' | 'enterprise' } | { ok: false; reason: LocalizedText };

const refuse = (zh: string, en: string): IdCheck => ({ ok: false, reason: { 'zh-CN': zh, en } });

const PERSON_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const PERSON_CHECK = '10X98765432';
/**
 * 省级行政区划代码 (GB/T 2260 first two digits), plus 71 台湾, 81 香港, 82 澳门, 83 台湾居民居住证 and
 * 91 港澳居民居住证 as issued in practice.
 */
const PROVINCES: ReadonlySet<string> = new Set([
  ...['11', '12', '13', '14', '15', '21', '22', '23'],
  ...['31', '32', '33', '34', '35', '36', '37'],
  ...['41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54'],
  ...['61', '62', '63', '64', '65', '71', '81', '82', '83', '91'],
]);
const EARLIEST_BIRTH = '1900-01-01';

/** 统一社会信用代码 alphabet: digits and capitals without I, O, Z, S, V (too like 1, 0, 2, 5, U). */
const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

function misuse(detail: string): FiscusError {
  return new FiscusError('VALIDATION_FAILED', { detail });
}

/** The 18th character for 17 leading digits. */
export function personIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw misuse(`身份证号前 17 位应为数字 first 17 must be digits: ${first17}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * PERSON_WEIGHTS[i]!;
  return PERSON_CHECK[sum % 11]!;
}

/** The 18th character for 17 leading characters of the credit-code alphabet. */
export function enterpriseIdCheckChar(first17: string): string {
  if (first17.length !== 17 || [...first17].some((c) => !CREDIT_ALPHABET.includes(c)))
    throw misuse(`统一社会信用代码前 17 位含非法字符 first 17 are not in the alphabet: ${first17}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_ALPHABET.indexOf(first17[i]!) * CREDIT_WEIGHTS[i]!;
  return CREDIT_ALPHABET[(31 - (sum % 31)) % 31]!;
}

/**
 * 居民身份证号. `today` bounds the birth date (nobody is born in the future); it is the business
 * date, not the clock, so the check stays pure and repeatable.
 */
export function checkPersonId(id: string, today: string): IdCheck {
  if (!isIsoDate(today)) throw misuse(`today 不是有效日期 is not a date: ${today}`);
  if (id.length !== 18)
    return refuse(
      `身份证号应为 18 位，实为 ${id.length} 位`,
      `an id number has 18 characters, not ${id.length}`,
    );
  if (!/^\d{17}[\dX]$/.test(id))
    return refuse(
      '身份证号前 17 位应为数字，末位为数字或大写 X',
      'an id number is 17 digits and a digit or capital X',
    );
  if (!PROVINCES.has(id.slice(0, 2)))
    return refuse(
      `身份证号地址码 ${id.slice(0, 6)} 无效`,
      `address code ${id.slice(0, 6)} is not a province`,
    );
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (!isIsoDate(birth) || birth < EARLIEST_BIRTH || birth > today)
    return refuse(`身份证号出生日期 ${birth} 无效`, `birth date ${birth} is not valid`);
  if (personIdCheckChar(id.slice(0, 17)) !== id[17])
    return refuse('身份证号校验位不符', 'the id number check character does not match');
  return { ok: true, kind: 'person' };
}

/** 统一社会信用代码: 登记管理部门 and 机构类别 (positions 1–2) any alphabet character; 3–8 the 区划码. */
export function checkEnterpriseId(code: string): IdCheck {
  if (code.length !== 18)
    return refuse(
      `统一社会信用代码应为 18 位，实为 ${code.length} 位`,
      `a credit code has 18 characters, not ${code.length}`,
    );
  if ([...code].some((c) => !CREDIT_ALPHABET.includes(c)))
    return refuse(
      '统一社会信用代码只能含数字和大写字母（不含 I、O、Z、S、V）',
      'a credit code uses digits and capitals except I, O, Z, S, V',
    );
  if (!/^\d{6}$/.test(code.slice(2, 8)))
    return refuse(
      `统一社会信用代码第 3–8 位应为行政区划码，实为 ${code.slice(2, 8)}`,
      `positions 3–8 must be a division code, not ${code.slice(2, 8)}`,
    );
  if (enterpriseIdCheckChar(code.slice(0, 17)) !== code[17])
    return refuse('统一社会信用代码校验位不符', 'the credit code check character does not match');
  return { ok: true, kind: 'enterprise' };
}

export function checkBeneficiaryId(kind: 'person' | 'enterprise', id: string, today: string): IdCheck {
  return kind === 'person' ? checkPersonId(id, today) : checkEnterpriseId(id);
}
