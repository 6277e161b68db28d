import { type Kysely, sql } from 'kysely';
import { joinEnvelopes } from '../../exchange/voucher/envelope';
import type { DB } from '../../platform/db/schema';
import { sm3Hex } from '../../platform/gm/sm3';
import { nextClearingDueInMs, sendClearingDeliveries } from '../clearing/deliveries';
import { sendBackoffMs } from './backoff';
import { bookSendOutcomes } from './book-send';

/**
 * 电子凭证库 outbox sender: signed vouchers not yet accepted by the receiving library (未接收,
 * 接收失败) go out in batches over HTTP; what the library answers for each is booked by the
 * `payment.recordSend` command (as the exchange agent), and a voucher that did not get through is
 * sent again after a growing wait. The bank receives idempotently by (AdmDivCode, StYear, VtCode,
 * VoucherNo), so sending twice — after a crash between sending and booking — pays nothing twice.
 */
export interface SenderOptions {
  /** The agent bank's voucher library: 5201 and 8202 go to `${bankUrl}/voucher-library/messages`. */
  bankUrl: string;
  /**
   * The PBOC treasury's library: 5207 allocation vouchers, quota notices (5108/5106), corrections
   * (5253/5351) and a copy of each 5201/8202; without it they wait.
   */
  pbocUrl?: string;
  /** Vouchers per message (default 50). */
  batch?: number;
  /** Vouchers looked at per call (default 1000). */
  limit?: number;
  /** First retry wait (default 1 000 ms), doubled per failed send up to `backoffCapMs` (300 000). */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Per request (default 30 000 ms). */
  timeoutMs?: number;
  /** Who books the outcomes (default `exchange`, the exchange agent). */
  actor?: string;
  /** Messages in flight at once (default 4). */
  parallel?: number;
  fetch?: typeof fetch;
}

export interface SendSummary {
  /** Vouchers put in a message. */
  sent: number;
  received: number;
  receiveFailed: number;
  unreachable: number;
  /** Records refused by the pipeline (a stale record of another sender, say). */
  notBooked: number;
  /** Why the last refused record was refused. */
  lastError?: string;
}

interface Due {
  region_code: string;
  fiscal_year: number;
  vt_code: string;
  voucher_no: string;
  envelope: string;
  send_attempt: number;
}

type Outcome = 'received' | 'receiveFailed' | 'unreachable';
interface LibraryAnswer {
  status: number;
  reason?: string;
}

/** Sends every voucher that is due now, once; returns what happened. */
export async function sendDueVouchers(db: Kysely<DB>, opts: SenderOptions): Promise<SendSummary> {
  const due = await sql<Due>`
    select v.region_code, v.fiscal_year, v.vt_code, v.voucher_no, v.envelope, v.send_attempt
    from payments.voucher v
    where v.library_status in (0, 2, 4) and v.answered_at is null
      and (v.next_send_at is null or v.next_send_at <= now())
    order by v.created_at, v.voucher_no
    limit ${opts.limit ?? 1000}`.execute(db);
  const summary: SendSummary = { sent: 0, received: 0, receiveFailed: 0, unreachable: 0, notBooked: 0 };
  const messages: { url: string; vouchers: Due[] }[] = [];
  const groups = new Map<string, Due[]>();
  for (const v of due.rows) {
    const url = v.vt_code === '5207' ? opts.pbocUrl : opts.bankUrl;
    if (!url) continue;
    const key = `${url}|${v.region_code}|${v.fiscal_year}`;
    const list = groups.get(key) ?? [];
    list.push(v);
    groups.set(key, list);
  }
  const batch = opts.batch ?? 50;
  for (const [key, list] of groups) {
    const url = key.slice(0, key.indexOf('|'));
    for (let i = 0; i < list.length; i += batch) messages.push({ url, vouchers: list.slice(i, i + batch) });
  }
  const parallel = Math.max(1, opts.parallel ?? 4);
  let next = 0;
  const worker = async () => {
    for (let m = messages[next++]; m; m = messages[next++])
      await sendOne(db, m.url, m.vouchers, opts, summary);
  };
  await Promise.all(Array.from({ length: Math.min(parallel, messages.length) }, worker));
  // Clearing: quota notices and corrections to the PBOC and the bank, the PBOC's 5201/8202 copies.
  const c = await sendClearingDeliveries(db, opts);
  for (const k of ['sent', 'received', 'receiveFailed', 'unreachable', 'notBooked'] as const)
    summary[k] += c[k];
  if (c.lastError) summary.lastError = c.lastError;
  return summary;
}

