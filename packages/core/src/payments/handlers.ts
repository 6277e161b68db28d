import {
  cosignPayment,
  decideMonitorHold,
  draftPayment,
  reviewPayment,
  submitPayment,
  unitApprovePayment,
  voidPayment,
  withdrawPayment,
} from '@fiscus/contracts';
import { type CommandContext, defineHandler } from '../commands/handler';
import { loadIndicators } from '../indicators/store/indicators';
import { FiscusError } from '../kernel/errors';
import { formatYuan, parseYuan } from '../kernel/money';
import { postScenarios } from '../ledger/post-scenarios';
import { checkBeneficiaries, noteHoldDecision } from '../monitoring/payment-checks';
import { type MonitorOutcome, monitorPayment } from '../monitoring/service';
import { monitoredTransition, type PaymentAction, paymentTransition } from './domain/application';
import { type MonitorFinding, type PaymentUnderReview, runPaymentMonitors } from './monitor-hook';
import {
  type ApplicationRow,
  addApplicationAction,
  lockApplication,
  nextApplicationId,
  resolvePayee,
} from './store/applications';
import { usePlanHandlers } from './use-plans';
import { receivePaymentReceiptHandler } from './vouchers/receipt';
import { refundPaymentHandler } from './vouchers/refund';
import { recordVoucherSendHandler } from './vouchers/send-record';
import { signPaymentVoucherHandler } from './vouchers/sign';

type Ref = {
  applicationId: string;
  agencyCode: string;
  opinion?: string | undefined;
  reason?: string | undefined;
  explanation?: string | undefined;
};

const agencyOf = (p: { agencyCode: string }) => p.agencyCode;

async function mustLock(ctx: CommandContext<Ref>): Promise<ApplicationRow> {
  const row = await lockApplication(ctx.trx, ctx.region, ctx.year, ctx.payload.applicationId);
  // An application of another agency is "not found" to someone scoped to this one.
  if (!row || row.agencyCode !== ctx.payload.agencyCode)
    throw new FiscusError('NOT_FOUND', {
      entity: '支付申请 payment application',
      key: ctx.payload.applicationId,
    });
  return row;
}

/** The executable indicator an application pays from, with its elements (the payment's coding). */
async function payingIndicator(ctx: CommandContext<unknown>, indicatorId: string, agencyCode: string) {
  const ind = (await loadIndicators(ctx.trx, ctx.region, ctx.year, [indicatorId])).get(indicatorId);
  if (!ind) throw new FiscusError('NOT_FOUND', { entity: '指标 indicator', key: indicatorId });
  if (ind.pool !== 'executable')
    throw new FiscusError('INDICATOR_POOL_INVALID', {
      indicator: indicatorId,
      pool: '待分 unallocated',
      action: '支付 pay from it',
    });
  if (ind.elements.agencyCode !== agencyCode)
    throw new FiscusError('SCOPE_DENIED', {
      actor: ctx.actor.username,
      scope: `指标 ${indicatorId} 属于 ${ind.elements.agencyCode}`,
    });
  return ind;
}

export const draftPaymentHandler = defineHandler({
  def: draftPayment,
  agencyOf,
  async handle(ctx) {
    const { trx, region, year, payload: p, actor, now } = ctx;
    const existing = p.applicationId ? await lockApplication(trx, region, year, p.applicationId) : null;
    if (existing) {
      if (existing.agencyCode !== p.agencyCode)
        throw new FiscusError('NOT_FOUND', { entity: '支付申请 payment application', key: p.applicationId! });
      paymentTransition(existing, 'update', actor.username);
    }
    const id = p.applicationId ?? (await nextApplicationId(trx, year));
    const ind = await payingIndicator(ctx, p.indicatorId, p.agencyCode);
    // 直达资金 must be traceable to the people and firms it reaches.
    checkBeneficiaries(ind, p.beneficiaries, ctx.on);
    const mode = await trx
      .selectFrom('basedata.code_item')
      .select('code')
      .where('region_code', '=', region)
      .where('fiscal_year', '=', year)
      .where('set_code', '=', 'settlementMode')
      .where('code', '=', p.settlementMode)
      .where('enabled', '=', true)
      .executeTakeFirst();
    if (!mode) throw new FiscusError('CODE_UNKNOWN', { year, set: 'settlementMode', code: p.settlementMode });
    const payee = await resolvePayee(trx, region, p.payee);
    const beneficiaryTotal = p.beneficiaries.reduce((s, b) => s + parseYuan(b.amount), 0n);
    const amount = parseYuan(p.amount);
    if (p.beneficiaries.length > 0 && beneficiaryTotal !== amount)
      throw new FiscusError('VALIDATION_FAILED', {
        detail: `受益对象金额合计 ${formatYuan(beneficiaryTotal)} 须等于支付金额 ${formatYuan(amount)} beneficiaries must add up to the amount`,
      });
    const values = {
      pay_type: p.payType,
      indicator_id: p.indicatorId,
      agency_code: p.agencyCode,
      amount_fen: amount,
      purpose: p.purpose,
      settlement_mode: p.settlementMode,
      payee: JSON.stringify(payee),
      payee_account_kind: p.payeeAccountKind,
      contract_no: p.contractNo ?? null,
      beneficiaries: JSON.stringify(p.beneficiaries),
      dep_eco_code: ind.elements.depEcoCode,
      // A change after a co-sign needs a new co-sign.
      cosigned_by: null,
      updated_at: now,
    };
    if (existing)
      await trx
        .updateTable('payments.application')
        .set(values)
        .where('region_code', '=', region)
        .where('fiscal_year', '=', year)
        .where('application_id', '=', id)
        .execute();
    else
      await trx
        .insertInto('payments.application')
        .values({
          region_code: region,
          fiscal_year: year,
          application_id: id,
          state: 'draft',
          prepared_by: actor.username,
          created_at: now,
          ...values,
        })
        .execute();
    await addApplicationAction(ctx, id, existing ? 'update' : 'draft', null);
    ctx.changes.push({
      entity: 'paymentApplication',
      key: id,
      before: existing ? { state: existing.state, amount: formatYuan(existing.amountFen) } : null,
      after: { state: existing?.state ?? 'draft', amount: p.amount, payee: payee.accountNo },
    });
    return { applicationId: id, state: existing?.state ?? 'draft' };
  },
});

