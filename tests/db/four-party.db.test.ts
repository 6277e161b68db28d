import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PbocSimProcess, startPbocSim } from '../../apps/cli/src/sim/pboc/process';
import { type SimProcess, startBankSim } from '../../bench/payments/sim-process';
import {
  approveAndSign,
  buildPaymentWorld,
  type PaymentSpec,
  REGION,
  statesOf,
  YEAR,
} from '../../bench/payments/world';
import { executeCommands } from '../../packages/core/src/commands/pipeline';
import { verifyLedger } from '../../packages/core/src/ledger/verify';
import {
  financeSigner,
  setFinanceSignerForTests,
  setTrustedKeysForTests,
} from '../../packages/core/src/payments/vouchers/keys';
import { startVoucherSender } from '../../packages/core/src/payments/vouchers/sender';
import { startTestServer } from '../support/server';

/**
 * Issue 6's end-to-end test: finance (a real Fiscus server), the agent bank and the PBOC treasury
 * as two real simulator processes, over two business days — payments, quota notices, clearing,
 * a bounce after clearing (2203 + 2302), a bounce the day it was paid (before clearing), a
 * correction (更正 5253), daily reports — and each day reconciles to zero
 * differences in all three layers. Then a day with faults: a lost receipt and an altered PBOC
 * report line are found and named, and nothing is posted twice.
 */
const D1 = '2026-03-16';
const D2 = '2026-03-17';
const D3 = '2026-03-18';
const saved = { keys: process.env.FISCUS_KEYS, keyId: process.env.FISCUS_SM2_KEY_ID };
let server: Awaited<ReturnType<typeof startTestServer>>;
let keys: string;
let bankData: string;
let pbocData: string;
let bank: SimProcess | null = null;
let pboc: PbocSimProcess | null = null;
let sender: ReturnType<typeof startVoucherSender> | null = null;
const logs: string[] = [];
const log = (l: string) => logs.push(l);

beforeAll(async () => {
  keys = await mkdtemp(join(tmpdir(), 'fiscus-4p-keys-'));
  bankData = await mkdtemp(join(tmpdir(), 'fiscus-4p-bank-'));
  pbocData = await mkdtemp(join(tmpdir(), 'fiscus-4p-pboc-'));
  process.env.FISCUS_KEYS = keys;
  delete process.env.FISCUS_SM2_KEY_ID;
  setFinanceSignerForTests(null);
  await financeSigner(REGION);
  server = await startTestServer();
}, 120_000);
afterAll(async () => {
  await sender?.stop();
  await bank?.stop();
  await pboc?.stop();
  await server?.close();
  setTrustedKeysForTests(null);
  if (saved.keys === undefined) delete process.env.FISCUS_KEYS;
  else process.env.FISCUS_KEYS = saved.keys;
  if (saved.keyId !== undefined) process.env.FISCUS_SM2_KEY_ID = saved.keyId;
  for (const d of [keys, bankData, pbocData]) await rm(d, { recursive: true, force: true });
});

let seq = 0;
async function command(type: string, user: string, on: string, payload: unknown) {
  const [r] = await executeCommands(
    server.db,
    [{ id: `4p-${Date.now().toString(36)}-${++seq}`, type, region: REGION, year: YEAR, on, payload }],
    { defaultActor: user },
  );
  if (r!.status !== 'accepted') throw new Error(`${type} refused: ${JSON.stringify(r!.error)}`);
  return r!.result as Record<string, unknown>;
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 90_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}\n${logs.slice(-30).join('\n')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const post = async (url: string, body: unknown) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as Record<string, unknown>;
};

async function startBank(payDate: string, extra: string[] = []) {
  await bank?.stop();
  bank = await startBankSim(
    [
      '--port',
      bankPort,
      '--data',
      bankData,
      '--trust',
      keys,
      ...(pboc ? ['--trust-key', `${pboc.keyId}:${pboc.publicKey}`] : []),
      '--fiscus',
      server.url,
      '--pboc-url',
      pboc?.url ?? 'http://127.0.0.1:9',
      '--pay-date',
      payDate,
      '--bounce-after',
      'clearing',
      ...extra,
    ],
    log,
  );
}
let bankPort = '0';

