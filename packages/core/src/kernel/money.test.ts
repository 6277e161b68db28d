import { describe, expect, it } from 'vitest';
import {
  absFen,
  allocate,
  formatWanYuan,
  formatYuan,
  formatYuanGrouped,
  MoneyFormatError,
  maxFen,
  minFen,
  parseYuan,
  sumFen,
  toChineseCapital,
} from './money';

describe('parseYuan', () => {
  it.each([
    ['0', 0n],
    ['1234', 123400n],
    ['1234.5', 123450n],
    ['1234.56', 123456n],
    ['-0.01', -1n],
    ['-1234.5', -123450n],
    ['0.1', 10n],
    ['999999999999999.99', 99999999999999999n],
  ])('%s → %s fen', (input, fen) => {
    expect(parseYuan(input)).toBe(fen);
  });

  it.each([
    '',
    ' ',
    ' 1',
    '1 ',
    '1.234',
    '1e3',
    '1E3',
    '1,234',
    '1，234',
    '+1',
    '.5',
    '1.',
    '-',
    '-.5',
    '--1',
    '1000000000000000',
    'NaN',
    'Infinity',
    '0x10',
    '１２３',
    '¥1',
  ])('rejects %j', (input) => {
    expect(() => parseYuan(input)).toThrow(MoneyFormatError);
    try {
      parseYuan(input);
    } catch (e) {
      expect((e as MoneyFormatError).input).toBe(input);
    }
  });
});

describe('formatYuan / formatYuanGrouped', () => {
  it.each([
    [0n, '0.00', '0.00'],
    [1n, '0.01', '0.01'],
    [-1n, '-0.01', '-0.01'],
    [123456n, '1234.56', '1,234.56'],
    [123456789n, '1234567.89', '1,234,567.89'],
    [-123456789n, '-1234567.89', '-1,234,567.89'],
    [100000n, '1000.00', '1,000.00'],
    [99999n, '999.99', '999.99'],
    [10n ** 20n, '1000000000000000000.00', '1,000,000,000,000,000,000.00'],
  ])('%s fen', (fen, plain, grouped) => {
    expect(formatYuan(fen)).toBe(plain);
    expect(formatYuanGrouped(fen)).toBe(grouped);
  });
});

describe('formatWanYuan', () => {
  it.each([
    [0n, 2, '0.00'],
    [1_000_000n, 2, '1.00'],
    [1_234_567_890n, 2, '1234.57'],
    [1_234_564_999n, 2, '1234.56'],
    [1_234_565_000n, 2, '1234.57'],
    [-1_234_565_000n, 2, '-1234.57'],
    [-1_234_564_999n, 2, '-1234.56'],
    [4_999n, 2, '0.00'],
    [5_000n, 2, '0.01'],
    [-4_999n, 2, '0.00'],
    [-5_000n, 2, '-0.01'],
    [1_500_000n, 0, '2'],
    [1_499_999n, 0, '1'],
    [1n, 6, '0.000001'],
    [1n, 8, '0.00000100'],
    [123_456_789n, 4, '123.4568'],
  ])('%s fen, %s decimals → %s', (fen, decimals, expected) => {
    expect(formatWanYuan(fen, decimals)).toBe(expected);
  });

  it('defaults to two decimals', () => {
    expect(formatWanYuan(12_345_678n)).toBe('12.35');
  });

  it.each([-1, 1.5, Number.NaN])('rejects %s decimals', (decimals) => {
    expect(() => formatWanYuan(1n, decimals)).toThrow(RangeError);
  });
});

