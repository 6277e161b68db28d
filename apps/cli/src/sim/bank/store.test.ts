import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { receiveMessage } from './inbound';
import { Processor, type ProcessorConfig } from './processor';
import { answerItem, bounceItem, pendingItems, stateView } from './state';
import { EventStore } from './store';
import { envelope, financeSigner, financeVoucher } from './testing';

const trusted = new Map([[financeSigner.keyId, financeSigner.publicKey]]);
const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'sim-bank-store-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const config: ProcessorConfig = {
  seed: 't',
  returnRate: 0,
  bounceRate: 0,
  bankCode: 'ABC001',
  delayMs: 0,
  payDate: '20260315',
  crashAfter: null,
};
const clock = { now: () => new Date('2026-03-15T09:00:00Z'), crash: () => {} };

async function receive(store: EventStore, ...vouchers: Awaited<ReturnType<typeof financeVoucher>>[]) {
  const a = receiveMessage(envelope(vouchers), store.state, trusted, '2026-03-15T08:00:00.000Z');
  if (a.kind !== 'answered') throw new Error(a.error);
  store.append(...a.events);
}

describe('event store and teller', () => {
  it('replays: a received voucher not yet paid is processed after a restart, once', async () => {
    const dir = tempDir();
    const s1 = EventStore.open(dir);
    await receive(s1, await financeVoucher('S001', { amount: 100_00n }), await financeVoucher('S002'));
    s1.close();

    const s2 = EventStore.open(dir);
    expect([...s2.state.vouchers.values()].map((v) => v.state)).toEqual(['received', 'received']);
    new Processor(s2, config, clock).step();
    expect(s2.state.paidCount).toBe(2);
    expect(pendingItems(s2.state)).toEqual([
      answerItem('530700|2026|5201|S001'),
      answerItem('530700|2026|5201|S002'),
    ]);
    s2.close();

    const s3 = EventStore.open(dir);
    new Processor(s3, config, clock).step();
    expect(s3.state.paidCount).toBe(2);
    const paid = readFileSync(join(dir, 'events.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"type":"paid"'));
    expect(paid).toHaveLength(2);
    const view = stateView(s3.state);
    expect(view.counts).toMatchObject({ received: 2, paid: 2, pendingDelivery: 2, delivered: 0 });
    expect(view.vouchers[0]).toMatchObject({ state: 'paid', amount: '100.00', delivered: false });
    expect(view.vouchers[0]?.agentBusinessNo).toBe('ABC0012026031500000001');
    // 零余额账户 debited, payee credited.
    expect(view.accounts.find((a) => a.acctNo === '2510800109200010001')?.balance).toBe('-223.45');
    expect(view.accounts.find((a) => a.acctNo === '2510800109200066001')?.balance).toBe('223.45');
    s3.close();
  });

  it('keeps paid-but-undelivered answers pending until a delivered event, then bounces', async () => {
    const dir = tempDir();
    const s = EventStore.open(dir);
    await receive(s, await financeVoucher('S003', { payeeName: '退票测试公司', amount: 50_00n }));
    const p = new Processor(s, config, clock);
    p.step();
    const key = '530700|2026|5201|S003';
    expect(pendingItems(s.state)).toEqual([answerItem(key)]);
    p.step();
    expect(s.state.vouchers.get(key)?.state).toBe('paid');
    s.append({ type: 'delivered', at: 'x', items: [answerItem(key)] });
    p.step();
    expect(s.state.vouchers.get(key)?.state).toBe('bounced');
    expect(pendingItems(s.state)).toEqual([bounceItem(key)]);
    const view = stateView(s.state);
    expect(view.accounts.every((a) => a.balance === '0.00')).toBe(true);
    s.close();
    const again = EventStore.open(dir);
    expect(again.state.vouchers.get(key)?.bounce?.refundVoucherNo).toMatch(/^TP[0-9A-F]{16}$/);
    expect(pendingItems(again.state)).toEqual([bounceItem(key)]);
    again.close();
  });

  it('cuts a torn last line and crashes once after N payments', async () => {
    const dir = tempDir();
    const s = EventStore.open(dir);
    await receive(
      s,
      await financeVoucher('S004'),
      await financeVoucher('S005'),
      await financeVoucher('S006'),
    );
    let crashes = 0;
    const crashing = {
      ...clock,
      crash: () => {
        crashes += 1;
      },
    };
    new Processor(s, { ...config, crashAfter: 2 }, crashing).step();
    expect(crashes).toBe(1);
    expect(s.state.paidCount).toBe(2);
    expect(s.state.crashed).toBe(true);
    s.close();
    appendFileSync(join(dir, 'events.jsonl'), '{"type":"paid","key":"530');
    const r = EventStore.open(dir);
    expect(r.state.paidCount).toBe(2);
    new Processor(r, { ...config, crashAfter: 2 }, crashing).step();
    expect(crashes).toBe(1);
    expect(r.state.paidCount).toBe(3);
    r.close();
    expect(readFileSync(join(dir, 'events.jsonl'), 'utf8').endsWith('\n')).toBe(true);
  });

  it('waits --delay before processing, in order', async () => {
    const s = EventStore.open(tempDir());
    await receive(s, await financeVoucher('S007'));
    const early = { ...clock, now: () => new Date('2026-03-15T08:00:00.500Z') };
    expect(new Processor(s, { ...config, delayMs: 1000 }, early).step()).toBe(500);
    expect(s.state.paidCount).toBe(0);
    s.close();
  });
});
