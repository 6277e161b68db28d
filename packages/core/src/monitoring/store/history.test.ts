import { describe, expect, it } from 'vitest';
import { type GroupRow, historyRowsOf, withoutOwn } from './history';

const g = (over: Partial<GroupRow>): GroupRow => ({
  d: '2026-03-02',
  eco: '30213',
  cash: false,
  payroll: false,
  same: null,
  n: 2,
  s: '30000',
  ss: '500000000',
  ...over,
});

describe('the judged application is taken out of its own history', () => {
  it('subtracts it from the one matching group and leaves the others', () => {
    const groups = [g({}), g({ d: '2026-03-03', n: 1, s: '5000', ss: '25000000' })];
    // 10 000 + 20 000 fen on 03-02; the judged one is the 20 000.
    const out = withoutOwn(groups, {
      d: '2026-03-02',
      eco: '30213',
      cash: false,
      payroll: false,
      amt: '20000',
    });
    expect(out).toEqual([
      g({ n: 1, s: '10000', ss: '100000000' }),
      g({ d: '2026-03-03', n: 1, s: '5000', ss: '25000000' }),
    ]);
    const { stats } = historyRowsOf(out);
    expect(stats).toEqual([{ eco: '30213', n: 2, mean: 7500, sd: 2500 }]);
  });

  it('drops a group that held only the judged application, and changes nothing without one', () => {
    const one = [g({ n: 1, s: '20000', ss: '400000000' })];
    expect(
      withoutOwn(one, { d: '2026-03-02', eco: '30213', cash: false, payroll: false, amt: '20000' }),
    ).toEqual([]);
    expect(withoutOwn(one, null)).toEqual(one);
    // A different key (cash) is another group: nothing is taken.
    expect(
      withoutOwn(one, { d: '2026-03-02', eco: '30213', cash: true, payroll: false, amt: '20000' }),
    ).toEqual(one);
  });
});
