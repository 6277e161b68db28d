import { receiveClearingReceipt, recordClearingSend } from '@fiscus/contracts';
import { type Kysely, sql } from 'kysely';
import { type CommandContext, defineHandler } from '../../commands/handler';
import { joinEnvelopes } from '../../exchange/voucher/envelope';
import { FiscusError } from '../../kernel/errors';
import type { DB } from '../../platform/db/schema';
import { sm3Hex } from '../../platform/gm/sm3';
import { sendBackoffMs } from '../vouchers/backoff';
import { bookSendOutcomes } from '../vouchers/book-send';

/**
 * Delivery of clearing vouchers (protocol steps 1 and 3): quota notices (5108/5106) and
 * corrections (5253/5351) go to the PBOC and to the agent bank; when a PBOC URL is configured,
 * every signed 5201/8202 also goes to the PBOC as a copy (the PBOC matches quota notices and
 * clearing requests against it). Each round is booked by `clearing.recordSend` as the exchange
 * agent; what did not get through is sent again after the same backoff as payment vouchers.
 */

export interface ClearingSendOptions {
  bankUrl?: string | undefined;
  pbocUrl?: string | undefined;
  batch?: number | undefined;
  limit?: number | undefined;
  backoffBaseMs?: number | undefined;
  backoffCapMs?: number | undefined;
  timeoutMs?: number | undefined;
  actor?: string | undefined;
  fetch?: typeof fetch | undefined;
}

export interface ClearingSendSummary {
  sent: number;
  received: number;
  receiveFailed: number;
  unreachable: number;
  notBooked: number;
  lastError?: string;
}

interface Due {
  region_code: string;
  fiscal_year: number;
  vt_code: string;
  voucher_no: string;
  destination: 'pboc' | 'bank';
  attempt: number;
  envelope: string;
}

const PAYMENT_VTS = ['5201', '8202'] as const;

/** What is due now: queued clearing vouchers, and (with a PBOC URL) 5201/8202 copies never sent. */
async function dueDeliveries(db: Kysely<DB>, opts: ClearingSendOptions): Promise<Due[]> {
  const limit = opts.limit ?? 1000;
  const queued = await sql<Due>`
    select d.region_code, d.fiscal_year, d.vt_code, d.voucher_no, d.destination, d.attempt,
      coalesce(n.envelope, c.envelope, v.envelope) as envelope
    from clearing.delivery d
    left join clearing.quota_notice n on n.region_code = d.region_code and n.fiscal_year = d.fiscal_year
      and n.vt_code = d.vt_code and n.voucher_no = d.voucher_no
    left join clearing.correction c on c.region_code = d.region_code and c.fiscal_year = d.fiscal_year
      and c.vt_code = d.vt_code and c.voucher_no = d.voucher_no
    left join payments.voucher v on v.region_code = d.region_code and v.fiscal_year = d.fiscal_year
      and v.vt_code = d.vt_code and v.voucher_no = d.voucher_no
    where d.status <> 'received' and (d.next_send_at is null or d.next_send_at <= now())
      and d.destination in (${sql.join([opts.pbocUrl ? 'pboc' : '', opts.bankUrl ? 'bank' : ''])})
    order by d.created_at, d.vt_code, d.voucher_no
    limit ${limit}`.execute(db);
  const out = queued.rows.filter((r) => r.envelope);
  if (opts.pbocUrl && out.length < limit) {
    const copies = await sql<Due>`
      select v.region_code, v.fiscal_year, v.vt_code, v.voucher_no, 'pboc' as destination, 0 as attempt, v.envelope
      from payments.voucher v
      where v.vt_code in (${sql.join([...PAYMENT_VTS])}) and v.library_status <> 6
        and not exists (select 1 from clearing.delivery d where d.region_code = v.region_code
          and d.fiscal_year = v.fiscal_year and d.vt_code = v.vt_code and d.voucher_no = v.voucher_no
          and d.destination = 'pboc')
      order by v.created_at, v.voucher_no
      limit ${limit - out.length}`.execute(db);
    out.push(...copies.rows);
  }
  return out;
}