describe('toChineseCapital', () => {
  it.each([
    ['0', '零元整'],
    ['0.01', '壹分'],
    ['0.05', '伍分'],
    ['0.10', '壹角整'],
    ['0.15', '壹角伍分'],
    ['1', '壹元整'],
    ['10', '壹拾元整'],
    ['10.50', '壹拾元伍角整'],
    ['11', '壹拾壹元整'],
    ['20', '贰拾元整'],
    ['100', '壹佰元整'],
    ['101', '壹佰零壹元整'],
    ['110', '壹佰壹拾元整'],
    ['1001', '壹仟零壹元整'],
    ['1000.05', '壹仟元零伍分'],
    ['1010.10', '壹仟零壹拾元壹角整'],
    ['1409.50', '壹仟肆佰零玖元伍角整'],
    ['6007.14', '陆仟零柒元壹角肆分'],
    ['1680.32', '壹仟陆佰捌拾元叁角贰分'],
    ['325.04', '叁佰贰拾伍元零肆分'],
    ['16409.02', '壹万陆仟肆佰零玖元零贰分'],
    ['10000', '壹万元整'],
    ['10001', '壹万零壹元整'],
    ['10010', '壹万零壹拾元整'],
    ['11000', '壹万壹仟元整'],
    ['100100', '壹拾万零壹佰元整'],
    ['105000', '壹拾万零伍仟元整'],
    ['107000.53', '壹拾万零柒仟元伍角叁分'],
    ['2000000.01', '贰佰万元零壹分'],
    ['3004005', '叁佰万零肆仟零伍元整'],
    ['3014005', '叁佰零壹万肆仟零伍元整'],
    ['100000000', '壹亿元整'],
    ['100000001', '壹亿零壹元整'],
    ['100010000', '壹亿零壹万元整'],
    ['110000000', '壹亿壹仟万元整'],
    ['1000000000', '壹拾亿元整'],
    ['1010000000', '壹拾亿零壹仟万元整'],
    ['1000000000000', '壹万亿元整'],
    ['1000000000001', '壹万亿零壹元整'],
    ['1000100000000', '壹万零壹亿元整'],
    ['1234567890123.45', '壹万贰仟叁佰肆拾伍亿陆仟柒佰捌拾玖万零壹佰贰拾叁元肆角伍分'],
    ['999999999999999.99', '玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分'],
    ['-0.01', '负壹分'],
    ['-1000.05', '负壹仟元零伍分'],
  ])('%s → %s', (yuan, capital) => {
    expect(toChineseCapital(parseYuan(yuan))).toBe(capital);
  });

  it('refuses amounts beyond 万亿', () => {
    expect(() => toChineseCapital(10n ** 18n)).toThrow(RangeError);
    expect(toChineseCapital(10n ** 18n - 1n)).toMatch(/^玖仟玖佰玖拾玖万/);
  });
});

describe('allocate', () => {
  it('splits evenly when it can', () => {
    expect(allocate(300n, [1n, 1n, 1n])).toEqual([100n, 100n, 100n]);
  });

  it('gives leftover fen to the lower index on ties', () => {
    expect(allocate(100n, [1n, 1n, 1n])).toEqual([34n, 33n, 33n]);
    expect(allocate(200n, [1n, 1n, 1n])).toEqual([67n, 67n, 66n]);
  });

  it('gives leftover fen to the largest remainder first', () => {
    // exact shares 1.5, 3.5, 5 → remainders tie at 0.5 → lower index wins
    expect(allocate(10n, [3n, 7n, 10n])).toEqual([2n, 3n, 5n]);
    // exact shares 2.25, 6.75 → the 0.75 remainder wins
    expect(allocate(9n, [1n, 3n])).toEqual([2n, 7n]);
  });

  it('mirrors negative totals', () => {
    expect(allocate(-100n, [1n, 1n, 1n])).toEqual([-34n, -33n, -33n]);
    expect(allocate(-9n, [1n, 3n])).toEqual([-2n, -7n]);
  });

  it('never gives anything to a zero weight', () => {
    expect(allocate(5n, [0n, 1n, 0n, 1n])).toEqual([0n, 3n, 0n, 2n]);
  });

  it('handles a zero total and a single weight', () => {
    expect(allocate(0n, [1n, 2n])).toEqual([0n, 0n]);
    expect(allocate(12345n, [7n])).toEqual([12345n]);
  });

  it.each([
    ['empty weights', []],
    ['a negative weight', [1n, -1n]],
    ['all-zero weights', [0n, 0n]],
  ])('throws on %s', (_label, weights) => {
    expect(() => allocate(100n, weights)).toThrow(RangeError);
  });
});

describe('sumFen / absFen / minFen / maxFen', () => {
  it('sums any iterable', () => {
    expect(sumFen([])).toBe(0n);
    expect(sumFen([1n, -2n, 3n])).toBe(2n);
    expect(sumFen(new Set([10n, 20n]))).toBe(30n);
  });

  it('abs, min, max', () => {
    expect(absFen(-5n)).toBe(5n);
    expect(absFen(5n)).toBe(5n);
    expect(minFen(3n, -1n, 2n)).toBe(-1n);
    expect(maxFen(3n, -1n, 2n)).toBe(3n);
    expect(minFen(7n)).toBe(7n);
  });
});
