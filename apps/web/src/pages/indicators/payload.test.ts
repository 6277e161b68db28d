import { describe, expect, it } from 'vitest';
import { fromBody, inherited, toBody } from './payload';

// The form ↔ body translation: what the user typed becomes a strict `indicatorDoc.draft` body,
// and a saved body opens in the same form unchanged.

describe('指标单 form values and draft bodies', () => {
  it('drops empty fields, strips thousands separators and turns flags into an object', () => {
    const body = toBody('approve', {
      lines: [
        {
          indicatorId: '',
          amount: '1,000,000',
          pool: 'unallocated',
          source: '1001',
          elements: { fundTypeCode: '111', expFuncCode: '', flags: ['directReach'] },
        },
      ],
    });
    expect(body).toEqual({
      docType: 'approve',
      lines: [
        {
          amount: '1000000',
          pool: 'unallocated',
          source: '1001',
          elements: { fundTypeCode: '111', flags: { directReach: true } },
        },
      ],
    });
  });

  it('sends an amount or a percent for 冻结, and a new 调剂 target only when asked', () => {
    expect(
      toBody('freeze', {
        lines: [
          { indicatorId: 'A', mode: 'percent', percent: 10, amount: '5' },
          { indicatorId: 'B', mode: 'amount', amount: '5.5' },
        ],
      }),
    ).toEqual({
      docType: 'freeze',
      lines: [
        { indicatorId: 'A', percent: 10 },
        { indicatorId: 'B', amount: '5.5' },
      ],
    });
    const t = toBody('transfer', {
      lines: [
        {
          fromIndicatorId: 'A',
          toIndicatorId: 'B',
          toNew: false,
          toElements: { fundTypeCode: '111' },
          amount: '1',
        },
      ],
    });
    expect(t.lines).toEqual([{ fromIndicatorId: 'A', toIndicatorId: 'B', amount: '1' }]);
  });

  it('opens a saved body in the form it came from', () => {
    const values = {
      fromIndicatorId: 'POOL',
      lines: [{ indicatorId: 'X', amount: '10', elements: { fundTypeCode: '111', flags: ['salary'] } }],
    };
    const body = toBody('allocate', values);
    expect(toBody('allocate', fromBody(body as Parameters<typeof fromBody>[0]))).toEqual(body);
    const transfer = toBody('transfer', {
      lines: [{ fromIndicatorId: 'A', toNew: true, toElements: { fundTypeCode: '111' }, amount: '2' }],
    });
    expect(fromBody(transfer as Parameters<typeof fromBody>[0]).lines?.[0]).toMatchObject({ toNew: true });
  });

  it('a 分配 line inherits the classifications of its source, not its id or 文号', () => {
    expect(
      inherited({
        indicatorId: 'POOL',
        docNo: '丽财〔2026〕1号',
        fundTypeCode: '111',
        expFuncCode: '2050203',
        agencyCode: null,
        flags: { directReach: true, salary: false },
      }),
    ).toEqual({ fundTypeCode: '111', expFuncCode: '2050203', flags: ['directReach'] });
  });
});
