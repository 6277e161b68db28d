import { approveCorrection, prepareCorrection } from '@fiscus/contracts';
import { sql } from 'kysely';
import { type CommandContext, defineHandler } from '../../commands/handler';
import type { Indicator } from '../../indicators/domain/effects';
import { loadIndicators } from '../../indicators/store/indicators';
import { FiscusError } from '../../kernel/errors';
import { formatYuan } from '../../kernel/money';
import { postScenarios } from '../../ledger/post-scenarios';
import { type ApplicationRow, addApplicationAction, lockApplication } from '../store/applications';
import { voucherNumber } from '../vouchers/build';
import { type Coding, codingOfIndicator, codingOfVoucher, sameCoding } from './coding';
import { buildCorrectionVoucher, CORRECTION_VT } from './correction-build';
import { queueDeliveries, voucherOfEnvelope } from './quota';
import { signClearingVoucher } from './sign';

/**
 * 支付更正 (DOMAIN.md §4.7 D, §3.5 scenario 16): a paid application is re-coded to another indicator
 * without moving money. The treasury division prepares it (`payment.correct`) and someone else
 * approves it (`payment.approveCorrection`): the paid amount moves from the old indicator's 2501
 * to the new one's (借 2501 旧 / 贷 2101 旧, 借 2101 新 / 贷 2501 新), the new side checked by every
 * control rule as a payment from it would be, and a signed 5253 / 5351 goes to the bank and the
 * PBOC; the next quota notice carries a zero line for it.
 */

const APP = '支付申请 payment application';

async function mustIndicator(ctx: CommandContext<unknown>, id: string): Promise<Indicator> {
  const ind = (await loadIndicators(ctx.trx, ctx.region, ctx.year, [id])).get(id);
  if (!ind) throw new FiscusError('NOT_FOUND', { entity: '指标 indicator', key: id });
  return ind;
}

/** The paid 5201/8202 of an application. */
async function paidVoucher(ctx: CommandContext<unknown>, applicationId: string) {
  const v = await ctx.trx
    .selectFrom('payments.voucher')
    .select(['vt_code', 'voucher_no', 'x_pay_amt_fen', 'envelope'])
    .where('region_code', '=', ctx.region)
    .where('fiscal_year', '=', ctx.year)
    .where('application_id', '=', applicationId)
    .where('vt_code', 'in', ['5201', '8202'])
    .where('x_pay_amt_fen', 'is not', null)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return v ?? null;
}

function notPaid(app: ApplicationRow, action: string): FiscusError {
  return new FiscusError('STATE_INVALID', {
    entity: APP,
    key: app.applicationId,
    state: app.state,
    action,
  });
}

/**
 * The new side must pass the control rules as a payment from it would (availability, 要素一致,
 * 三公, 政府采购, 工资, 直达 …): the engine decides a scenario-12 posting of the amount from the new
 * indicator with the application's payment facts, inside a savepoint that is always rolled back.
 */
async function checkAsPayment(
  ctx: CommandContext<unknown>,
  app: ApplicationRow,
  right: Indicator,
  payTypeCode: string | null,
): Promise<void> {
  if (right.pool !== 'executable')
    throw new FiscusError('INDICATOR_POOL_INVALID', {
      indicator: right.id,
      pool: '待分 unallocated',
      action: '更正至该指标 correct a payment to it',
    });
  await sql`savepoint fiscus_correction_check`.execute(ctx.trx);
  try {
    await postScenarios(ctx, [
      {
        scenario: 'applicationApproved',
        year: ctx.year,
        amount: app.amountFen,
        indicator: right.elements,
        fromPlan: false,
        payment: {
          elements: { ...right.elements, payTypeCode },
          contractNo: app.contractNo,
          payeeAccountKind: app.payeeAccountKind,
          beneficiaryCount: app.beneficiaryCount,
          extraApproval: app.cosignedBy !== null,
        },
      },
    ]);
  } finally {
    await sql`rollback to savepoint fiscus_correction_check`.execute(ctx.trx);
    await sql`release savepoint fiscus_correction_check`.execute(ctx.trx);
  }
}

/** 11 / 12 of the paid voucher's pay type. */
const payTypeOf = (vtCode: string) => (vtCode === '8202' ? '12' : '11');