async function sendOne(
  db: Kysely<DB>,
  baseUrl: string,
  vouchers: Due[],
  opts: SenderOptions,
  summary: SendSummary,
): Promise<void> {
  const answers = await post(baseUrl, vouchers, opts);
  const base = opts.backoffBaseMs ?? 1000;
  const cap = opts.backoffCapMs ?? 300_000;
  const records = vouchers.map((v) => {
    const a = answers.ok ? answers.byKey.get(keyOf(v)) : undefined;
    const outcome: Outcome = a === undefined ? 'unreachable' : a.status === 1 ? 'received' : 'receiveFailed';
    summary[outcome]++;
    const attempt = v.send_attempt + 1;
    const reason = a?.reason ?? (answers.ok ? '回应中缺少该凭证 not in the answer' : answers.error);
    return {
      vtCode: v.vt_code,
      voucherNo: v.voucher_no,
      attempt,
      outcome,
      ...(outcome === 'received'
        ? {}
        : { reason: reason.slice(0, 500), retryInMs: sendBackoffMs(attempt, base, cap) }),
    };
  });
  summary.sent += vouchers.length;
  const first = vouchers[0]!;
  const id = `send-${sm3Hex(JSON.stringify(records.map((r) => [r.vtCode, r.voucherNo, r.attempt]))).slice(0, 40)}`;
  await bookSendOutcomes(db, summary, {
    id,
    type: 'payment.recordSend',
    region: first.region_code,
    year: first.fiscal_year,
    payload: { vouchers: records },
    count: vouchers.length,
    actor: opts.actor,
  });
}

const keyOf = (v: { fiscal_year: number | string; vt_code: string; voucher_no: string }) =>
  `${v.fiscal_year}|${v.vt_code}|${v.voucher_no}`;

async function post(
  baseUrl: string,
  vouchers: Due[],
  opts: SenderOptions,
): Promise<{ ok: true; byKey: Map<string, LibraryAnswer> } | { ok: false; error: string }> {
  const doFetch = opts.fetch ?? fetch;
  try {
    const res = await doFetch(`${baseUrl.replace(/\/+$/, '')}/voucher-library/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml; charset=utf-8' },
      body: joinEnvelopes(vouchers.map((v) => v.envelope)),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
    });
    const text = await res.text();
    if (!res.ok) return { ok: false, error: `HTTP ${res.status}: ${text.slice(0, 300)}` };
    const body = JSON.parse(text) as {
      results?: { stYear?: string; vtCode?: string; voucherNo?: string; status?: number; reason?: string }[];
    };
    const byKey = new Map<string, LibraryAnswer>();
    for (const r of body.results ?? []) {
      if (typeof r.status !== 'number' || !r.vtCode || !r.voucherNo || !r.stYear) continue;
      byKey.set(keyOf({ fiscal_year: r.stYear, vt_code: r.vtCode, voucher_no: r.voucherNo }), {
        status: r.status,
        ...(r.reason ? { reason: r.reason } : {}),
      });
    }
    return { ok: true, byKey };
  } catch (e) {
    return { ok: false, error: `未送达 unreachable: ${(e as Error).message}` };
  }
}

/** How long until the next voucher is due (ms; 0 when one is due now, null when none waits). */
export async function nextDueInMs(db: Kysely<DB>): Promise<number | null> {
  const r = await sql<{ ms: string | null }>`
    select (extract(epoch from (min(coalesce(next_send_at, now())) - now())) * 1000)::bigint::text as ms
    from payments.voucher
    where library_status in (0, 2, 4) and answered_at is null`.execute(db);
  const ms = r.rows[0]?.ms;
  const clearing = await nextClearingDueInMs(db);
  if (ms == null) return clearing;
  const own = Math.max(0, Number(ms));
  return clearing === null ? own : Math.min(own, clearing);
}

/**
 * The sender as a loop (the server runs it when FISCUS_BANK_URL is set): sends what is due, then
 * sleeps until the next voucher is due or `pollMs` (default 1 000) passes — new vouchers are signed
 * all the time. `stop()` waits for the message in flight.
 */
export function startVoucherSender(
  db: Kysely<DB>,
  opts: SenderOptions & { pollMs?: number; onError?: (e: unknown) => void },
): { stop: () => Promise<void> } {
  let stopped = false;
  let wake: (() => void) | null = null;
  const poll = opts.pollMs ?? 1000;
  const loop = (async () => {
    while (!stopped) {
      try {
        const s = await sendDueVouchers(db, opts);
        if (s.lastError) opts.onError?.(new Error(s.lastError));
        if (s.sent > s.notBooked) continue;
        const ms = await nextDueInMs(db);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, Math.min(poll, ms ?? poll));
        });
      } catch (e) {
        opts.onError?.(e);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, poll);
        });
      }
    }
  })();
  return {
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
