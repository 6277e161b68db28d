import { approveUsePlan, draftUsePlan, returnUsePlan, submitUsePlan, voidUsePlan } from '@fiscus/contracts';
import { sql } from 'kysely';
import { holdsPermission } from '../auth/domain/access';
import { type CommandContext, defineHandler } from '../commands/handler';
import { type DocAction, type RouteStep, transition } from '../indicators/domain/workflow';
import { loadIndicators } from '../indicators/store/indicators';
import { FiscusError } from '../kernel/errors';
import { formatYuan, parseYuan } from '../kernel/money';
import { postScenarios } from '../ledger/post-scenarios';

/** 用款计划 go through the generic document workflow with one step: the treasury division. */
const planRoute: RouteStep[] = [{ name: '国库科批复', permission: 'usePlan.approve' }];

type PlanRef = {
  planId: string;
  agencyCode: string;
  opinion?: string | undefined;
  reason?: string | undefined;
};
const agencyOf = (p: { agencyCode: string }) => p.agencyCode;

async function lockPlan(ctx: CommandContext<PlanRef>) {
  const r = await ctx.trx
    .selectFrom('payments.use_plan')
    .selectAll()
    .where('region_code', '=', ctx.region)
    .where('fiscal_year', '=', ctx.year)
    .where('plan_id', '=', ctx.payload.planId)
    .forUpdate()
    .executeTakeFirst();
  if (!r || r.agency_code !== ctx.payload.agencyCode)
    throw new FiscusError('NOT_FOUND', { entity: '用款计划 use plan', key: ctx.payload.planId });
  return r;
}

/** Every line pays from an executable indicator of the plan's agency. */
async function checkLines(ctx: CommandContext<unknown>, agencyCode: string, ids: readonly string[]) {
  const inds = await loadIndicators(ctx.trx, ctx.region, ctx.year, ids);
  for (const id of ids) {
    const ind = inds.get(id);
    if (!ind) throw new FiscusError('NOT_FOUND', { entity: '指标 indicator', key: id });
    if (ind.pool !== 'executable')
      throw new FiscusError('INDICATOR_POOL_INVALID', {
        indicator: id,
        pool: '待分 unallocated',
        action: '编制用款计划 plan',
      });
    if (ind.elements.agencyCode !== agencyCode)
      throw new FiscusError('SCOPE_DENIED', {
        actor: ctx.actor.username,
        scope: `指标 ${id} 属于 ${ind.elements.agencyCode}`,
      });
  }
  return inds;
}

export const draftUsePlanHandler = defineHandler({
  def: draftUsePlan,
  agencyOf,
  async handle(ctx) {
    const { trx, region, year, payload: p, actor, now } = ctx;
    let existing = null;
    if (p.planId) {
      existing = await trx
        .selectFrom('payments.use_plan')
        .selectAll()
        .where('region_code', '=', region)
        .where('fiscal_year', '=', year)
        .where('plan_id', '=', p.planId)
        .forUpdate()
        .executeTakeFirst();
      if (existing && existing.agency_code !== p.agencyCode)
        throw new FiscusError('NOT_FOUND', { entity: '用款计划 use plan', key: p.planId });
      if (existing)
        transition(
          {
            docId: p.planId,
            state: existing.state,
            step: 0,
            route: planRoute,
            preparedBy: existing.prepared_by,
            submittedBy: existing.submitted_by,
            approvedBy: [],
          },
          { action: 'update', actor: actor.username, holds: () => false },
        );
    }
    await checkLines(
      ctx,
      p.agencyCode,
      p.lines.map((l) => l.indicatorId),
    );
    const id =
      p.planId ??
      `JH${year}${(await sql<{ n: string }>`select nextval('payments.use_plan_seq')::text as n`.execute(trx)).rows[0]!.n.padStart(6, '0')}`;
    const amount = p.lines.reduce((s, l) => s + parseYuan(l.amount), 0n);
    const values = { period: p.period, lines: JSON.stringify(p.lines), amount_fen: amount, updated_at: now };
    if (existing)
      await trx
        .updateTable('payments.use_plan')
        .set(values)
        .where('region_code', '=', region)
        .where('fiscal_year', '=', year)
        .where('plan_id', '=', id)
        .execute();
    else
      await trx
        .insertInto('payments.use_plan')
        .values({
          region_code: region,
          fiscal_year: year,
          plan_id: id,
          agency_code: p.agencyCode,
          state: 'draft',
          route: JSON.stringify(planRoute),
          prepared_by: actor.username,
          created_at: now,
          ...values,
        })
        .execute();
    ctx.changes.push({ entity: 'usePlan', key: id, before: existing?.lines ?? null, after: p.lines });
    return { planId: id, state: existing?.state ?? 'draft', amount: formatYuan(amount) };
  },
});

async function act(ctx: CommandContext<PlanRef>, action: DocAction) {
  const { trx, region, year, actor, now } = ctx;
  const plan = await lockPlan(ctx);
  const ancestry = ctx.regionPath ?? [region];
  const holds = (perm: string) => holdsPermission(actor, perm, ancestry);
  const opinion = ctx.payload.opinion ?? ctx.payload.reason;
  const t = transition(
    {
      docId: plan.plan_id,
      state: plan.state,
      step: plan.step,
      route: planRoute,
      preparedBy: plan.prepared_by,
      submittedBy: plan.submitted_by,
      approvedBy: plan.approved_by,
    },
    { action, actor: actor.username, holds, opinion },
  );
  let entryIds: string[] = [];
  if (t.effective) {
    // 用款计划批复 (scenario 11): each line's amount moves from the indicator into its plan.
    const lines = plan.lines as { indicatorId: string; amount: string }[];
    const inds = await checkLines(
      ctx,
      plan.agency_code,
      lines.map((l) => l.indicatorId),
    );
    entryIds = await postScenarios(
      ctx,
      lines.map((l) => ({
        scenario: 'usePlan' as const,
        year,
        amount: parseYuan(l.amount),
        indicator: inds.get(l.indicatorId)!.elements,
      })),
    );
  }
  await trx
    .updateTable('payments.use_plan')
    .set({
      state: t.state,
      step: t.step,
      updated_at: now,
      ...(action === 'submit' ? { submitted_by: actor.username, approved_by: [] } : {}),
      ...(action === 'approve' ? { approved_by: [...plan.approved_by, actor.username] } : {}),
      ...(t.effective ? { entry_ids: JSON.stringify(entryIds) } : {}),
    })
    .where('region_code', '=', region)
    .where('fiscal_year', '=', year)
    .where('plan_id', '=', plan.plan_id)
    .execute();
  ctx.changes.push({ entity: 'usePlan', key: plan.plan_id, before: plan.state, after: t.state });
  return { planId: plan.plan_id, state: t.state, entryIds };
}

export const usePlanHandlers = [
  draftUsePlanHandler,
  defineHandler({ def: submitUsePlan, agencyOf, handle: (ctx) => act(ctx, 'submit') }),
  defineHandler({ def: approveUsePlan, agencyOf, handle: (ctx) => act(ctx, 'approve') }),
  defineHandler({ def: returnUsePlan, agencyOf, handle: (ctx) => act(ctx, 'return') }),
  defineHandler({ def: voidUsePlan, agencyOf, handle: (ctx) => act(ctx, 'void') }),
];
