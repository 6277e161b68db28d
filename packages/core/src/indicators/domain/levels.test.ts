import { describe, expect, it } from 'vitest';
import { compareLevels, type IssuedRecord, type ReceivedRecord } from './levels';

const issued = (id: string, amount = 1000n): IssuedRecord => ({
  messageId: id,
  toRegion: '530702000',
  docId: 'ZB1',
  docNo: `文号${id}`,
  amountFen: amount,
  ledgerFen: amount,
  fundTypeCode: '111',
  elementsDigest: 'd',
});
const received = (id: string, amount = 1000n, over: Partial<ReceivedRecord> = {}): ReceivedRecord => ({
  messageId: id,
  region: '530702000',
  fromRegion: '530700000',
  docNo: `文号${id}`,
  amountFen: amount,
  ledgerFen: amount,
  fundTypeCode: '111',
  elementsDigest: 'd',
  ...over,
});
const kinds = (i: IssuedRecord[], r: ReceivedRecord[]) =>
  compareLevels(i, r).map((d) => `${d.kind}:${d.messageId}`);

describe('level reconciliation', () => {
  it('finds nothing when every issue arrived intact', () => {
    expect(compareLevels([issued('m1'), issued('m2')], [received('m2'), received('m1')])).toEqual([]);
  });
  it('names a missing, an unexpected and an altered message', () => {
    expect(kinds([issued('m1'), issued('m2')], [received('m2', 999n), received('m9')])).toEqual([
      'missing:m1',
      'amountMismatch:m2',
      'unexpected:m9',
    ]);
  });
  it('names a receipt booked twice and elements that changed on the way', () => {
    expect(kinds([issued('m1')], [received('m1', 1000n, { ledgerFen: 2000n })])).toEqual(['duplicated:m1']);
    expect(kinds([issued('m1')], [received('m1', 1000n, { fundTypeCode: '121' })])).toEqual([
      'elementMismatch:m1',
    ]);
  });
  it('names an issue whose own ledger entry is missing or reversed', () => {
    expect(kinds([{ ...issued('m1'), ledgerFen: 0n }], [received('m1')])).toEqual(['ledgerMismatch:m1']);
  });
});
