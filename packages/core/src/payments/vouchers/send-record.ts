import { recordVoucherSend } from '@fiscus/contracts';
import { defineHandler } from '../../commands/handler';
import {
  canResend,
  isLibraryStatus,
  LibraryStatus,
  type SentVoucherState,
  transition,
} from '../../exchange/library/status';

const REPORTED = { received: LibraryStatus.received, receiveFailed: LibraryStatus.receiveFailed } as const;

/**
 * The outbox's bookkeeping: send number `attempt` of a voucher reached the library (已接收), was
 * refused by it (接收失败, resent after the backoff) or did not get through (still 未接收, resent after
 * the backoff). A record for any attempt but the next one is stale — another sender got there
 * first — and changes nothing. A voucher already answered by the bank keeps its answer: the
 * receipt can overtake the record of its own send.
 */
export const recordVoucherSendHandler = defineHandler({
  def: recordVoucherSend,
  async handle(ctx) {
    const { trx, region, year, now } = ctx;
    const outcomes: { voucherNo: string; outcome: string; libraryStatus: number }[] = [];
    for (const s of ctx.payload.vouchers) {
      const v = await trx
        .selectFrom('payments.voucher')
        .select(['library_status', 'send_attempt', 'answered_at'])
        .where('region_code', '=', region)
        .where('fiscal_year', '=', year)
        .where('vt_code', '=', s.vtCode)
        .where('voucher_no', '=', s.voucherNo)
        .forUpdate()
        .executeTakeFirst();
      if (!v || !isLibraryStatus(v.library_status)) {
        outcomes.push({ voucherNo: s.voucherNo, outcome: 'unknown', libraryStatus: -1 });
        continue;
      }
      if (s.attempt !== v.send_attempt + 1) {
        outcomes.push({ voucherNo: s.voucherNo, outcome: 'stale', libraryStatus: v.library_status });
        continue;
      }
      // The library's attempt counter moves only on a send it saw; an unreachable send is retried
      // as the same library attempt.
      let state: SentVoucherState = { status: v.library_status, attempt: Math.max(1, v.send_attempt) };
      if (canResend(state.status)) state = transition(state, { kind: 'resend' }).state;
      if (s.outcome !== 'unreachable')
        state = transition(state, {
          kind: 'reported',
          status: REPORTED[s.outcome],
          attempt: state.attempt,
        }).state;
      const status = v.answered_at ? v.library_status : state.status;
      const received = s.outcome === 'received';
      await trx
        .updateTable('payments.voucher')
        .set({
          library_status: status,
          send_attempt: s.attempt,
          sent_at: received ? now : undefined,
          next_send_at: received ? null : new Date(now.getTime() + (s.retryInMs ?? 0)),
          last_send_error: received ? null : (s.reason ?? null),
        })
        .where('region_code', '=', region)
        .where('fiscal_year', '=', year)
        .where('vt_code', '=', s.vtCode)
        .where('voucher_no', '=', s.voucherNo)
        .execute();
      ctx.changes.push({
        entity: 'paymentVoucher',
        key: `${s.vtCode}:${s.voucherNo}`,
        before: { libraryStatus: v.library_status, attempt: v.send_attempt },
        after: { libraryStatus: status, attempt: s.attempt, outcome: s.outcome, reason: s.reason ?? null },
      });
      outcomes.push({ voucherNo: s.voucherNo, outcome: s.outcome, libraryStatus: status });
    }
    return { vouchers: outcomes };
  },
});