async function startPboc(extra: string[] = []) {
  await pboc?.stop();
  pboc = await startPbocSim(
    [
      '--port',
      pbocPort,
      '--data',
      pbocData,
      '--trust',
      keys,
      '--trust-key',
      `${bank!.keyId}:${bank!.publicKey}`,
      '--bank-url',
      bank!.url,
      '--fiscus-url',
      server.url,
      ...extra,
    ],
    log,
  );
  pbocPort = String(new URL(pboc.url).port);
}
let pbocPort = '0';

/** A day's reports stored at finance, by sender and type. */
async function reportsOf(date: string) {
  const r = await sql<{ k: string }>`select sender || ':' || vt_code as k from reconcile.report
    where region_code = ${REGION} and report_date = ${date}::date order by 1`.execute(server.db);
  return r.rows.map((x) => x.k);
}

/** Closes day D: quota notices out, bank day-end (clearing), PBOC day-end, reports in. */
async function closeDay(date: string) {
  const q = await command('clearing.issueQuotas', 'treasury', date, { date });
  await until('quota notices delivered to PBOC and bank', async () => {
    const r = await sql<{ n: number }>`select count(*)::int as n from clearing.delivery
      where status <> 'received'`.execute(server.db);
    return r.rows[0]!.n === 0;
  });
  await post(`${bank!.url}/sim/day-end`, { date });
  await until('the bank’s statements after clearing', async () => {
    const s = (await (await fetch(`${bank!.url}/sim/state`)).json()) as {
      days?: { date: string; statementsSent?: boolean; statementsPending?: boolean }[];
    };
    const rs = await reportsOf(date);
    return rs.includes('bank:2206') && rs.includes('bank:3513') ? s : null;
  });
  await post(`${pboc!.url}/sim/day-end`, { date });
  await until('the PBOC’s reports', async () => {
    const rs = await reportsOf(date);
    return ['pboc:3410', 'pboc:3501', 'pboc:3504', 'pboc:3513'].every((k) => rs.includes(k));
  });
  return q;
}

/** The answers the PBOC got to its 3502s (from the bank) and its 3504 (from finance) of D. */
async function checksOf(date: string) {
  return until('the checks of the 3502 / 3504', async () => {
    const s = (await (await fetch(`${pboc!.url}/sim/state`)).json()) as {
      days: { date: string; reports: { vtCode: string; checkResult?: string; checkReason?: string }[] }[];
    };
    const day = s.days.find((d) => d.date === date.replaceAll('-', ''));
    const checks = day?.reports.filter((r) => r.vtCode === '3502' || r.vtCode === '3504') ?? [];
    log(`checks of ${date}: ${JSON.stringify(day?.reports ?? null)}`);
    return checks.length >= 2 && checks.every((c) => c.checkResult !== undefined)
      ? checks.map((c) => `${c.vtCode}:${c.checkResult}`).sort()
      : null;
  });
}

async function reconcile(date: string) {
  const r = await command('reconcile.run', 'treasury', date, { date });
  const diffs = await sql<{ kind: string; party: string; voucher_no: string | null; layer: string }>`
    select kind, party, voucher_no, layer from reconcile.difference
    where run_id = ${r.runId as string} order by layer, kind`.execute(server.db);
  return { result: r, differences: diffs.rows };
}

/** Another direct indicator of `agency` under functional class `expFunc` (a correction's target). */
async function newIndicator(agency: string, expFunc: string): Promise<string> {
  const indicatorId = `4P-${agency}-${expFunc}`;
  const doc = await command('indicatorDoc.draft', 'budget', D1, {
    docNo: '丽财〔2026〕4P9',
    title: '更正目标指标',
    body: {
      docType: 'approve',
      lines: [
        {
          indicatorId,
          amount: '100000.00',
          pool: 'executable',
          elements: {
            fundTypeCode: '111',
            agencyCode: agency,
            deptCode: agency.slice(0, 3),
            expFuncCode: expFunc,
            depEcoCode: '30201',
            govEcoCode: '50201',
            payTypeCode: '11',
          },
        },
      ],
    },
  });
  await command('indicatorDoc.submit', 'budget', D1, { docId: doc.docId });
  await command('indicatorDoc.approve', 'chief', D1, { docId: doc.docId });
  return indicatorId;
}

