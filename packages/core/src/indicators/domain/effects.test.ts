import { fc, test } from '@fast-check/vitest';
import type { DocumentBody } from '@fiscus/contracts';
import { describe, expect, it } from 'vitest';
import { errorCodeOf as code } from '../../kernel/errors-testing';
import { formatYuan } from '../../kernel/money';
import { elements } from '../../ledger/domain/elements';
import { totals } from '../../ledger/domain/posting';
import { postingsFor } from '../../ledger/domain/scenarios';
import { documentEffect, type EffectInput, type Indicator, share } from './effects';

const pool: Indicator = {
  id: 'POOL',
  pool: 'unallocated',
  elements: elements({ indicatorId: 'POOL', fundTypeCode: '111', expFuncCode: '2050203' }),
  originIndicatorId: null,
  originKind: 'approve',
};
const exe = (id: string, fund = '111'): Indicator => ({
  id,
  pool: 'executable',
  elements: elements({ indicatorId: id, fundTypeCode: fund, agencyCode: '205002' }),
  originIndicatorId: null,
  originKind: 'approve',
});

function input(
  body: DocumentBody,
  available: Record<string, bigint>,
  frozen: Record<string, bigint> = {},
): EffectInput {
  const inds = [pool, exe('A'), exe('B'), exe('G', '121')];
  return {
    region: '530700000',
    year: 2026,
    docId: 'ZB1',
    docNo: '丽财〔2026〕1号',
    body,
    indicators: new Map(inds.map((i) => [i.id, i])),
    standing: new Map(
      inds.map((i) => [i.id, { available: available[i.id] ?? 0n, frozen: frozen[i.id] ?? 0n }]),
    ),
    children: new Set(['530702000', '530721000']),
  };
}

describe('document effects', () => {
  test.prop([
    fc.array(fc.bigInt({ min: 1n, max: 10_000_000n }), { minLength: 1, maxLength: 12 }),
    fc.bigInt({ min: 0n, max: 50_000_000n }),
  ])(
    'an allocation moves exactly its lines out of the pool, or refuses when they exceed it',
    (amounts, available) => {
      const body: DocumentBody = {
        docType: 'allocate',
        fromIndicatorId: 'POOL',
        lines: amounts.map((a) => ({
          elements: { fundTypeCode: '111', agencyCode: '205002' },
          amount: formatYuan(a),
        })),
      };
      const sum = amounts.reduce((s, a) => s + a, 0n);
      const run = () => documentEffect(input(body, { POOL: available }));
      if (sum > available) {
        expect(code(run)).toBe('AMOUNT_EXCEEDS_AVAILABLE');
        return;
      }
      const e = run();
      expect(e.newIndicators.map((i) => i.originIndicatorId)).toEqual(amounts.map(() => 'POOL'));
      const posted = e.scenarios.flatMap(postingsFor);
      let fromPool = 0n;
      for (const p of posted) {
        const t = totals(p.lines);
        expect(t.debit).toBe(t.credit);
        for (const l of p.lines) if (l.account === '2001' && l.side === 'debit') fromPool += l.amount;
      }
      expect(fromPool).toBe(sum);
    },
  );

  test.prop([fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.integer({ min: 1, max: 10_000 })])(
    'a percent share never exceeds the amount and is exact to the fen below',
    (amount, bp) => {
      const s = share(amount, bp / 100);
      expect(s).toBeLessThanOrEqual(amount);
      expect(s).toBe((amount * BigInt(bp)) / 10_000n);
    },
  );

  it('transfers keep the total and refuse across fund types', () => {
    const e = documentEffect(
      input(
        { docType: 'transfer', lines: [{ fromIndicatorId: 'A', toIndicatorId: 'B', amount: '30.00' }] },
        { A: 5000n },
      ),
    );
    const lines = e.scenarios.flatMap(postingsFor).flatMap((p) => p.lines);
    expect(lines.map((l) => [l.account, l.side, l.amount, l.elements.indicatorId])).toEqual([
      ['2101', 'debit', 3000n, 'A'],
      ['2101', 'credit', 3000n, 'B'],
    ]);
    expect(
      code(() =>
        documentEffect(
          input(
            { docType: 'transfer', lines: [{ fromIndicatorId: 'A', toIndicatorId: 'G', amount: '1.00' }] },
            { A: 5000n },
          ),
        ),
      ),
    ).toBe('FUND_TYPE_MISMATCH');
  });

  it('issues only to direct lower regions and carries the upper 文号 and flags down', () => {
    const body: DocumentBody = {
      docType: 'issue',
      fromIndicatorId: 'POOL',
      lines: [{ region: '530702000', amount: '10.00' }],
    };
    const e = documentEffect(input(body, { POOL: 1000n }));
    expect(e.transfers).toEqual([
      expect.objectContaining({
        toRegion: '530702000',
        amount: 1000n,
        elements: expect.objectContaining({
          supDocNo: '丽财〔2026〕1号',
          indicatorId: null,
          agencyCode: null,
          sourceTypeCode: '2',
        }),
      }),
    ]);
    const far = { ...body, lines: [{ region: '530000000', amount: '1.00' }] };
    expect(code(() => documentEffect(input(far, { POOL: 1000n })))).toBe('REGION_NOT_CHILD');
  });

  it('freezes a percent of what is available and unfreezes no more than is frozen', () => {
    const f = documentEffect(
      input({ docType: 'freeze', lines: [{ indicatorId: 'A', percent: 12.5 }] }, { A: 1001n }),
    );
    expect(f.scenarios).toEqual([expect.objectContaining({ scenario: 'freeze', amount: 125n })]);
    const u = () =>
      documentEffect(
        input({ docType: 'unfreeze', lines: [{ indicatorId: 'A', amount: '2.00' }] }, { A: 0n }, { A: 199n }),
      );
    expect(code(u)).toBe('AMOUNT_EXCEEDS_AVAILABLE');
  });

  it('recalls everything available by default, into a pool or retired', () => {
    const into = documentEffect(
      input({ docType: 'recall', lines: [{ indicatorId: 'A', toPoolIndicatorId: 'POOL' }] }, { A: 700n }),
    );
    expect(into.scenarios).toEqual([
      expect.objectContaining({ scenario: 'recall', amount: 700n, retire: false }),
    ]);
    const retired = documentEffect(input({ docType: 'recall', lines: [{ indicatorId: 'A' }] }, { A: 700n }));
    expect(retired.scenarios).toEqual([expect.objectContaining({ retire: true })]);
    expect(
      code(() =>
        documentEffect(input({ docType: 'recall', lines: [{ indicatorId: 'POOL' }] }, { POOL: 1n })),
      ),
    ).toBe('INDICATOR_POOL_INVALID');
  });

  it('decreases no more than is available and names the funding source account', () => {
    const body: DocumentBody = {
      docType: 'adjust',
      lines: [{ indicatorId: 'A', direction: 'decrease', amount: '8.00', fundingSource: 'reserve' }],
    };
    expect(code(() => documentEffect(input(body, { A: 799n })))).toBe('AMOUNT_EXCEEDS_AVAILABLE');
    const e = documentEffect(input(body, { A: 800n }));
    expect(e.scenarios).toEqual([
      expect.objectContaining({ scenario: 'adjust', amount: -800n, source: '1009' }),
    ]);
  });
});
