import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEnvelope } from '../../packages/core/src/exchange/voucher/envelope';
import { sendDueVouchers } from '../../packages/core/src/payments/vouchers/sender';
import { as, cmd, errorCode, indicatorBalance, ok, run1 } from './helpers';
import { paymentFixture } from './payment-fixture';

let f: Awaited<ReturnType<typeof paymentFixture>>;
beforeAll(async () => {
  f = await paymentFixture('VX');
});
afterAll(() => f?.close());

type Reply = (
  keys: { stYear: string; vtCode: string; voucherNo: string }[],
) => { status: number; body: unknown } | 'drop';

/** A stand-in voucher library that answers each message as `reply` says and records what came. */
async function fakeLibrary(reply: Reply) {
  const seen: string[][] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const d = decodeEnvelope(Buffer.concat(chunks));
      const keys = d.ok
        ? d.value.map((e) => ({
            stYear: String(e.voucher.header.StYear),
            vtCode: String(e.voucher.header.VtCode),
            voucherNo: String(e.voucher.header.VoucherNo),
          }))
        : [];
      seen.push(keys.map((k) => k.voucherNo));
      const r = reply(keys);
      if (r === 'drop') {
        req.socket.destroy();
        return;
      }
      res.writeHead(r.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(r.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const all =
  (status: number, reason?: string): Reply =>
  (keys) => ({
    status: 200,
    body: { results: keys.map((k) => ({ ...k, status, ...(reason ? { reason } : {}) })) },
  });

async function voucher(voucherNo: string) {
  return f.t.db
    .selectFrom('payments.voucher')
    .select(['library_status', 'send_attempt', 'next_send_at', 'sent_at', 'last_send_error'])
    .where('voucher_no', '=', voucherNo)
    .executeTakeFirstOrThrow();
}
/** Nothing else waits in the outbox: earlier tests' vouchers are taken out of it. */
async function onlyThese(nos: string[]) {
  await sql`update payments.voucher set answered_at = coalesce(answered_at, now())
    where not (voucher_no = any(${nos}))`.execute(f.t.db);
}
const dueNow = (no: string) =>
  sql`update payments.voucher set next_send_at = now() - interval '1 second' where voucher_no = ${no}`.execute(
    f.t.db,
  );

describe('voucher outbox sender (电子凭证库发送)', () => {
  it('sends signed vouchers in one message and books 已接收; nothing is sent twice', async () => {
    const a = await f.signed('direct', '10.00');
    const b = await f.signed('authorized', '20.00');
    await onlyThese([a.voucherNo, b.voucherNo]);
    const lib = await fakeLibrary(all(1));
    const s = await sendDueVouchers(f.t.db, { bankUrl: lib.url });
    expect(s).toMatchObject({ sent: 2, received: 2, unreachable: 0, notBooked: 0 });
    expect(lib.seen).toEqual([[a.voucherNo, b.voucherNo]]);
    expect(await voucher(a.voucherNo)).toMatchObject({
      library_status: 1,
      send_attempt: 1,
      next_send_at: null,
    });
    expect((await voucher(b.voucherNo)).sent_at).not.toBeNull();
    expect((await sendDueVouchers(f.t.db, { bankUrl: lib.url })).sent).toBe(0);
    await lib.close();
  });

  it('keeps an unreachable voucher 未接收 and sends it again only after the backoff', async () => {
    const a = await f.signed('direct', '11.00');
    await onlyThese([a.voucherNo]);
    const lib = await fakeLibrary(() => 'drop');
    const s = await sendDueVouchers(f.t.db, { bankUrl: lib.url, backoffBaseMs: 60_000 });
    expect(s).toMatchObject({ sent: 1, unreachable: 1 });
    const v = await voucher(a.voucherNo);
    expect(v).toMatchObject({ library_status: 0, send_attempt: 1 });
    expect(v.next_send_at!.getTime()).toBeGreaterThan(Date.now() + 20_000);
    expect(v.last_send_error).toMatch(/unreachable/);
    // Not due yet: nothing goes out.
    expect((await sendDueVouchers(f.t.db, { bankUrl: lib.url })).sent).toBe(0);
    await lib.close();
    await dueNow(a.voucherNo);
    const up = await fakeLibrary(all(1));
    expect(await sendDueVouchers(f.t.db, { bankUrl: up.url })).toMatchObject({ sent: 1, received: 1 });
    expect(await voucher(a.voucherNo)).toMatchObject({
      library_status: 1,
      send_attempt: 2,
      last_send_error: null,
    });
    await up.close();
  });

  it('books 接收失败 with the reason and resends after the backoff', async () => {
    const a = await f.signed('direct', '12.00');
    await onlyThese([a.voucherNo]);
    const refusing = await fakeLibrary(all(2, '验签失败'));
    expect(await sendDueVouchers(f.t.db, { bankUrl: refusing.url })).toMatchObject({ receiveFailed: 1 });
    expect(await voucher(a.voucherNo)).toMatchObject({ library_status: 2, last_send_error: '验签失败' });
    await refusing.close();
    await dueNow(a.voucherNo);
    const lib = await fakeLibrary(all(1));
    await sendDueVouchers(f.t.db, { bankUrl: lib.url });
    expect(await voucher(a.voucherNo)).toMatchObject({ library_status: 1, send_attempt: 2 });
    await lib.close();
  });

  it('treats an HTTP error or an answer without the voucher as not delivered', async () => {
    const a = await f.signed('direct', '13.00');
    await onlyThese([a.voucherNo]);
    const broken = await fakeLibrary(() => ({ status: 503, body: { error: 'busy' } }));
    expect(await sendDueVouchers(f.t.db, { bankUrl: broken.url })).toMatchObject({ unreachable: 1 });
    expect((await voucher(a.voucherNo)).last_send_error).toMatch(/HTTP 503/);
    await broken.close();
    await dueNow(a.voucherNo);
    const silent = await fakeLibrary(() => ({ status: 200, body: { results: [] } }));
    expect(await sendDueVouchers(f.t.db, { bankUrl: silent.url })).toMatchObject({ unreachable: 1 });
    await silent.close();
  });

  it('keeps the bank answer when the receipt overtakes the record of its send', async () => {
    const a = await f.signed('direct', '14.00');
    const entry = await f.storedEntry(a.vtCode, a.voucherNo);
    // The bank paid and answered before the sender booked that the library had received it.
    expect((await f.post(await f.answer(entry, { paid: 1_400n }))).json().results[0].status).toBe('accepted');
    const record = (attempt: number) =>
      cmd('payment.recordSend', {
        vouchers: [{ vtCode: a.vtCode, voucherNo: a.voucherNo, attempt, outcome: 'received' }],
      });
    const r = ok(await run1(f.t.db, record(1), as('exchange')));
    expect(r.vouchers).toEqual([{ voucherNo: a.voucherNo, outcome: 'received', libraryStatus: 5 }]);
    expect(await voucher(a.voucherNo)).toMatchObject({ library_status: 5, send_attempt: 1 });
    // A record of an attempt that is not the next one is stale and changes nothing.
    const stale = ok(await run1(f.t.db, record(1), as('exchange')));
    expect(stale.vouchers).toEqual([{ voucherNo: a.voucherNo, outcome: 'stale', libraryStatus: 5 }]);
  });

  it('lets only the exchange agent book sends', async () => {
    const a = await f.signed('direct', '15.00');
    const r = await run1(
      f.t.db,
      cmd('payment.recordSend', {
        vouchers: [{ vtCode: a.vtCode, voucherNo: a.voucherNo, attempt: 1, outcome: 'received' }],
      }),
      as('signer'),
    );
    expect(errorCode(r)).toBe('PERMISSION_DENIED');
    expect(await voucher(a.voucherNo)).toMatchObject({ library_status: 0, send_attempt: 0 });
  });
});

describe('退票: 2203 refund notices after payment', () => {
  async function paid(amount: string, fen: bigint) {
    const a = await f.signed('direct', amount);
    const entry = await f.storedEntry(a.vtCode, a.voucherNo);
    const r = await f.post(await f.answer(entry, { paid: fen }));
    expect(r.json().results[0]).toMatchObject({ status: 'accepted', result: { state: 'paid' } });
    return { ...a, entry };
  }
  const state = (id: string) =>
    f.t.db
      .selectFrom('payments.application')
      .select(['state', 'refund_entry_id'])
      .where('application_id', '=', id)
      .executeTakeFirstOrThrow();

  it('restores the indicator once (scenario 15), and a repeat of the notice changes nothing', async () => {
    const before = await indicatorBalance(f.t.db, '530700000', '2101', 'VX-DIR');
    const p = await paid('300.00', 30_000n);
    expect(await indicatorBalance(f.t.db, '530700000', '2101', 'VX-DIR')).toBe(before - 30_000n);
    const notice = await f.refundNotice(p.entry, 'RF0001', 30_000n);
    const r = await f.post(notice);
    expect(r.json().results[0]).toMatchObject({ status: 'accepted', result: { state: 'refunded' } });
    expect(await indicatorBalance(f.t.db, '530700000', '2101', 'VX-DIR')).toBe(before);
    const s = await state(p.id);
    expect(s.state).toBe('refunded');
    const lines = await sql<{ account: string; side: string; amount_fen: string }>`
      select account, side, amount_fen::text from ledger.line where region_code = '530700000' and entry_id = ${s.refund_entry_id}
      order by line_no`.execute(f.t.db);
    expect(lines.rows).toEqual([
      { account: '2501', side: 'debit', amount_fen: '30000' },
      { account: '2101', side: 'credit', amount_fen: '30000' },
    ]);
    const again = await f.post(notice);
    expect(again.json().results[0]).toMatchObject({ status: 'accepted', replayed: true });
    expect(await indicatorBalance(f.t.db, '530700000', '2101', 'VX-DIR')).toBe(before);
    // Another notice for the same voucher: a detail is never refunded twice.
    const second = await f.post(await f.refundNotice(p.entry, 'RF0002', 30_000n));
    expect(second.json().results[0]).toMatchObject({
      status: 'rejected',
      error: { code: 'REFUND_DUPLICATE' },
    });
    const trail = await f.t.db
      .selectFrom('payments.application_action')
      .select('action')
      .where('application_id', '=', p.id)
      .orderBy('seq')
      .execute();
    expect(trail.map((x) => x.action).slice(-3)).toEqual(['sign', 'bankPaid', 'refund']);
  });

  it('takes a 2252 收款银行退款通知 as a 2203: restores the indicator once, a later 2203 is a duplicate', async () => {
    const before = await indicatorBalance(f.t.db, '530700000', '2101', 'VX-DIR');
    const p = await paid('88.80', 8_880n);
    const r = await f.post(await f.refundNotice(p.entry, 'RF2252', 8_880n, '2252'));
    expect(r.json().results[0]).toMatchObject({ status: 'accepted', result: { state: 'refunded' } });
    expect(await indicatorBalance(f.t.db, '530700000', '2101', 'VX-DIR')).toBe(before);
    const stored = await f.t.db
      .selectFrom('payments.refund_notice')
      .select(['vt_code', 'voucher_no', 'amount_fen'])
      .where('ori_voucher_no', '=', p.voucherNo)
      .execute();
    expect(stored).toEqual([{ vt_code: '2252', voucher_no: 'RF2252', amount_fen: 8_880n }]);
    const second = await f.post(await f.refundNotice(p.entry, 'RF2203', 8_880n));
    expect(second.json().results[0]).toMatchObject({
      status: 'rejected',
      error: { code: 'REFUND_DUPLICATE' },
    });
  });

  it('refuses a partial amount, an unpaid voucher, an unknown voucher and a forged notice', async () => {
    const p = await paid('50.00', 5_000n);
    const partial = await f.post(await f.refundNotice(p.entry, 'RF0003', 4_000n));
    expect(partial.json().results[0]).toMatchObject({
      status: 'rejected',
      error: { code: 'REFUND_AMOUNT_MISMATCH' },
    });
    expect((await state(p.id)).state).toBe('paid');
    const unpaid = await f.signed('direct', '60.00');
    const early = await f.post(
      await f.refundNotice(await f.storedEntry(unpaid.vtCode, unpaid.voucherNo), 'RF0004', 6_000n),
    );
    expect(early.json().results[0]).toMatchObject({ status: 'rejected', error: { code: 'STATE_INVALID' } });
    const ghost = {
      ...p.entry,
      voucher: { ...p.entry.voucher, header: { ...p.entry.voucher.header, VoucherNo: '99999999' } },
    };
    const unknown = await f.post(await f.refundNotice(ghost, 'RF0005', 5_000n));
    expect(unknown.json().results[0]).toMatchObject({ status: 'rejected', error: { code: 'NOT_FOUND' } });
    const forged = (await f.refundNotice(p.entry, 'RF0006', 5_000n)).toString('utf8');
    const inner = forged.match(/<Voucher>([^<]+)<\/Voucher>/)![1]!;
    const altered = Buffer.from(inner, 'base64')
      .toString('utf8')
      .replace('<PayAmt>50.00</PayAmt>', '<PayAmt>5.00</PayAmt>');
    const res = await f.post(Buffer.from(forged.replace(inner, Buffer.from(altered).toString('base64'))));
    expect(res.statusCode).toBe(401);
    expect((await state(p.id)).state).toBe('paid');
  });

  it('accepts the corrected receipt after an altered one was refused', async () => {
    const a = await f.signed('direct', '70.00');
    const entry = await f.storedEntry(a.vtCode, a.voucherNo);
    const wrong = await f.post(await f.answer(entry, { paid: 7_001n }));
    expect(wrong.json().results[0]).toMatchObject({
      status: 'rejected',
      error: { code: 'RECEIPT_AMOUNT_MISMATCH' },
    });
    const right = await f.post(await f.answer(entry, { paid: 7_000n }));
    expect(right.json().results[0]).toMatchObject({ status: 'accepted', result: { state: 'paid' } });
  });
});