describe('four parties over real processes', () => {
  it('clears and reconciles two days to zero, then names each injected fault', {
    timeout: 560_000,
  }, async () => {
    const db = server.db;
    const world = await buildPaymentWorld(db, { perAgency: 2, amountEach: '1000000.00', tag: 'FP' });
    const indicators = world.agencies.flatMap((a) => a.indicators.map((i) => ({ agency: a.code, ...i })));
    const specs = (n: number, from: number): PaymentSpec[] =>
      Array.from({ length: n }, (_, k) => {
        const i = from + k;
        const ind = indicators[i % indicators.length]!;
        return {
          agency: ind.agency,
          indicatorId: ind.id,
          payType: ind.payType,
          amount: `${100 + i * 13}.${String(i % 100).padStart(2, '0')}`,
          payeeName: `收款人${i}`,
        };
      });

    // The bank first (its key), then the PBOC trusting it, then the bank again trusting the PBOC.
    await startBank(D1);
    bankPort = String(new URL(bank!.url).port);
    await startPboc(['--clear-date', D1]);
    await startBank(D1);
    setTrustedKeysForTests(
      new Map([
        [bank!.keyId, bank!.publicKey],
        [pboc!.keyId, pboc!.publicKey],
      ]),
    );
    sender = startVoucherSender(db, {
      bankUrl: bank!.url,
      pbocUrl: pboc!.url,
      backoffBaseMs: 100,
      backoffCapMs: 1000,
      pollMs: 100,
      timeoutMs: 10_000,
    });

    // Day 1: twelve payments, direct and authorized, paid and cleared.
    const day1 = await approveAndSign(db, world, specs(12, 0));
    await until('day 1 paid', async () =>
      [...(await statesOf(db, day1.ids)).values()].every((s) => s === 'paid'),
    );
    const q1 = await closeDay(D1);
    expect((q1.notices as unknown[]).length).toBeGreaterThanOrEqual(1);
    const r1 = await reconcile(D1);
    expect(r1.differences).toEqual([]);
    // The 35xx exchange: the bank agrees with the PBOC's 3502s, finance with its 3504.
    const c1 = await checksOf(D1);
    expect(new Set(c1)).toEqual(new Set(['3502:0', '3504:0']));
    expect(r1.result.differences).toBe(0);

    // Day 2: six more payments, and one of day 1's bounces after it was cleared (2203 + 2302);
    // the bank sends that 2302 twice (a refund cleared twice): the PBOC must refuse the copy.
    await startBank(D2, ['--double-refund', '1']);
    const day2 = await approveAndSign(db, world, specs(6, 12));
    await until('day 2 paid', async () =>
      [...(await statesOf(db, day2.ids)).values()].every((s) => s === 'paid'),
    );
    const bounced = await db
      .selectFrom('payments.voucher')
      .select(['voucher_no', 'application_id'])
      .where('application_id', '=', day1.ids[0]!)
      .executeTakeFirstOrThrow();
    await post(`${bank!.url}/sim/bounce`, { voucherNo: bounced.voucher_no, reason: '收款账户已销户' });
    await until(
      'the refund booked',
      async () => (await statesOf(db, [day1.ids[0]!])).get(day1.ids[0]!) === 'refunded',
    );
    // One of day 2's own payments bounces before the bank's day-end clearing: the bank's 2301
    // leaves it out, the PBOC never sees it, and finance and the bank net it on the day.
    const sameDay = await db
      .selectFrom('payments.voucher')
      .select(['voucher_no'])
      .where('application_id', '=', day2.ids[1]!)
      .executeTakeFirstOrThrow();
    // (This one comes back from the payee bank as a 2252 收款银行退款通知.)
    await post(`${bank!.url}/sim/bounce`, {
      voucherNo: sameDay.voucher_no,
      reason: '收款人账号有误',
      vtCode: '2252',
    });
    await until(
      'the same-day refund booked',
      async () => (await statesOf(db, [day2.ids[1]!])).get(day2.ids[1]!) === 'refunded',
    );
    // A day-1 payment is re-coded to another functional class (更正, 5253 to the bank and the PBOC).
    const paid1 = day1.ids[2]!;
    const recodeTo = await newIndicator(world.agencies[0]!.code, '2050202');
    const prepared = await command('payment.correct', 'treasury', D2, {
      applicationId: paid1,
      agencyCode: world.agencies[0]!.code,
      to: { indicatorId: recodeTo },
      reason: '功能科目错误',
    });
    await command('payment.approveCorrection', 'reviewer', D2, {
      correctionId: prepared.correctionId,
      agencyCode: world.agencies[0]!.code,
    });
    await closeDay(D2);
    const r2 = await reconcile(D2);
    expect(r2.differences).toEqual([]);
    expect(new Set(await checksOf(D2))).toEqual(new Set(['3502:0', '3504:0']));
    const p2cleared = (await (await fetch(`${pboc!.url}/sim/state`)).json()) as {
      cleared: { voucherNo: string }[];
      counts: Record<string, number>;
    };
    expect(p2cleared.cleared.map((c) => c.voucherNo)).not.toContain(sameDay.voucher_no);
    expect(p2cleared.counts.corrections).toBe(1);
    // Day 1 rerun after the correction: still as the bank and the PBOC reported it.
    const r1again = await reconcile(D1);
    expect(r1again.differences).toEqual([]);
    const pbocState = async () =>
      (await (await fetch(`${pboc!.url}/sim/state`)).json()) as {
        requests: { vtCode: string; state: string; reason?: string }[];
        cleared: { key: string; refund?: unknown }[];
        counts: Record<string, number>;
      };
    const p2 = await until('the refused second refund', async () => {
      const st = await pbocState();
      return st.requests.some((r) => r.vtCode === '2302' && r.state === 'refused') ? st : null;
    });
    expect(p2.requests.filter((r) => r.vtCode === '2302' && r.state === 'refunded')).toHaveLength(1);
    expect(p2.cleared.filter((c) => c.refund !== undefined)).toHaveLength(1);

    // Nothing was posted twice: the ledger verifies and each voucher has one paid receipt.
    const v = await verifyLedger(db, { region: REGION, year: YEAR });
    expect(v.checks.filter((c) => !c.ok)).toEqual([]);

    // Day 3 with faults: the bank loses receipts and sends its 2301 twice; the PBOC alters report
    // lines and breaks the first signature of some messages.
    await sender.stop();
    sender = null;
    // Seed 6 loses 2 of day 3's 10 receipts (decided by voucher number, see sim/bank/decisions.ts).
    await startBank(D3, ['--lose-receipt', '0.2', '--duplicate-clearing', '1', '--seed', '6']);
    await startPboc(['--clear-date', D3, '--alter', '0.5', '--break-signature', '1', '--seed', '3']);
    sender = startVoucherSender(db, {
      bankUrl: bank!.url,
      pbocUrl: pboc!.url,
      backoffBaseMs: 100,
      backoffCapMs: 1000,
      pollMs: 100,
      timeoutMs: 10_000,
    });
    const day3 = await approveAndSign(db, world, specs(10, 18));
    const lost = await until('day 3 answered (one receipt lost)', async () => {
      const st = (await (await fetch(`${bank!.url}/sim/state`)).json()) as { lostReceipts?: unknown[] };
      const states = [...(await statesOf(db, day3.ids)).values()];
      const paid = states.filter((s) => s === 'paid').length;
      const lostN = st.lostReceipts?.length ?? 0;
      return lostN > 0 && paid + lostN === day3.ids.length ? lostN : null;
    });
    await closeDay(D3);
    const r3 = await reconcile(D3);
    const kinds = r3.differences.filter((d) => d.layer === 'L1').map((d) => `${d.kind}/${d.party}`);
    expect(kinds.filter((k) => k === 'missing/finance')).toHaveLength(lost);
    expect(r3.differences.some((d) => d.kind === 'amount' && d.party === 'pboc')).toBe(true);
    // The altered PBOC lines are also what the bank (3502) and finance (3504) answer 不符 to.
    expect(await checksOf(D3)).toContain('3502:1');
    // The duplicated clearing request was refused: no voucher is cleared twice, none named duplicated.
    const p3 = await pbocState();
    expect(p3.requests.some((r) => r.vtCode === '2301' && r.state === 'refused')).toBe(true);
    const keys3 = p3.cleared.map((c) => c.key);
    expect(new Set(keys3).size).toBe(keys3.length);
    expect(r3.differences.filter((d) => d.kind === 'duplicated')).toEqual([]);
    // The broken signatures were refused at the inbox and logged; the resent reports were taken.
    const rejected = await sql<{ n: number }>`select count(*)::int as n from reconcile.rejected_message
      where region_code = ${REGION}`.execute(db);
    expect(rejected.rows[0]!.n).toBeGreaterThan(0);
    const again = await verifyLedger(db, { region: REGION, year: YEAR });
    expect(again.checks.filter((c) => !c.ok)).toEqual([]);
  });
});