export const prepareCorrectionHandler = defineHandler({
  def: prepareCorrection,
  agencyOf: (p) => p.agencyCode,
  async handle(ctx) {
    const { trx, region, year, payload: p, actor, now } = ctx;
    const app = await lockApplication(trx, region, year, p.applicationId);
    if (!app || app.agencyCode !== p.agencyCode)
      throw new FiscusError('NOT_FOUND', { entity: APP, key: p.applicationId });
    if (app.state !== 'paid') throw notPaid(app, '更正 correct');
    const pending = await trx
      .selectFrom('clearing.correction')
      .select('correction_id')
      .where('region_code', '=', region)
      .where('fiscal_year', '=', year)
      .where('application_id', '=', app.applicationId)
      .where('state', '=', 'prepared')
      .executeTakeFirst();
    if (pending)
      throw new FiscusError('CORRECTION_PENDING', {
        applicationId: app.applicationId,
        correctionId: pending.correction_id,
      });
    const v = await paidVoucher(ctx, app.applicationId);
    if (!v) throw notPaid(app, '更正（无已支付的 5201/8202 凭证） correct (no paid 5201/8202)');
    const from = await mustIndicator(ctx, app.indicatorId);
    const to = await mustIndicator(ctx, p.to.indicatorId);
    if (to.id === from.id || sameCoding(from.elements, to.elements))
      throw new FiscusError('CORRECTION_SAME_CODING', { indicator: to.id, original: from.id });
    await checkAsPayment(ctx, app, to, payTypeOf(v.vt_code));

    // The coding the voucher is cleared under now (an earlier correction's, else the voucher's).
    const earlier = await trx
      .selectFrom('clearing.correction')
      .select('to_coding')
      .where('region_code', '=', region)
      .where('fiscal_year', '=', year)
      .where('application_id', '=', app.applicationId)
      .where('state', '=', 'approved')
      .orderBy('updated_at', 'desc')
      .executeTakeFirst();
    const fromCoding =
      (earlier?.to_coding as Coding | undefined) ?? codingOfVoucher(voucherOfEnvelope(v.envelope));
    const toCoding = await codingOfIndicator(trx, region, year, to.elements, {
      payBankCode: fromCoding.payBankCode,
      payBankName: fromCoding.payBankName,
      clearBankCode: fromCoding.clearBankCode,
      clearBankName: fromCoding.clearBankName,
      agencyAccoCode: fromCoding.agencyAccoCode,
    });
    const n = await trx
      .selectFrom('clearing.correction')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('region_code', '=', region)
      .where('fiscal_year', '=', year)
      .where('application_id', '=', app.applicationId)
      .executeTakeFirstOrThrow();
    const correctionId = `GZ-${app.applicationId}-${Number(n.n) + 1}`;
    await trx
      .insertInto('clearing.correction')
      .values({
        region_code: region,
        fiscal_year: year,
        correction_id: correctionId,
        application_id: app.applicationId,
        ori_vt_code: v.vt_code,
        ori_voucher_no: v.voucher_no,
        amount_fen: app.amountFen,
        from_indicator_id: from.id,
        to_indicator_id: to.id,
        from_coding: JSON.stringify(fromCoding),
        to_coding: JSON.stringify(toCoding),
        reason: p.reason,
        state: 'prepared',
        prepared_by: actor.username,
        prepared_on: ctx.on,
        approved_by: null,
        approved_on: null,
        opinion: null,
        entry_id: null,
        vt_code: null,
        voucher_no: null,
        envelope: null,
        send_state: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await addApplicationAction(
      ctx,
      app.applicationId,
      'correctPrepare',
      `${correctionId} → ${to.id}：${p.reason}`,
    );
    ctx.changes.push({
      entity: 'paymentCorrection',
      key: correctionId,
      before: null,
      after: {
        applicationId: app.applicationId,
        voucher: `${v.vt_code}/${v.voucher_no}`,
        from: from.id,
        to: to.id,
        amount: formatYuan(app.amountFen),
        state: 'prepared',
      },
    });
    return { correctionId, applicationId: app.applicationId, state: 'prepared', from: from.id, to: to.id };
  },
});

export const approveCorrectionHandler = defineHandler({
  def: approveCorrection,
  agencyOf: (p) => p.agencyCode,
  async handle(ctx) {
    const { trx, region, year, payload: p, actor, now } = ctx;
    const c = await trx
      .selectFrom('clearing.correction')
      .selectAll()
      .where('region_code', '=', region)
      .where('fiscal_year', '=', year)
      .where('correction_id', '=', p.correctionId)
      .forUpdate()
      .executeTakeFirst();
    const app = c ? await lockApplication(trx, region, year, c.application_id) : null;
    if (!c || !app || app.agencyCode !== p.agencyCode)
      throw new FiscusError('NOT_FOUND', { entity: '支付更正 payment correction', key: p.correctionId });
    if (c.state !== 'prepared')
      throw new FiscusError('STATE_INVALID', {
        entity: '支付更正 payment correction',
        key: c.correction_id,
        state: '已审核 approved',
        action: '审核 approve',
      });
    if (c.prepared_by === actor.username)
      throw new FiscusError('SOD_SAME_PERSON', {
        actor: actor.username,
        firstRole: '更正制单 correction preparer',
        secondRole: '更正审核 correction approver',
      });
    if (app.state !== 'paid') throw notPaid(app, '更正 correct');
    const from = await mustIndicator(ctx, c.from_indicator_id);
    const to = await mustIndicator(ctx, c.to_indicator_id);
    await checkAsPayment(ctx, app, to, payTypeOf(c.ori_vt_code));
    const [entryId] = await postScenarios(ctx, [
      { scenario: 'correction', year, amount: c.amount_fen, wrong: from.elements, right: to.elements },
    ]);

    const vtCode = CORRECTION_VT[c.ori_vt_code]!;
    const serial = await sql<{ n: string }>`select nextval('payments.voucher_seq')::text as n`.execute(trx);
    const voucherNo = voucherNumber(year, vtCode, BigInt(serial.rows[0]!.n));
    const reg = await trx
      .selectFrom('basedata.region')
      .select('adm_div_code')
      .where('region_code', '=', region)
      .executeTakeFirstOrThrow();
    const unsigned = buildCorrectionVoucher({
      vtCode,
      admDivCode: reg.adm_div_code,
      year,
      on: ctx.on,
      voucherNo,
      oriVtCode: c.ori_vt_code,
      oriVoucherNo: c.ori_voucher_no,
      amountFen: c.amount_fen,
      from: c.from_coding as Coding,
      to: c.to_coding as Coding,
      reason: c.reason,
    });
    const { envelope, keyId } = await signClearingVoucher(region, unsigned);
    await trx
      .updateTable('clearing.correction')
      .set({
        state: 'approved',
        approved_by: actor.username,
        approved_on: ctx.on,
        opinion: p.opinion ?? null,
        entry_id: BigInt(entryId!),
        vt_code: vtCode,
        voucher_no: voucherNo,
        envelope,
        send_state: 'unsent',
        updated_at: now,
      })
      .where('region_code', '=', region)
      .where('fiscal_year', '=', year)
      .where('correction_id', '=', c.correction_id)
      .execute();
    await queueDeliveries(ctx, vtCode, voucherNo);
    // The application now pays from the new indicator: a later refund restores that one.
    await trx
      .updateTable('payments.application')
      .set({
        indicator_id: to.id,
        agency_code: to.elements.agencyCode ?? app.agencyCode,
        dep_eco_code: to.elements.depEcoCode,
        updated_at: now,
      })
      .where('region_code', '=', region)
      .where('fiscal_year', '=', year)
      .where('application_id', '=', app.applicationId)
      .execute();
    await addApplicationAction(
      ctx,
      app.applicationId,
      'correctApprove',
      `${c.correction_id} ${vtCode} ${voucherNo}`,
    );
    ctx.changes.push(
      {
        entity: 'paymentCorrection',
        key: c.correction_id,
        before: { state: 'prepared' },
        after: { state: 'approved', vtCode, voucherNo, entryId, keyId },
      },
      {
        entity: 'paymentApplication',
        key: app.applicationId,
        before: { indicatorId: from.id, agencyCode: app.agencyCode },
        after: { indicatorId: to.id, agencyCode: to.elements.agencyCode ?? app.agencyCode },
      },
    );
    return {
      correctionId: c.correction_id,
      applicationId: app.applicationId,
      state: 'approved',
      vtCode,
      voucherNo,
      entryId,
    };
  },
});
