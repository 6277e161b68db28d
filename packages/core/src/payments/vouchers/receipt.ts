import { receivePaymentReceipt } from '@fiscus/contracts';
import { defineHandler } from '../../commands/handler';
import { loadIndicators } from '../../indicators/store/indicators';
import { FiscusError } from '../../kernel/errors';
import { formatYuan, parseYuan } from '../../kernel/money';
import { postScenarios } from '../../ledger/post-scenarios';
import { paymentTransition } from '../domain/application';
import { addApplicationAction, lockApplication } from '../store/applications';

/**
 * 回单 → paid (scenario 13, 借 2401 / 贷 2501); 退回 → the reservation is released (scenario 14)
 * and the application is returned by the bank. A late duplicate of an answered voucher changes
 * nothing; a receipt for an unknown voucher is refused.
 */
export const receivePaymentReceiptHandler = defineHandler({
  def: receivePaymentReceipt,
  async handle(ctx) {
    const { trx, region, year, payload: p, now } = ctx;
    const v = await trx
      .selectFrom('payments.voucher')
      .selectAll()
      .where('region_code', '=', region)
      .where('fiscal_year', '=', year)
      .where('vt_code', '=', p.vtCode)
      .where('voucher_no', '=', p.voucherNo)
      .forUpdate()
      .executeTakeFirst();
    if (!v)
      throw new FiscusError('NOT_FOUND', {
        entity: '支付凭证 payment voucher',
        key: `${p.vtCode}/${p.voucherNo}`,
      });
    if (v.answered_at) return { voucherNo: v.voucher_no, duplicate: true, libraryStatus: v.library_status };
    const app = await lockApplication(trx, region, year, v.application_id);
    if (!app)
      throw new FiscusError('NOT_FOUND', { entity: '支付申请 payment application', key: v.application_id });
    if (p.outcome === 'paid') {
      const paid = p.xPayAmt === undefined ? null : parseYuan(p.xPayAmt);
      if (paid !== v.amount_fen)
        throw new FiscusError('RECEIPT_AMOUNT_MISMATCH', {
          paid: paid === null ? '（缺）' : formatYuan(paid),
          amount: formatYuan(v.amount_fen),
        });
    }
    const t = paymentTransition(app, p.outcome === 'paid' ? 'bankPaid' : 'bankReturn', ctx.actor.username);
    const ind = (await loadIndicators(trx, region, year, [app.indicatorId])).get(app.indicatorId);
    if (!ind) throw new FiscusError('NOT_FOUND', { entity: '指标 indicator', key: app.indicatorId });
    const plans = await trx
      .selectFrom('ledger.setting')
      .select('use_plans')
      .where('region_code', '=', region)
      .executeTakeFirst();
    const [entryId] = await postScenarios(ctx, [
      t.ledger === 'pay'
        ? { scenario: 'bankPaid', year, amount: v.amount_fen, indicator: ind.elements }
        : {
            scenario: 'voucherReturned',
            year,
            amount: v.amount_fen,
            indicator: ind.elements,
            toPlan: plans?.use_plans ?? false,
          },
    ]);
    await trx
      .updateTable('payments.application')
      .set({
        state: t.state,
        updated_at: now,
        ...(t.ledger === 'pay'
          ? { paid_entry_id: BigInt(entryId!) }
          : { release_entry_id: BigInt(entryId!) }),
      })
      .where('region_code', '=', region)
      .where('fiscal_year', '=', year)
      .where('application_id', '=', app.applicationId)
      .execute();
    // Sender's view: 5 已回单 or 6 被退回 (exchange/library/status.ts).
    const libraryStatus = p.outcome === 'paid' ? 5 : 6;
    await trx
      .updateTable('payments.voucher')
      .set({
        library_status: libraryStatus,
        x_pay_date: p.xPayDate ?? null,
        x_pay_amt_fen: p.xPayAmt === undefined ? null : parseYuan(p.xPayAmt),
        x_agent_business_no: p.xAgentBusinessNo ?? null,
        return_reason: p.returnReason ?? null,
        answered_at: now,
      })
      .where('region_code', '=', region)
      .where('fiscal_year', '=', year)
      .where('vt_code', '=', p.vtCode)
      .where('voucher_no', '=', p.voucherNo)
      .execute();
    await addApplicationAction(
      ctx,
      app.applicationId,
      p.outcome === 'paid' ? 'bankPaid' : 'bankReturn',
      p.outcome === 'paid'
        ? `${p.vtCode} ${p.voucherNo} ${p.xAgentBusinessNo ?? ''} ${p.xPayDate ?? ''}`.trim()
        : `${p.vtCode} ${p.voucherNo}：${p.returnReason ?? ''}`,
    );
    ctx.changes.push({
      entity: 'paymentApplication',
      key: app.applicationId,
      before: { state: app.state },
      after: { state: t.state, voucher: `${p.vtCode}/${p.voucherNo}`, entryId },
    });
    return {
      voucherNo: v.voucher_no,
      applicationId: app.applicationId,
      state: t.state,
      libraryStatus,
      entryId,
      duplicate: false,
    };
  },
});
