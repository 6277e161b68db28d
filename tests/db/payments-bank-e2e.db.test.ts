import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type SimProcess, startBankSim } from '../../bench/payments/sim-process';
import {
  approveAndSign,
  buildPaymentWorld,
  type PaymentSpec,
  REGION,
  statesOf,
  YEAR,
} from '../../bench/payments/world';
import { verifyLedger } from '../../packages/core/src/ledger/verify';
import {
  financeSigner,
  setFinanceSignerForTests,
  setTrustedKeysForTests,
} from '../../packages/core/src/payments/vouchers/keys';
import { startVoucherSender } from '../../packages/core/src/payments/vouchers/sender';
import { startTestServer } from '../support/server';
import { indicatorBalance } from './helpers';

/**
 * Issue 5's end-to-end test: 1 000 payments across two agencies and twelve indicators go from the
 * clerk to a real agent-bank simulator process and back, while the simulator drops messages,
 * delivers receipts twice, alters and breaks some first deliveries, and crashes mid-batch once.
 * Every payment must end paid, returned, bounced or refused exactly once, with the ledger exact.
 */
const N = 1000;
const AMOUNT_EACH = '1000000.00';
const saved = { keys: process.env.FISCUS_KEYS, keyId: process.env.FISCUS_SM2_KEY_ID };
let server: Awaited<ReturnType<typeof startTestServer>>;
let keys: string;
let data: string;
const logs: string[] = [];

beforeAll(async () => {
  keys = await mkdtemp(join(tmpdir(), 'fiscus-e2e-keys-'));
  data = await mkdtemp(join(tmpdir(), 'fiscus-e2e-bank-'));
  process.env.FISCUS_KEYS = keys;
  delete process.env.FISCUS_SM2_KEY_ID;
  setFinanceSignerForTests(null);
  // The finance key exists before the bank starts, so the bank can trust it.
  await financeSigner(REGION);
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
  setTrustedKeysForTests(null);
  if (saved.keys === undefined) delete process.env.FISCUS_KEYS;
  else process.env.FISCUS_KEYS = saved.keys;
  if (saved.keyId !== undefined) process.env.FISCUS_SM2_KEY_ID = saved.keyId;
  await rm(keys, { recursive: true, force: true });
  await rm(data, { recursive: true, force: true });
});

/** Deterministic amounts 10.00 … 4 999.99 yuan, and payees that steer the bank. */
function specsFor(world: Awaited<ReturnType<typeof buildPaymentWorld>>): PaymentSpec[] {
  const indicators = world.agencies.flatMap((a) => a.indicators.map((ind) => ({ agency: a.code, ...ind })));
  return Array.from({ length: N }, (_, i) => {
    const ind = indicators[(i * 7) % indicators.length]!;
    const fen = 1000 + ((i * 7919) % 499_000);
    const kind = i % 50 === 11 ? 'refuse' : i % 20 === 7 ? 'return' : i % 25 === 3 ? 'bounce' : 'pay';
    return {
      agency: ind.agency,
      indicatorId: ind.id,
      payType: ind.payType,
      amount: `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`,
      payeeName: kind === 'return' ? `收款人${i}退回` : kind === 'bounce' ? `收款人${i}退票` : `收款人${i}`,
      ...(kind === 'refuse' ? { refuse: true } : {}),
    };
  });
}

const expected = (s: PaymentSpec) =>
  s.refuse
    ? 'refused'
    : s.payeeName.endsWith('退回')
      ? 'bankReturned'
      : s.payeeName.endsWith('退票')
        ? 'refunded'
        : 'paid';