/** Sends every clearing delivery due now, once (called by the voucher sender each round). */
export async function sendClearingDeliveries(
  db: Kysely<DB>,
  opts: ClearingSendOptions,
): Promise<ClearingSendSummary> {
  const summary: ClearingSendSummary = {
    sent: 0,
    received: 0,
    receiveFailed: 0,
    unreachable: 0,
    notBooked: 0,
  };
  if (!opts.bankUrl && !opts.pbocUrl) return summary;
  const due = await dueDeliveries(db, opts);
  const groups = new Map<string, Due[]>();
  for (const d of due) {
    const key = `${d.destination}|${d.region_code}|${d.fiscal_year}`;
    const list = groups.get(key) ?? [];
    list.push(d);
    groups.set(key, list);
  }
  const batch = opts.batch ?? 50;
  for (const list of groups.values()) {
    const url = list[0]!.destination === 'pboc' ? opts.pbocUrl! : opts.bankUrl!;
    for (let i = 0; i < list.length; i += batch)
      await sendOne(db, url, list.slice(i, i + batch), opts, summary);
  }
  return summary;
}

type Outcome = 'received' | 'receiveFailed' | 'unreachable';

async function sendOne(
  db: Kysely<DB>,
  baseUrl: string,
  list: Due[],
  opts: ClearingSendOptions,
  summary: ClearingSendSummary,
): Promise<void> {
  const answers = await post(baseUrl, list, opts);
  const base = opts.backoffBaseMs ?? 1000;
  const cap = opts.backoffCapMs ?? 300_000;
  const records = list.map((d) => {
    const a = answers.ok ? answers.byKey.get(`${d.vt_code}|${d.voucher_no}`) : undefined;
    const outcome: Outcome = a === undefined ? 'unreachable' : a.ok ? 'received' : 'receiveFailed';
    summary[outcome]++;
    const attempt = Number(d.attempt) + 1;
    const reason = a?.reason ?? (answers.ok ? '回应中缺少该凭证 not in the answer' : answers.error);
    return {
      vtCode: d.vt_code,
      voucherNo: d.voucher_no,
      destination: d.destination,
      attempt,
      outcome,
      ...(outcome === 'received'
        ? {}
        : { reason: reason.slice(0, 500), retryInMs: sendBackoffMs(attempt, base, cap) }),
    };
  });
  summary.sent += list.length;
  const first = list[0]!;
  const id = `csend-${sm3Hex(JSON.stringify(records.map((r) => [r.destination, r.vtCode, r.voucherNo, r.attempt]))).slice(0, 40)}`;
  await bookSendOutcomes(db, summary, {
    id,
    type: 'clearing.recordSend',
    region: first.region_code,
    year: first.fiscal_year,
    payload: { deliveries: records },
    count: list.length,
    actor: opts.actor,
  });
}

/** A library's answer: `{results: [{vtCode, voucherNo, ok | status, reason?}]}` (status 1 = received). */
async function post(
  baseUrl: string,
  list: Due[],
  opts: ClearingSendOptions,
): Promise<
  { ok: true; byKey: Map<string, { ok: boolean; reason?: string }> } | { ok: false; error: string }