/** One workflow step; `reserve`/`release` post scenario 12/14 in the same transaction. */
async function act(ctx: CommandContext<Ref>, action: PaymentAction, opinion?: string) {
  const { trx, region, year, actor, now } = ctx;
  const app = await mustLock(ctx);
  let t = paymentTransition(app, action, actor.username, opinion);
  let warnings: MonitorFinding[] = [];
  let monitor: MonitorOutcome = { decision: 'pass', warnings: [] };
  if (action === 'approve') {
    const findings = await runPaymentMonitors(trx, await underReview(ctx, app));
    const blocks = findings.filter((f) => f.action === 'block');
    if (blocks.length > 0)
      throw new FiscusError(
        'MONITOR_BLOCKED',
        { rules: blocks.map((b) => b.rule).join(', ') },
        blocks.map((b) => ({
          path: b.rule,
          code: 'MONITOR_BLOCKED',
          message: b.message.en,
          messageZh: b.message['zh-CN'],
        })),
      );
    warnings = findings;
  }
  if (action === 'submit' || action === 'approve') {
    // 事中监控: the region's rules for this step decide whether it goes through, waits or stops.
    monitor = await monitorPayment(ctx, app.applicationId, action, ctx.payload.explanation);
    t = monitoredTransition(t, action, monitor.decision);
  }
  if (action === 'release' || action === 'correct' || action === 'forbid')
    await noteHoldDecision(ctx, app.applicationId, action, opinion ?? '');
  let entryIds: string[] = [];
  if (t.ledger) {
    const ind = await payingIndicator(ctx, app.indicatorId, app.agencyCode);
    // Where the region uses plans, payments spend (and give back to) the approved plan: 2301.
    const plans = await trx
      .selectFrom('ledger.setting')
      .select('use_plans')
      .where('region_code', '=', region)
      .executeTakeFirst();
    const viaPlan = plans?.use_plans ?? false;
    entryIds =
      t.ledger === 'reserve'
        ? await postScenarios(ctx, [
            {
              scenario: 'applicationApproved',
              year,
              amount: app.amountFen,
              indicator: ind.elements,
              fromPlan: viaPlan,
              payment: {
                elements: ind.elements,
                contractNo: app.contractNo,
                payeeAccountKind: app.payeeAccountKind,
                beneficiaryCount: app.beneficiaryCount,
                extraApproval: app.cosignedBy !== null,
              },
            },
          ])
        : await postScenarios(ctx, [
            {
              scenario: 'voucherReturned',
              year,
              amount: app.amountFen,
              indicator: ind.elements,
              toPlan: viaPlan,
            },
          ]);
  }
  const by: Record<string, string | null> = {};
  if (action === 'submit') Object.assign(by, { submitted_by: actor.username, submitted_on: ctx.on });
  if (action === 'cosign') by.cosigned_by = actor.username;
  if (action === 'unitApprove') by.unit_approved_by = actor.username;
  if (action === 'approve' || action === 'return' || action === 'refuse') by.reviewed_by = actor.username;
  // Back with the preparer (withdrawn, returned or sent back for correction): the next round starts afresh.
  if (action === 'withdraw' || action === 'return' || action === 'correct')
    Object.assign(by, { unit_approved_by: null, cosigned_by: null });
  if (t.state === 'held') Object.assign(by, { held_action: action, held_by: actor.username });
  else if (app.state === 'held') Object.assign(by, { held_action: null, held_by: null });
  await trx
    .updateTable('payments.application')
    .set({
      state: t.state,
      updated_at: now,
      ...by,
      ...(t.ledger === 'reserve' ? { reserve_entry_id: BigInt(entryIds[0]!), release_entry_id: null } : {}),
      ...(t.ledger === 'release' ? { release_entry_id: BigInt(entryIds[0]!) } : {}),
    })
    .where('region_code', '=', region)
    .where('fiscal_year', '=', year)
    .where('application_id', '=', app.applicationId)
    .execute();
  await addApplicationAction(ctx, app.applicationId, action, opinion ?? null);
  if (monitor.warnings.length > 0) {
    const rules = monitor.warnings.map((w) => `${w.ruleCode}(${w.warningId})`).join(', ');
    const note = t.state === 'held' ? 'monitorHold' : t.state === 'refused' ? 'monitorForbid' : 'monitorWarn';
    await addApplicationAction(ctx, app.applicationId, note, rules);
  }
  ctx.changes.push({
    entity: 'paymentApplication',
    key: app.applicationId,
    before: { state: app.state },
    after: { state: t.state, ledger: t.ledger, entryIds, warnings, monitor: monitor.decision },
  });
  return {
    applicationId: app.applicationId,
    state: t.state,
    entryIds,
    warnings,
    monitor: {
      decision: monitor.decision,
      warnings: monitor.warnings.map((w) => ({
        warningId: w.warningId,
        ruleCode: w.ruleCode,
        version: w.version,
        level: w.level,
        action: w.action,
        message: w.message,
      })),
    },
  };
}

