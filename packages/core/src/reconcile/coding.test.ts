import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codingText } from './coding';

const part = fc.option(fc.stringMatching(/^[0-9A-Z]{1,9}$/), { nil: null });

describe('codingText', () => {
  it('joins the five parts in a fixed order, missing parts empty', () => {
    expect(
      codingText({ agency: '205002', expFunc: '2050203', supDep: '205', fundType: '111', payType: '11' }),
    ).toBe('205002|2050203|205|111|11');
    expect(
      codingText({ agency: null, expFunc: '2050203', supDep: null, fundType: null, payType: '12' }),
    ).toBe('|2050203|||12');
  });

  it('is one-to-one: different codings never share a text (no separator inside a code)', () => {
    fc.assert(
      fc.property(fc.tuple(part, part, part, part, part), fc.tuple(part, part, part, part, part), (a, b) => {
        const c = (t: typeof a) => ({
          agency: t[0],
          expFunc: t[1],
          supDep: t[2],
          fundType: t[3],
          payType: t[4],
        });
        const same = a.every((v, i) => (v ?? '') === (b[i] ?? ''));
        expect(codingText(c(a)) === codingText(c(b))).toBe(same);
      }),
    );
  });
});
