import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkClearing } from './clearing-check';

describe('checkClearing (3504 清算信息对账)', () => {
  it('agrees when every line nets to the same amount, however the lines are split', () => {
    expect(
      checkClearing(
        [
          { key: '205|2050203|111|11', fen: 100_00n },
          { key: '205|2050203|111|11', fen: -30_00n },
        ],
        [{ key: '205|2050203|111|11', fen: 70_00n }],
      ),
    ).toEqual({ result: '0', reason: '', differing: 0 });
  });

  it('names each differing line, a missing one as 0', () => {
    const c = checkClearing(
      [
        { key: 'A', fen: 1_00n },
        { key: 'B', fen: 2_00n },
      ],
      [
        { key: 'A', fen: 1_01n },
        { key: 'C', fen: 5n },
      ],
    );
    expect(c.result).toBe('1');
    expect(c.differing).toBe(3);
    expect(c.reason).toBe(
      '3 行不符 lines differ: A: 人行 1.01 / 财政 1.00; B: 人行 0.00 / 财政 2.00; C: 人行 0.05 / 财政 0.00',
    );
  });

  it('is symmetric in which side differs and never agrees when a total differs', () => {
    const line = fc.record({
      key: fc.constantFrom('A', 'B', 'C'),
      fen: fc.bigInt({ min: -10_000n, max: 10_000n }),
    });
    fc.assert(
      fc.property(fc.array(line), fc.array(line), (a, b) => {
        const x = checkClearing(a, b);
        expect(checkClearing(b, a).differing).toBe(x.differing);
        const total = (ls: typeof a) => ls.reduce((t, l) => t + l.fen, 0n);
        if (total(a) !== total(b)) expect(x.result).toBe('1');
      }),
    );
  });
});
