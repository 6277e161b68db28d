import { refundPayment } from '@fiscus/contracts';
import { defineHandler } from '../../commands/handler';
import { loadIndicators } from '../../indicators/store/indicators';
import { FiscusError } from '../../kernel/errors';
import { formatYuan, parseYuan } from '../../kernel/money';
import { postScenarios } from '../../ledger/post-scenarios';
import { crossYearRefund, earlierYearVoucher } from '../clearing/cross-year';
import { paymentTransition } from '../domain/application';
import { addApplicationAction, lockApplication } from '../store/applications';

/**
 * 退票 after payment (2203 财政直接支付退款通知书): scenario 15 (借 2501 / 贷 2101) gives the amount back
 * to the indicator and the application becomes `refunded`. A repeat of the same notice changes
 * nothing; a second notice for the same voucher, a partial amount or an unpaid voucher is refused.
 */
export const refundPaymentHandler = defineHandler({
  def: refundPayment,
  async handle(ctx) {
    const { trx, region, year, payload: p, now } = ctx;
    const ori = `${p.oriVtCode}/${p.oriVoucherNo}`;
    const v = await trx
      .selectFrom('payments.voucher')
      .select(['voucher_no', 'application_id', 'amount_fen'])
      .where('region_code', '=', region)
      .where('fiscal_year', '=', year)
      .where('vt_code', '=', p.oriVtCode)
      .where('voucher_no', '=', p.oriVoucherNo)
      .forUpdate()
      .executeTakeFirst();
    if (!v) {
      // A refund of an earlier year's payment follows the region's cross-year policy.
      const before = await earlierYearVoucher(ctx);
      if (before) return crossYearRefund(ctx, before);
      throw new FiscusError('NOT_FOUND', { entity: '支付凭证 payment voucher', key: ori });
    }
    const earlier = await trx
      .selectFrom('payments.refund_notice')
      .select(['vt_code', 'voucher_no'])
      .where('region_code', '=', region)
      .where('fiscal_year', '=', year)
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
    const app = await lockApplication(trx, region, year, v.application_id);
    if (!app)
      throw new FiscusError('NOT_FOUND', { entity: '支付申请 payment application', key: v.application_id });
    const t = paymentTransition(app, 'bankRefund', ctx.actor.username);
    const ind = (await loadIndicators(trx, region, year, [app.indicatorId])).get(app.indicatorId);
    if (!ind) throw new FiscusError('NOT_FOUND', { entity: '指标 indicator', key: app.indicatorId });
    const [entryId] = await postScenarios(ctx, [
      { scenario: 'refund', year, amount, indicator: ind.elements },
    ]);
    await trx
      .insertInto('payments.refund_notice')
      .values({
        region_code: region,
        fiscal_year: year,
        ori_vt_code: p.oriVtCode,
        ori_voucher_no: p.oriVoucherNo,
        vt_code: p.vtCode,
        voucher_no: p.voucherNo,
        application_id: app.applicationId,
        amount_fen: amount,
        agent_business_no: p.agentBusinessNo,
        pay_date: p.payDate,
        reason: p.reason ?? null,
        entry_id: BigInt(entryId!),
        received_at: now,
      })
      .execute();
    await trx
      .updateTable('payments.application')
      .set({ state: t.state, updated_at: now, refund_entry_id: BigInt(entryId!) })
      .where('region_code', '=', region)
      .where('fiscal_year', '=', year)
      .where('application_id', '=', app.applicationId)
      .execute();
    await addApplicationAction(
      ctx,
      app.applicationId,
      'refund',
      `${p.vtCode} ${p.voucherNo}${p.reason ? `：${p.reason}` : ''}`,
    );
    ctx.changes.push({
      entity: 'paymentApplication',
      key: app.applicationId,
      before: { state: app.state },
      after: { state: t.state, refund: `${p.vtCode}/${p.voucherNo}`, entryId },
    });
    return {
      voucherNo: p.voucherNo,
      applicationId: app.applicationId,
      state: t.state,
      entryId,
      duplicate: false,
    };
  },
});
