import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyVoucher } from '@fiscus/core/exchange/voucher/signing';
import { afterAll, describe, expect, it } from 'vitest';
import { startPbocSim } from './process';
import {
  bankSigner,
  clearingRequest,
  FakeInbox,
  paymentCopy,
  post,
  quotaNotice,
  trustArgs,
  until,
} from './testing';

const data = mkdtempSync(join(tmpdir(), 'sim-pboc-proc-'));
const bank = new FakeInbox();
const fiscus = new FakeInbox();
afterAll(async () => {
  await bank.stop();
  await fiscus.stop();
  rmSync(data, { recursive: true, force: true });
});

describe('fiscus sim pboc as a process', () => {
  it('clears, answers receipts and day-end reports, stops 0 on SIGTERM and replays on restart', async () => {
    const bankUrl = await bank.start();
    const fiscusUrl = await fiscus.start();
    const args = [
      '--port',
      '0',
      '--data',
      data,
      '--bank-url',
      bankUrl,
      '--fiscus-url',
      fiscusUrl,
      '--clear-date',
      '2026-03-15',
      ...trustArgs(),
    ];
    const first = await startPbocSim(args);
    expect(first.keyId).toBe('pboc-PBOC');
    bank.pbocKey = { keyId: first.keyId, publicKey: first.publicKey };
    fiscus.pbocKey = bank.pbocKey;

    await post(first.url, [
      await paymentCopy('P1', { amount: 88_00n }),
      await quotaNotice('Q1', [{ voucherNo: 'P1', amount: 88_00n }]),
    ]);
    const res = await post(first.url, [await clearingRequest('C1', [{ voucherNo: 'P1', amount: 88_00n }])]);
    expect(res.body.results[0]).toMatchObject({ ok: true, outcome: 'cleared' });
    await until(() => bank.accepted.size === 1, 20_000);
    const [receipt] = bank.of('2301');
    const trusted = new Map([
      [bankSigner.keyId, bankSigner.publicKey],
      [first.keyId, first.publicKey],
    ]);
    expect(verifyVoucher(receipt!.voucher, trusted).verified).toEqual(['bank', 'pboc']);
    expect(receipt!.voucher.header).toMatchObject({ XClearDate: '20260315', XPayAmt: 88_00n });

    const end = await fetch(`${first.url}/sim/day-end`, {
      method: 'POST',
      body: JSON.stringify({ date: '2026-03-15' }),
    });
    expect(await end.json()).toMatchObject({ ok: true, delivered: true, totals: { net: '88.00' } });
    expect(fiscus.accepted.size).toBe(5);

    const state = await (await fetch(`${first.url}/sim/state`)).json();
    first.proc.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = await startPbocSim(args);
    expect(second.publicKey).toBe(first.publicKey);
    expect(await (await fetch(`${second.url}/sim/state`)).json()).toEqual(state);
    await second.stop();
    expect(await second.exited).toBe(0);
  }, 90_000);
});
