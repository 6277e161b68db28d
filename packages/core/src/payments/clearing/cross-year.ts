import type { refundPayment } from '@fiscus/contracts';
import type { z } from 'zod';
import type { CommandContext } from '../../commands/handler';
import { loadIndicators } from '../../indicators/store/indicators';
import { carriedIndicatorId } from '../../indicators/yearend/policy';
import { FiscusError } from '../../kernel/errors';
import { formatYuan, parseYuan } from '../../kernel/money';
import { postScenarios } from '../../ledger/post-scenarios';
import { paymentTransition } from '../domain/application';
import { addApplicationAction, lockApplication } from '../store/applications';
import { loadClearingPolicy } from './policy';

type RefundCtx = CommandContext<z.infer<(typeof refundPayment)['payload']>>;

/** The paid voucher a refund in `year` names from an earlier year (the latest such year), if any. */
export async function earlierYearVoucher(ctx: RefundCtx) {
  const p = ctx.payload;
  return (
    (await ctx.trx
      .selectFrom('payments.voucher')
      .select(['fiscal_year', 'voucher_no', 'application_id', 'amount_fen'])
      .where('region_code', '=', ctx.region)
      .where('fiscal_year', '<', ctx.year)
      .where('vt_code', '=', p.oriVtCode)
      .where('voucher_no', '=', p.oriVoucherNo)
      .orderBy('fiscal_year', 'desc')
      .forUpdate()
      .executeTakeFirst()) ?? null
  );
}

/**
 * 跨年度退款: a 2203 booked in a later year than the payment follows the region's clearing policy
 * (clearing.savePolicy): `refuse`; `restoreToCarriedIndicator` — the amount goes back to the old
 * indicator's carried one in this year (`JZ<year>-…`, 借 1003 上年结转指标来源 / 贷 2101); `toRevenue`
 * — the money is the treasury's, no indicator is restored. The refund is recorded against the
 * paid voucher's year (once per voucher, in full), with the year it was booked in.
 */
export async function crossYearRefund(
  ctx: RefundCtx,
  v: { fiscal_year: number; voucher_no: string; application_id: string; amount_fen: bigint },
) {
  const { trx, region, year, payload: p, now } = ctx;
  const ori = `${p.oriVtCode}/${p.oriVoucherNo}`;
  const earlier = await trx
    .selectFrom('payments.refund_notice')
    .select(['vt_code', 'voucher_no'])
    .where('region_code', '=', region)
    .where('fiscal_year', '=', v.fiscal_year)
    .where('ori_vt_code', '=', p.oriVtCode)
    .where('ori_voucher_no', '=', p.oriVoucherNo)
    .executeTakeFirst();
  if (earlier) {
    if (earlier.vt_code === p.vtCode && earlier.voucher_no === p.voucherNo)
      return { voucherNo: p.voucherNo, applicationId: v.application_id, duplicate: true };
    throw new FiscusError('REFUND_DUPLICATE', {
      voucher: ori,
      refundNo: `${earlier.vt_code}/${earlier.voucher_no}`,
    });
  }
  const amount = parseYuan(p.amount);
  if (amount !== v.amount_fen)
    throw new FiscusError('REFUND_AMOUNT_MISMATCH', { refund: p.amount, amount: formatYuan(v.amount_fen) });
  const { policy } = await loadClearingPolicy(trx, region);
  if (policy.crossYearRefund === 'refuse')
    throw new FiscusError('REFUND_CROSS_YEAR_REFUSED', { voucher: ori, paidYear: v.fiscal_year, year });
  const app = await lockApplication(trx, region, v.fiscal_year, v.application_id);
  if (!app)
    throw new FiscusError('NOT_FOUND', { entity: '支付申请 payment application', key: v.application_id });
  const t = paymentTransition(app, 'bankRefund', ctx.actor.username);
  let entryId: string | null = null;
  let restored: string | null = null;
  if (policy.crossYearRefund === 'restoreToCarriedIndicator') {
    let carried = app.indicatorId;
    for (let y = v.fiscal_year + 1; y <= year; y++) carried = carriedIndicatorId(carried, y);
    const ind = (await loadIndicators(trx, region, year, [carried])).get(carried);
    if (!ind)
      throw new FiscusError('REFUND_CARRIED_INDICATOR_MISSING', {
        voucher: ori,
        indicator: app.indicatorId,
        carried,
        year,
      });
    [entryId = null] = await postScenarios(ctx, [
      { scenario: 'adjust', year, amount, target: ind.elements, pool: 'executable', source: '1003' },
    ]);
    restored = carried;
  }
  await trx
    .insertInto('payments.refund_notice')
    .values({
      region_code: region,
      fiscal_year: v.fiscal_year,
      ori_vt_code: p.oriVtCode,
      ori_voucher_no: p.oriVoucherNo,
      vt_code: p.vtCode,
      voucher_no: p.voucherNo,
      application_id: app.applicationId,
      amount_fen: amount,
      agent_business_no: p.agentBusinessNo,
      pay_date: p.payDate,
      reason: p.reason ?? null,
      entry_id: entryId === null ? null : BigInt(entryId),
      received_at: now,
      booked_year: year,
      cross_year_policy: policy.crossYearRefund,
      restored_indicator_id: restored,
    })
    .execute();
  await trx
    .updateTable('payments.application')
    .set({ state: t.state, updated_at: now, refund_entry_id: entryId === null ? null : BigInt(entryId) })
    .where('region_code', '=', region)
    .where('fiscal_year', '=', v.fiscal_year)
    .where('application_id', '=', app.applicationId)
    .execute();
  await addApplicationAction(
    { ...ctx, year: v.fiscal_year },
    app.applicationId,
    'refund',
    `${p.vtCode} ${p.voucherNo}（${year} 年度跨年退款：${policy.crossYearRefund}${restored ? ` → ${restored}` : ''}）`,
  );
  ctx.changes.push({
    entity: 'paymentApplication',
    key: `${v.fiscal_year}:${app.applicationId}`,
    before: { state: app.state },
    after: {
      state: t.state,
      refund: `${p.vtCode}/${p.voucherNo}`,
      crossYear: { paidYear: v.fiscal_year, bookedYear: year, policy: policy.crossYearRefund, restored },
      entryId,
    },
  });
  return {
    voucherNo: p.voucherNo,
    applicationId: app.applicationId,
    state: t.state,
    entryId,
    duplicate: false,
    crossYear: { paidYear: v.fiscal_year, policy: policy.crossYearRefund, restoredIndicatorId: restored },
  };
}