> {
  const doFetch = opts.fetch ?? fetch;
  try {
    const res = await doFetch(`${baseUrl.replace(/\/+$/, '')}/voucher-library/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml; charset=utf-8' },
      body: joinEnvelopes(list.map((d) => d.envelope)),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
    });
    const text = await res.text();
    if (!res.ok) return { ok: false, error: `HTTP ${res.status}: ${text.slice(0, 300)}` };
    const body = JSON.parse(text) as {
      results?: { vtCode?: string; voucherNo?: string; ok?: boolean; status?: number; reason?: string }[];
    };
    const byKey = new Map<string, { ok: boolean; reason?: string }>();
    for (const r of body.results ?? []) {
      if (!r.vtCode || !r.voucherNo) continue;
      const ok = r.ok === true || r.status === 1;
      if (r.ok === undefined && typeof r.status !== 'number') continue;
      byKey.set(`${r.vtCode}|${r.voucherNo}`, { ok, ...(r.reason ? { reason: r.reason } : {}) });
    }
    return { ok: true, byKey };
  } catch (e) {
    return { ok: false, error: `未送达 unreachable: ${(e as Error).message}` };
  }
}

/** How long until the next clearing delivery is due (ms), or null when none waits. */
export async function nextClearingDueInMs(db: Kysely<DB>): Promise<number | null> {
  const r = await sql<{ ms: string | null }>`
    select (extract(epoch from (min(coalesce(next_send_at, now())) - now())) * 1000)::bigint::text as ms
    from clearing.delivery where status <> 'received'`.execute(db);
  const ms = r.rows[0]?.ms;
  return ms == null ? null : Math.max(0, Number(ms));
}

/** Notice or correction: sent once every party has received it. */
async function markSent(ctx: CommandContext<unknown>, vtCode: string, voucherNo: string) {
  const open = await ctx.trx
    .selectFrom('clearing.delivery')
    .select('destination')
    .where('region_code', '=', ctx.region)
    .where('fiscal_year', '=', ctx.year)
    .where('vt_code', '=', vtCode)
    .where('voucher_no', '=', voucherNo)
    .where('status', '<>', 'received')
    .executeTakeFirst();
  if (open) return;
  if (vtCode === '5106' || vtCode === '5108')
    await ctx.trx
      .updateTable('clearing.quota_notice')
      .set({ state: 'sent', sent_at: ctx.now })
      .where('region_code', '=', ctx.region)
      .where('fiscal_year', '=', ctx.year)
      .where('vt_code', '=', vtCode)
      .where('voucher_no', '=', voucherNo)
      .where('state', '=', 'unsent')
      .execute();
  else if (vtCode === '5253' || vtCode === '5351')
    await ctx.trx
      .updateTable('clearing.correction')
      .set({ send_state: 'sent', updated_at: ctx.now })
      .where('region_code', '=', ctx.region)
      .where('fiscal_year', '=', ctx.year)
      .where('vt_code', '=', vtCode)
      .where('voucher_no', '=', voucherNo)
      .where('send_state', '=', 'unsent')
      .execute();
}

export const recordClearingSendHandler = defineHandler({
  def: recordClearingSend,
  async handle(ctx) {
    const { trx, region, year, now } = ctx;
    const out: { vtCode: string; voucherNo: string; destination: string; outcome: string }[] = [];
    for (const s of ctx.payload.deliveries) {
      const key = { vtCode: s.vtCode, voucherNo: s.voucherNo, destination: s.destination };
      let row = await trx
        .selectFrom('clearing.delivery')
        .select(['status', 'attempt'])
        .where('region_code', '=', region)
        .where('fiscal_year', '=', year)
        .where('vt_code', '=', s.vtCode)
        .where('voucher_no', '=', s.voucherNo)
        .where('destination', '=', s.destination)
        .forUpdate()
        .executeTakeFirst();
      if (!row && s.destination === 'pboc' && (s.vtCode === '5201' || s.vtCode === '8202')) {
        const v = await trx
          .selectFrom('payments.voucher')
          .select('voucher_no')
          .where('region_code', '=', region)
          .where('fiscal_year', '=', year)
          .where('vt_code', '=', s.vtCode)
          .where('voucher_no', '=', s.voucherNo)
          .executeTakeFirst();
        if (v) {
          await trx
            .insertInto('clearing.delivery')
            .values({
              region_code: region,
              fiscal_year: year,
              vt_code: s.vtCode,
              voucher_no: s.voucherNo,
              destination: 'pboc',
              created_at: now,
            })
            .execute();
          row = { status: 'pending', attempt: 0 };
        }
      }
      if (!row) {
        out.push({ ...key, outcome: 'unknown' });
        continue;
      }
      if (s.attempt !== row.attempt + 1 || row.status === 'received') {
        out.push({ ...key, outcome: 'stale' });
        continue;
      }
      const received = s.outcome === 'received';
      const status = received ? 'received' : s.outcome === 'receiveFailed' ? 'receiveFailed' : row.status;
      await trx
        .updateTable('clearing.delivery')
        .set({
          status,
          attempt: s.attempt,
          sent_at: received ? now : undefined,
          next_send_at: received ? null : new Date(now.getTime() + (s.retryInMs ?? 0)),
          last_error: received ? null : (s.reason ?? null),
        })
        .where('region_code', '=', region)
        .where('fiscal_year', '=', year)
        .where('vt_code', '=', s.vtCode)
        .where('voucher_no', '=', s.voucherNo)
        .where('destination', '=', s.destination)
        .execute();
      if (received) await markSent(ctx, s.vtCode, s.voucherNo);
      ctx.changes.push({
        entity: 'clearingDelivery',
        key: `${s.destination}:${s.vtCode}:${s.voucherNo}`,
        before: { status: row.status, attempt: row.attempt },
        after: { status, attempt: s.attempt, outcome: s.outcome, reason: s.reason ?? null },
      });
      out.push({ ...key, outcome: s.outcome });
    }
    return { deliveries: out };
  },
});

/**
 * 回单 of a quota notice or correction by the PBOC or the bank (the inbox turns a verified receipt
 * message into this command): the notice becomes `receipted`; the party's check result is kept.
 */
export const receiveClearingReceiptHandler = defineHandler({
  def: receiveClearingReceipt,
  async handle(ctx) {
    const { trx, region, year, payload: p, now } = ctx;
    const notice = p.vtCode === '5106' || p.vtCode === '5108';
    const table = notice ? 'clearing.quota_notice' : 'clearing.correction';
    const row = await trx
      .selectFrom(table)
      .select(['receipts'])
      .where('region_code', '=', region)
      .where('fiscal_year', '=', year)
      .where('vt_code', '=', p.vtCode)
      .where('voucher_no', '=', p.voucherNo)
      .forUpdate()
      .executeTakeFirst();
    if (!row)
      throw new FiscusError('NOT_FOUND', {
        entity: notice ? '清算额度通知单 quota notice' : '更正凭证 correction voucher',
        key: `${p.vtCode}/${p.voucherNo}`,
      });
    const receipts = { ...(row.receipts as Record<string, unknown>) };
    if (receipts[p.party]) return { vtCode: p.vtCode, voucherNo: p.voucherNo, duplicate: true };
    receipts[p.party] = {
      checkResult: p.checkResult ?? null,
      addWord: p.addWord ?? null,
      at: now.toISOString(),
    };
    if (notice)
      await trx
        .updateTable('clearing.quota_notice')
        .set({ receipts: JSON.stringify(receipts), state: 'receipted', receipted_at: now })
        .where('region_code', '=', region)
        .where('fiscal_year', '=', year)
        .where('vt_code', '=', p.vtCode as '5106' | '5108')
        .where('voucher_no', '=', p.voucherNo)
        .execute();
    else
      await trx
        .updateTable('clearing.correction')
        .set({ receipts: JSON.stringify(receipts), send_state: 'receipted', updated_at: now })
        .where('region_code', '=', region)
        .where('fiscal_year', '=', year)
        .where('vt_code', '=', p.vtCode as '5253' | '5351')
        .where('voucher_no', '=', p.voucherNo)
        .execute();
    ctx.changes.push({
      entity: notice ? 'quotaNotice' : 'paymentCorrection',
      key: `${p.vtCode}:${p.voucherNo}`,
      before: null,
      after: { receipt: p.party, checkResult: p.checkResult ?? null, addWord: p.addWord ?? null },
    });
    return { vtCode: p.vtCode, voucherNo: p.voucherNo, party: p.party, state: 'receipted', duplicate: false };
  },
});
