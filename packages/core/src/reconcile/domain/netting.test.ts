import { describe, expect, it } from 'vitest';
import { sameDayBounces, type VoucherSides } from './netting';

const row = (item: 'pay' | 'refund', over: Partial<VoucherSides> = {}): VoucherSides => ({
  item,
  key: 'V1',
  fn: 1,
  fa: '5678',
  bn: 1,
  ba: '5678',
  pn: 0,
  ...over,
});

describe('sameDayBounces (当日退票未清算)', () => {
  it('nets a payment and its refund that finance and the bank agree on and the PBOC lists neither of', () => {
    expect([...sameDayBounces([row('pay'), row('refund')], true, true)].sort()).toEqual([
      'pay|V1',
      'refund|V1',
    ]);
    expect(
      sameDayBounces([row('pay', { bn: 0, ba: null }), row('refund', { bn: 0, ba: null })], true, false).size,
    ).toBe(2);
  });

  it('does not net when the PBOC lists either, an amount differs, one side lacks one, or only a payment is missing', () => {
    expect(sameDayBounces([row('pay', { pn: 1 }), row('refund')], true, true).size).toBe(0);
    expect(sameDayBounces([row('pay'), row('refund', { fa: '5677' })], true, true).size).toBe(0);
    expect(sameDayBounces([row('pay'), row('refund', { ba: '5679' })], true, true).size).toBe(0);
    expect(sameDayBounces([row('pay'), row('refund', { bn: 0, ba: null })], true, true).size).toBe(0);
    expect(sameDayBounces([row('pay', { fn: 2 }), row('refund')], true, true).size).toBe(0);
    expect(sameDayBounces([row('pay')], true, true).size).toBe(0);
    expect(sameDayBounces([row('pay'), row('refund')], false, false).size).toBe(0);
  });
});
