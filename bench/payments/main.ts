import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../apps/server/src/app';
import { financeSigner, setTrustedKeysForTests } from '../../packages/core/src/payments/vouchers/keys';
import { startVoucherSender } from '../../packages/core/src/payments/vouchers/sender';
import { openPool } from '../../packages/core/src/platform/db/connect';
import { withScratchDatabase } from '../ledger/scratch-db';
import { type Figure, log, round } from '../ledger/shared';
import { sm2PairsPerSecond } from './crypto-pairs';
import { startBankSim } from './sim-process';
import { approveAndSign, buildPaymentWorld, type PaymentSpec, REGION, statesOf } from './world';

export interface PaymentsBenchOptions {
  databaseUrl?: string | undefined;
  home: string;
  quick: boolean;
  /** Payments end to end (default 1 000; quick 200). */
  payments?: number | undefined;
  print: (line: string) => void;
}

/**
 * `fiscus bench payments`: N payments from the clerk's application to the bank's receipt, against
 * the bank simulator as its own process on 127.0.0.1 and Fiscus's real HTTP inbox; the time of
 * each stage; and, in the same run, SM2 (sign + verify) pairs per second on all cores. Each
 * payment needs two pairs (the voucher and the receipt), so payments/s ÷ pairs/s = 0.5 means the
 * path is bound by cryptography alone — the goal.
 */
export async function runPaymentsBench(
  o: PaymentsBenchOptions,
): Promise<{ figures: Figure[]; failed: number }> {
  const n = o.payments ?? (o.quick ? 200 : 1000);
  const figures: Figure[] = [];
  let failed = 0;
  const emit = (f: Figure) => {
    figures.push(f);
    if (f.error) failed++;
    o.print(JSON.stringify(f));
  };
  const keys = await mkdtemp(join(tmpdir(), 'fiscus-bench-keys-'));
  const data = await mkdtemp(join(tmpdir(), 'fiscus-bench-bank-'));
  const savedKeys = process.env.FISCUS_KEYS;
  process.env.FISCUS_KEYS = keys;
  try {
    log(`SM2 baseline: (sign + verify) pairs on every core for ${o.quick ? 3 : 10} s`);
    const crypto = await sm2PairsPerSecond(o.quick ? 3 : 10, 3000);
    emit({
      figure: 'P0',
      name: 'SM2 (sign + verify) pairs per second, all cores',
      value: round(crypto.perSecond, 1),
      unit: 'pairs/s',
      baseline: null,
      baselineValue: null,
      ratio: null,
      goal: 'baseline',
      met: null,
      sizes: { threads: crypto.threads, messageBytes: 3000 },
    });
    await withScratchDatabase({ databaseUrl: o.databaseUrl, home: o.home }, async (s) => {
      const { db } = openPool(s.url, 10);
      const app = await buildApp({
        db,
        databaseMode: s.mode,
        cookieSecret: 'bench-secret-bench-secret-bench-secret',
      });
      const fiscusUrl = await app.listen({ port: 0, host: '127.0.0.1' });
      await financeSigner(REGION);
      const sim = await startBankSim(
        ['--port', '0', '--data', data, '--trust', keys, '--fiscus', fiscusUrl],
        log,
      );
      setTrustedKeysForTests(new Map([[sim.keyId, sim.publicKey]]));
      try {
        const world = await buildPaymentWorld(db, { perAgency: 5, amountEach: '100000000.00', tag: 'BP' });
        const indicators = world.agencies.flatMap((a) => a.indicators.map((i) => ({ agency: a.code, ...i })));
        const specs: PaymentSpec[] = Array.from({ length: n }, (_, i) => {
          const ind = indicators[i % indicators.length]!;
          return {
            agency: ind.agency,
            indicatorId: ind.id,
            payType: ind.payType,
            amount: `${100 + (i % 900)}.00`,
            payeeName: `收款人${i}`,
          };
        });
        log(`${n} payments: apply, approve, review, sign`);
        const t0 = performance.now();
        const { ids, seconds } = await approveAndSign(db, world, specs);
        const t1 = performance.now();
        log('send, bank pays, receipts, postings');
        const sender = startVoucherSender(db, { bankUrl: sim.url, pollMs: 20, batch: 50, parallel: 4 });
        let states = await statesOf(db, ids);
        const deadline = Date.now() + 600_000;
        while ([...states.values()].some((x) => x !== 'paid') && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 50));
          states = await statesOf(db, ids);
        }
        const t2 = performance.now();
        await sender.stop();
        const paid = [...states.values()].filter((x) => x === 'paid').length;
        const total = (t2 - t0) / 1000;
        const perSecond = paid / total;
        const ratio = perSecond / crypto.perSecond;
        emit({
          figure: 'P1',
          name: 'payments end to end (apply → receipt posted) per second',
          value: round(perSecond, 2),
          unit: 'payments/s',
          baseline: 'P0 SM2 pairs/s',
          baselineValue: round(crypto.perSecond, 1),
          ratio: round(ratio, 3),
          goal: '≥ 0.5× (two pairs per payment: bound by cryptography alone)',
          met: paid === n ? ratio >= 0.5 : false,
          sizes: {
            payments: n,
            paid,
            seconds: round(total, 2),
            stages: {
              draft: round(seconds.draft, 2),
              submit: round(seconds.submit, 2),
              unitApprove: round(seconds.unitApprove, 2),
              review: round(seconds.review, 2),
              sign: round(seconds.sign, 2),
              sendPayReceipt: round((t2 - t1) / 1000, 2),
            },
          },
          ...(paid === n ? {} : { error: `${n - paid} payments not paid within 10 minutes` }),
        });
      } finally {
        setTrustedKeysForTests(null);
        await sim.stop();
        await app.close();
        await db.destroy();
      }
    });
  } finally {
    if (savedKeys === undefined) delete process.env.FISCUS_KEYS;
    else process.env.FISCUS_KEYS = savedKeys;
    await rm(keys, { recursive: true, force: true });
    await rm(data, { recursive: true, force: true });
  }
  return { figures, failed };
}