describe('1 000 payments through a real agent-bank simulator with faults', () => {
  it('ends every payment exactly once and leaves the ledger exact', { timeout: 540_000 }, async () => {
    const db = server.db;
    const world = await buildPaymentWorld(db, { perAgency: 3, amountEach: AMOUNT_EACH, tag: 'E2E' });
    const specs = specsFor(world);
    const { ids } = await approveAndSign(db, world, specs);

    const port = await freePort();
    const args = [
      '--port',
      String(port),
      '--data',
      data,
      '--trust',
      keys,
      '--fiscus',
      server.url,
      '--seed',
      '7',
      '--fault-drop',
      '0.05',
      '--fault-duplicate',
      '0.1',
      '--fault-alter',
      '0.02',
      '--fault-break-signature',
      '0.02',
      '--crash-after',
      '400',
    ];
    const log = (l: string) => logs.push(l);
    let sim: SimProcess = await startBankSim(args, log);
    setTrustedKeysForTests(new Map([[sim.keyId, sim.publicKey]]));
    const crashes: (number | null)[] = [];
    let stopping = false;
    // A crashed bank comes back on the same port with the same store, as a bank's would.
    const watch = async () => {
      while (!stopping) {
        const code = await sim.exited;
        if (stopping) return;
        crashes.push(code);
        sim = await startBankSim(args, log);
      }
    };
    const watching = watch();
    const sender = startVoucherSender(db, {
      bankUrl: `http://127.0.0.1:${port}`,
      backoffBaseMs: 100,
      backoffCapMs: 1000,
      pollMs: 100,
      timeoutMs: 10_000,
    });

    const want = new Map(ids.map((id, i) => [id, expected(specs[i]!)]));
    const deadline = Date.now() + 420_000;
    let states = await statesOf(db, ids);
    const done = () => ids.every((id) => states.get(id) === want.get(id));
    while (!done() && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      states = await statesOf(db, ids);
    }
    await sender.stop();
    const simState = (await (await fetch(`${sim.url}/sim/state`)).json()) as {
      counts: Record<string, number>;
    };
    stopping = true;
    await sim.stop();
    await watching.catch(() => {});

    const wrong = ids.filter((id) => states.get(id) !== want.get(id));
    expect(wrong.map((id) => `${id}: ${states.get(id)} ≠ ${want.get(id)}`).slice(0, 10)).toEqual([]);
    const count = (s: string) => [...want.values()].filter((x) => x === s).length;
    expect(count('refused')).toBeGreaterThan(0);
    expect(count('bankReturned')).toBeGreaterThan(0);
    expect(count('refunded')).toBeGreaterThan(0);
    // The injected crash happened once, mid-batch, and the restarted bank finished the work.
    expect(crashes).toEqual([86]);
    expect(simState.counts).toMatchObject({
      paid: count('paid'),
      returned: count('bankReturned'),
      bounced: count('refunded'),
    });

    // Exactly once: one voucher per signed application, one refund notice per bounce.
    const vouchers = await sql<{ n: string; answered: string }>`
      select count(*)::text as n, count(answered_at)::text as answered from payments.voucher
      where region_code = ${REGION} and fiscal_year = ${YEAR} and application_id = any(${ids})`.execute(db);
    expect(vouchers.rows[0]).toEqual({
      n: String(N - count('refused')),
      answered: String(N - count('refused')),
    });
    const refunds = await sql<{ n: string }>`select count(*)::text as n from payments.refund_notice
      where region_code = ${REGION} and application_id = any(${ids})`.execute(db);
    expect(refunds.rows[0]!.n).toBe(String(count('refunded')));

    // Indicators exactly right: available = approved − paid; nothing left reserved; paid = Σ paid.
    const toFen = (y: string) => BigInt(y.replace('.', ''));
    for (const a of world.agencies)
      for (const ind of a.indicators) {
        const paid = specs
          .filter((s, i) => s.indicatorId === ind.id && states.get(ids[i]!) === 'paid')
          .reduce((sum, s) => sum + toFen(s.amount), 0n);
        expect([
          ind.id,
          await indicatorBalance(db, REGION, '2101', ind.id),
          await indicatorBalance(db, REGION, '2401', ind.id),
          await indicatorBalance(db, REGION, '2501', ind.id),
        ]).toEqual([ind.id, toFen(AMOUNT_EACH) - paid, 0n, paid]);
      }
    const report = await verifyLedger(db, { region: REGION, year: YEAR });
    expect(report.ok).toBe(true);
  });
});
