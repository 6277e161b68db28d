import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeEnvelope } from '@fiscus/core/exchange/voucher/envelope';
import { verifyVoucher } from '@fiscus/core/exchange/voucher/signing';
import { afterEach, describe, expect, it } from 'vitest';
import { type BankHooks, type RunningBank, startBank } from './bank';
import { chosen } from './decisions';
import { parseBankOptions, type RawBankOptions } from './options';
import { envelope, FakeFiscus, financeSigner, financeVoucher, until } from './testing';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(options: RawBankOptions = {}, hooks: Partial<BankHooks> = {}, dir?: string) {
  const data = dir ?? mkdtempSync(join(tmpdir(), 'sim-bank-'));
  if (dir === undefined) cleanups.push(() => rmSync(data, { recursive: true, force: true }));
  const fiscus = new FakeFiscus();
  const url = await fiscus.start();
  cleanups.push(() => fiscus.stop());
  const config = parseBankOptions({
    port: '0',
    data,
    fiscus: url,
    payDate: '2026-03-15',
    trustKey: [`${financeSigner.keyId}:${financeSigner.publicKey}`],
    ...options,
  });
  const bank = await startBank(config, { log: () => {}, random: () => 0.5, ...hooks });
  cleanups.push(() => bank.close());
  fiscus.bankKey = { keyId: bank.keyId, publicKey: bank.publicKey };
  return { bank, fiscus, data, config };
}

