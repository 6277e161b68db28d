import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stateView } from './state';
import { EventStore } from './store';

const dir = mkdtempSync(join(tmpdir(), 'sim-pboc-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const view = (s: EventStore) =>
  stateView(s.state, { businessDate: '20260315', lost: () => false, pending: [] });

describe('PBOC event store', () => {
  it('replays to the same state and cuts a torn last line', () => {
    const a = EventStore.open(dir);
    a.append(
      { type: 'opened', at: 'T0', tsaAcctNo: 'TSA', tsaAcctName: '国库', opening: '100.00' },
      {
        type: 'received',
        at: 'T1',
        key: '530700|2026|5201|V1',
        vtCode: '5201',
        xml: '<MOF/>',
        doc: {
          kind: 'payment',
          amount: '10.00',
          payTypeCode: '11',
          bankCode: 'ICBC',
          coding: { supDepCode: '205', expFuncCode: '2050203', fundTypeCode: '1', agencyCode: '205002' },
        },
      },
      {
        type: 'received',
        at: 'T1',
        key: '530700|2026|5108|Q1',
        vtCode: '5108',
        xml: '<MOF/>',
        doc: {
          kind: 'quota',
          payTypeCode: '11',
          bankCode: 'ICBC',
          amount: '10.00',
          lines: [{ payVoucherNo: 'V1', oriVtCode: '5201', amount: '10.00' }],
        },
      },
      {
        type: 'received',
        at: 'T2',
        key: '530700|2026|2301|C1',
        vtCode: '2301',
        xml: '<MOF/>',
        doc: {
          kind: 'clearing',
          payTypeCode: '11',
          agentAcctNo: 'QS',
          agentAcctName: '清算户',
          clearAcctNo: 'TSA',
          amount: '10.00',
          lines: [{ voucherNo: 'V1', oriVtCode: '', amount: '10.00', supDepCode: '', expFuncCode: '' }],
        },
      },
      {
        type: 'cleared',
        at: 'T2',
        key: '530700|2026|2301|C1',
        date: '20260315',
        bankCode: 'ICBC',
        agentAcctNo: 'QS',
        agentAcctName: '清算户',
        payTypeCode: '11',
        amount: '10.00',
        lines: [{ paymentKey: '530700|2026|5201|V1', voucherNo: 'V1', vtCode: '5201', amount: '10.00' }],
      },
    );
    const before = view(a);
    expect(before.balances.map((b) => b.balance)).toEqual(['90.00', '10.00']);
    a.close();
    const size = readFileSync(join(dir, 'events.jsonl')).length;
    appendFileSync(join(dir, 'events.jsonl'), '{"type":"cleared","at":"T3","ke');

    const b = EventStore.open(dir);
    expect(view(b)).toEqual(before);
    expect(readFileSync(join(dir, 'events.jsonl')).length).toBe(size);
    // A second `opened` (a restart with other options) changes nothing.
    b.append({ type: 'opened', at: 'T4', tsaAcctNo: 'OTHER', tsaAcctName: 'x', opening: '1.00' });
    expect(view(b)).toEqual(before);
    b.close();
  });
});
