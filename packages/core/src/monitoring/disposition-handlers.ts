import { disposeWarning, escalateWarnings, respondWarning } from '@fiscus/contracts';
import { sql } from 'kysely';
import { type CommandContext, defineHandler } from '../commands/handler';
import { FiscusError } from '../kernel/errors';
import {
  type DispositionAction,
  dispositionStep,
  escalationLevel,
  overdue,
  type WarningSnapshot,
  type WarningStatus,
  warningStatusNames,
} from './domain/disposition';
import { addWarningEvent, lockWarning } from './store/warnings';

type Row = NonNullable<Awaited<ReturnType<typeof lockWarning>>>;

const snapshotOf = (w: Row): WarningSnapshot => ({
  warningId: w.warning_id,
  status: w.status as WarningStatus,
  identifiedBy: w.identified_by,
  feedbackBy: w.feedback_by,
  rectifiedBy: w.rectified_by,
  deadline: w.deadline,
});

/** 问询单号: one per warning, derived from its id so that reissuing after a send-back keeps it. */
const inquiryNoOf = (warningId: string) => `WX${warningId.slice(2)}`;

async function step(
  ctx: CommandContext<unknown>,
  w: Row,
  input: {
    action: DispositionAction;
    opinion?: string | undefined;
    deadline?: string | undefined;
    attachments?: readonly { name: string; sha256: string }[];
  },
) {
  const before = snapshotOf(w);
  const next = dispositionStep(before, {
    action: input.action,
    actor: ctx.actor.username,
    on: ctx.on,
    ...(input.opinion === undefined ? {} : { opinion: input.opinion }),
    ...(input.deadline === undefined ? {} : { deadline: input.deadline }),
    ...(input.attachments === undefined ? {} : { attachments: input.attachments }),
  });
  const inquiryNo = input.action === 'issueInquiry' ? inquiryNoOf(w.warning_id) : w.inquiry_no;
  await ctx.trx
    .updateTable('monitor.warning')
    .set({
      status: next.status,
      deadline: next.deadline,
      inquiry_no: inquiryNo,
      closed_on: next.closed ? ctx.on : null,
      // A new deadline starts the 督办 clock again; a confirmed violation stays one for the statistics.
      ...(next.deadline !== w.deadline ? { escalation: 0 } : {}),
      ...(input.action === 'confirmViolation' ? { violation: true } : {}),
      ...(next.sets.identifiedBy === undefined ? {} : { identified_by: next.sets.identifiedBy }),
      ...(next.sets.feedbackBy === undefined ? {} : { feedback_by: next.sets.feedbackBy }),
      ...(next.sets.rectifiedBy === undefined ? {} : { rectified_by: next.sets.rectifiedBy }),
    })
    .where('region_code', '=', ctx.region)
    .where('fiscal_year', '=', ctx.year)
    .where('warning_id', '=', w.warning_id)
    .execute();
  await addWarningEvent(
    ctx,
    w.warning_id,
    input.action,
    w.status,
    next.status,
    input.opinion,
    input.attachments ?? [],
  );
  ctx.changes.push({
    entity: 'monitorWarning',
    key: w.warning_id,
    before: { status: w.status, deadline: w.deadline },
    after: { status: next.status, deadline: next.deadline },
  });
  return {
    warningId: w.warning_id,
    status: next.status,
    statusName: warningStatusNames[next.status],
    deadline: next.deadline,
    closed: next.closed,
    inquiryNo,
  };
}

async function found(ctx: CommandContext<unknown>, id: string): Promise<Row> {
  const w = await lockWarning(ctx.trx, ctx.region, ctx.year, id);
  if (!w) throw new FiscusError('NOT_FOUND', { entity: '预警 warning', key: id });
  return w;
}

/** 监控岗处置: 认定, 问询, 核实, 认定违规, 审核整改 — the legal moves and their SoD live in the domain. */
export const disposeWarningHandler = defineHandler({
  def: disposeWarning,
  async handle(ctx) {
    const p = ctx.payload;
    return step(ctx, await found(ctx, p.warningId), p);
  },
});

/**
 * 单位答复: a unit answers only its own warnings; another unit's is "not found" (its existence is
 * not disclosed), and an agency-scoped grant is checked against `agencyCode` by the pipeline.
 */
export const respondWarningHandler = defineHandler({
  def: respondWarning,
  agencyOf: (p) => p.agencyCode,
  async handle(ctx) {
    const p = ctx.payload;
    const w = await found(ctx, p.warningId);
    if (w.agency_code !== p.agencyCode)
      throw new FiscusError('NOT_FOUND', { entity: '预警 warning', key: p.warningId });
    return step(ctx, w, { ...p, action: p.action });
  },
});

/**
 * 督办: every open warning the unit is late on (问询 or 整改 past its deadline) rises to the
 * escalation level its lateness reaches; a level is raised once, so a rerun on the same day does
 * nothing, and a warning never drops back by this job.
 */
export const escalateWarningsHandler = defineHandler({
  def: escalateWarnings,
  async handle(ctx) {
    const rows = await ctx.trx
      .selectFrom('monitor.warning')
      .selectAll()
      .where('region_code', '=', ctx.region)
      .where('fiscal_year', '=', ctx.year)
      .where('status', 'in', ['inquiryIssued', 'rectifying'])
      .where('deadline', '<', ctx.on)
      .orderBy('warning_id')
      .forUpdate()
      .execute();
    const escalated: { warningId: string; agencyCode: string; level: number; deadline: string }[] = [];
    for (const w of rows) {
      const snap = snapshotOf(w);
      if (!overdue(snap, ctx.on) || snap.deadline === null) continue;
      const level = escalationLevel(snap.deadline, ctx.on);
      if (level <= w.escalation) continue;
      await sql`update monitor.warning set escalation = ${level}
        where region_code = ${ctx.region} and fiscal_year = ${ctx.year} and warning_id = ${w.warning_id}`.execute(
        ctx.trx,
      );
      await addWarningEvent(
        ctx,
        w.warning_id,
        'escalate',
        w.status,
        w.status,
        `督办 ${level} 级：逾期 ${snap.deadline} escalation level ${level}: overdue since ${snap.deadline}`,
        [],
      );
      escalated.push({ warningId: w.warning_id, agencyCode: w.agency_code, level, deadline: snap.deadline });
    }
    ctx.changes.push({
      entity: 'monitorWarning',
      key: 'escalation',
      before: null,
      after: { escalated: escalated.length },
    });
    return { escalated };
  },
});

export const dispositionHandlers = [disposeWarningHandler, respondWarningHandler, escalateWarningsHandler];