async function post(bank: RunningBank, body: Uint8Array) {
  return fetch(`http://127.0.0.1:${bank.port}/voucher-library/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/xml' },
    body,
  });
}

const trusted = (bank: RunningBank) =>
  new Map([
    [financeSigner.keyId, financeSigner.publicKey],
    [bank.keyId, bank.publicKey],
  ]);

describe('agent-bank simulator over HTTP', () => {
  it('pays, returns and bounces, delivering signed receipts that verify', async () => {
    const { bank, fiscus } = await setup();
    expect(bank.port).toBeGreaterThan(0);
    expect(bank.keyId).toBe('bank-ABC001');
    const res = await post(
      bank,
      envelope([
        await financeVoucher('H001', { amount: 480_00n }),
        await financeVoucher('H002', { payeeName: '退回测试户' }),
        await financeVoucher('H003', { payeeName: '退票测试公司', amount: 75_00n }),
      ]),
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as { results: { status: number }[] }).results.map((r) => r.status)).toEqual([
      1, 1, 1,
    ]);
    await until(() => fiscus.accepted.size === 4);

    const r1 = fiscus.accepted.get('530700|2026|5201|H001|receipt');
    if (r1 === undefined) throw new Error('no receipt');
    expect(r1.returnReason).toBe('');
    expect(r1.voucher.header).toMatchObject({
      XPayDate: '20260315',
      XPayAmt: 480_00n,
      XAgentBusinessNo: expect.stringMatching(/^ABC00120260315\d{8}$/),
    });
    const report = verifyVoucher(r1.voucher, trusted(bank));
    expect(report.failed).toEqual([]);
    expect(report.verified).toEqual(['finance', 'bank']);
    expect(r1.voucher.signatures.find((s) => s.position === 'bank')?.scope).toBe('receipt');

    const ret = fiscus.accepted.get('530700|2026|5201|H002|returned');
    expect(ret?.flag).toBe('receipt');
    expect(ret?.returnReason).toMatch(/退回/);

    const bounce = [...fiscus.accepted.values()].find((e) => e.voucher.header.VtCode === '2203');
    if (bounce === undefined) throw new Error('no 2203');
    expect(bounce.flag).toBe('send');
    expect(bounce.voucher.header).toMatchObject({
      OriBillNo: 'H003',
      OriVtCode: '5201',
      PayAmt: 75_00n,
      PayDate: '20260315',
    });
    expect(verifyVoucher(bounce.voucher, trusted(bank)).verified).toEqual(['bank']);
    // The bounce came after the receipt of H003 was acknowledged.
    const order = fiscus.arrivals.map((a) => a.key);
    expect(order.indexOf('530700|2026|5201|H003|receipt')).toBeLessThan(
      order.findIndex((k) => k.includes('|2203|')),
    );

    const state = (await (await fetch(`http://127.0.0.1:${bank.port}/sim/state`)).json()) as {
      counts: Record<string, number>;
      vouchers: { key: string; state: string; delivered: boolean }[];
    };
    expect(state.counts).toMatchObject({ received: 3, paid: 1, returned: 1, bounced: 1, pendingDelivery: 0 });
    expect(state.vouchers.every((v) => v.delivered)).toBe(true);
    expect((await fetch(`http://127.0.0.1:${bank.port}/health`)).status).toBe(200);
  });

  it('answers 400 to a body that is not an envelope and 2 to a bad signature', async () => {
    const { bank } = await setup();
    const bad = await post(bank, new TextEncoder().encode('not xml'));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toHaveProperty('error');
    const v = await financeVoucher('H010');
    // Amount changed after finance signed: the signature no longer verifies.
    const voucher = {
      ...v.voucher,
      header: { ...v.voucher.header, PayAmt: 1n },
      details: v.voucher.details.map((d) => ({ ...d, PayAmt: 1n })),
    };
    const res = await post(bank, envelope([{ ...v, voucher }]));
    const json = (await res.json()) as { results: { status: number; reason?: string }[] };
    expect(json.results[0]).toMatchObject({ status: 2, reason: expect.stringMatching(/BAD_SIGNATURE/) });
  });

  it('retries after 503s with backoff', async () => {
    const { bank, fiscus } = await setup();
    fiscus.failNext = 2;
    await post(bank, envelope([await financeVoucher('H019')]));
    await until(() => fiscus.accepted.size === 1);
    expect(bank.delivery.attemptsOf('answer:530700|2026|5201|H019')).toBe(2);
  });

  it('recovers from altered amounts and delivers duplicates', async () => {
    const { bank, fiscus } = await setup({ faultAlter: '1', faultDuplicate: '1' });
    await post(bank, envelope([await financeVoucher('H020'), await financeVoucher('H021')]));
    await until(() => fiscus.accepted.size === 2);
    const altered = fiscus.arrivals.filter((a) => !a.ok);
    expect(altered.map((a) => a.entry.voucher.header.XPayAmt)).toEqual([123_46n, 123_46n]);
    await until(() => fiscus.arrivals.some((a) => a.duplicate));
    expect([...fiscus.accepted.values()].every((e) => e.voucher.header.XPayAmt === 123_45n)).toBe(true);
    expect(bank.store.state.delivered.size).toBe(2);
  });

  it('splits a message refused for one broken signature and retries it correctly', async () => {
    const nos = ['H030', 'H031', 'H032', 'H033'];
    // A seed under which some answers but not all get a broken signature.
    const seed = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].find((s) => {
      const hit = nos.filter((n) => chosen(s, 'fault-breakSignature', `answer:530700|2026|5201|${n}`, 0.5));
      return hit.length > 0 && hit.length < nos.length;
    });
    const { bank, fiscus } = await setup({ faultBreakSignature: '0.5', seed: seed ?? 'a' });
    const vouchers = await Promise.all(nos.map((n) => financeVoucher(n)));
    await post(bank, envelope(vouchers));
    await until(() => fiscus.accepted.size === 4);
    expect(fiscus.refusedMessages.length).toBeGreaterThan(0);
    for (const e of fiscus.accepted.values()) {
      expect(verifyVoucher(e.voucher, trusted(bank)).failed).toEqual([]);
    }
  });

  it('drops the first attempt of a message and answers the retry', async () => {
    const { bank } = await setup({ faultDrop: '1' });
    const body = envelope([await financeVoucher('H040')]);
    await expect(post(bank, body)).rejects.toThrow();
    expect(bank.store.state.vouchers.size).toBe(0);
    const res = await post(bank, body);
    expect(res.status).toBe(200);
    expect(bank.store.state.vouchers.size).toBe(1);
  });

  it('crashes after N payments and, restarted, delivers without paying twice', async () => {
    const data = mkdtempSync(join(tmpdir(), 'sim-bank-crash-'));
    cleanups.push(() => rmSync(data, { recursive: true, force: true }));
    let crashed = 0;
    const first = await setup(
      { crashAfter: '2' },
      {
        crash: () => {
          crashed += 1;
        },
      },
      data,
    );
    // A real crash: the fake Fiscus is unreachable while the bank "dies".
    await first.fiscus.stop();
    await post(
      first.bank,
      envelope(await Promise.all(['H050', 'H051', 'H052'].map((n) => financeVoucher(n)))),
    );
    await until(() => crashed === 1);
    await first.bank.close();
    expect(first.bank.store.state.paidCount).toBe(2);

    const second = await setup(
      { crashAfter: '2' },
      {
        crash: () => {
          crashed += 1;
        },
      },
      data,
    );
    await until(() => second.fiscus.accepted.size === 3);
    expect(crashed).toBe(1);
    expect(second.bank.store.state.paidCount).toBe(3);
    const nos = [...second.fiscus.accepted.values()].map((e) => e.voucher.header.XAgentBusinessNo);
    expect(new Set(nos).size).toBe(3);
  });

  it('decodes what it stores', async () => {
    const { bank } = await setup();
    await post(bank, envelope([await financeVoucher('H060')]));
    const v = [...bank.store.state.vouchers.values()][0];
    const d = decodeEnvelope(new TextEncoder().encode(v?.xml ?? ''));
    expect(d.ok && d.value[0]?.voucher.header.VoucherNo).toBe('H060');
  });
});