async function underReview(ctx: CommandContext<Ref>, app: ApplicationRow): Promise<PaymentUnderReview> {
  const r = await ctx.trx
    .selectFrom('payments.application')
    .select(['payee', 'purpose'])
    .where('region_code', '=', ctx.region)
    .where('fiscal_year', '=', ctx.year)
    .where('application_id', '=', app.applicationId)
    .executeTakeFirstOrThrow();
  const payee = r.payee as { accountNo: string; name: string };
  return {
    region: ctx.region,
    year: ctx.year,
    applicationId: app.applicationId,
    agencyCode: app.agencyCode,
    indicatorId: app.indicatorId,
    amountFen: app.amountFen,
    payeeAccountNo: payee.accountNo,
    payeeName: payee.name,
    purpose: r.purpose,
  };
}

export const cosignPaymentHandler = defineHandler({
  def: cosignPayment,
  agencyOf,
  handle: (ctx) => act(ctx, 'cosign', ctx.payload.opinion),
});
export const submitPaymentHandler = defineHandler({
  def: submitPayment,
  agencyOf,
  handle: (ctx) => act(ctx, 'submit'),
});
export const withdrawPaymentHandler = defineHandler({
  def: withdrawPayment,
  agencyOf,
  handle: (ctx) => act(ctx, 'withdraw'),
});
export const unitApprovePaymentHandler = defineHandler({
  def: unitApprovePayment,
  agencyOf,
  handle: (ctx) => act(ctx, 'unitApprove', ctx.payload.opinion),
});
export const reviewPaymentHandler = defineHandler({
  def: reviewPayment,
  agencyOf,
  handle: (ctx) => act(ctx, ctx.payload.decision, ctx.payload.opinion),
});
export const voidPaymentHandler = defineHandler({
  def: voidPayment,
  agencyOf,
  handle: (ctx) => act(ctx, 'void', ctx.payload.reason),
});

/** 拦截/冻结 的处理: the monitoring reviewer releases, sends back for correction, or forbids. */
export const decideMonitorHoldHandler = defineHandler({
  def: decideMonitorHold,
  async handle(ctx) {
    const row = await lockApplication(ctx.trx, ctx.region, ctx.year, ctx.payload.applicationId);
    if (!row)
      throw new FiscusError('NOT_FOUND', {
        entity: '支付申请 payment application',
        key: ctx.payload.applicationId,
      });
    const refCtx = { ...ctx, payload: { ...ctx.payload, agencyCode: row.agencyCode } };
    return act(refCtx, ctx.payload.decision, ctx.payload.opinion);
  },
});

export const paymentHandlers = [
  decideMonitorHoldHandler,
  receivePaymentReceiptHandler,
  refundPaymentHandler,
  recordVoucherSendHandler,
  ...usePlanHandlers,
  draftPaymentHandler,
  cosignPaymentHandler,
  submitPaymentHandler,
  withdrawPaymentHandler,
  unitApprovePaymentHandler,
  reviewPaymentHandler,
  voidPaymentHandler,
  signPaymentVoucherHandler,
];
