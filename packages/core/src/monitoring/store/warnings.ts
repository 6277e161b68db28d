import { type Kysely, sql } from 'kysely';
import type { CommandContext } from '../../commands/handler';
import type { DB } from '../../platform/db/schema';
import type { Finding } from '../domain/evaluate';
import type { RuleTrigger } from '../domain/rules';

export interface NewWarning {
  finding: Finding;
  trigger: RuleTrigger;
  applicationId: string | null;
  indicatorId: string | null;
  agencyCode: string;
  amountFen: bigint;
  explanation: string | null;
  subject: unknown;
  dedupeKey?: string;
}

/** JSON of a subject with bigint fen as strings (jsonb has no bigint). */
export function subjectJson(s: unknown): string {
  return JSON.stringify(s, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

/**
 * Stores warnings with their first trail line (规则命中). 记录 findings are kept as `recorded`
 * (they close without human action: the 蓝色 "非人工干预" category); everything else waits for
 * 认定. Returns the ids in the order given; a scheduled warning already raised today (same
 * dedupe key) is skipped and gets no id.
 */
export async function insertWarnings(
  ctx: CommandContext<unknown>,
  ws: readonly NewWarning[],
): Promise<(string | null)[]> {
  if (ws.length === 0) return [];
  const ids = await sql<{ n: string }>`select nextval('monitor.warning_seq')::text as n
    from generate_series(1, ${ws.length})`.execute(ctx.trx);
  const out: (string | null)[] = [];
  for (const [i, w] of ws.entries()) {
    const id = `YJ${ctx.year}${ids.rows[i]!.n.padStart(8, '0')}`;
    const status = w.finding.action === 'record' ? 'recorded' : 'pending';
    const inserted = await ctx.trx
      .insertInto('monitor.warning')
      .values({
        region_code: ctx.region,
        fiscal_year: ctx.year,
        warning_id: id,
        rule_code: w.finding.ruleCode,
        rule_version: w.finding.version,
        level: w.finding.level,
        action: w.finding.action,
        trigger: w.trigger,
        application_id: w.applicationId,
        indicator_id: w.indicatorId,
        agency_code: w.agencyCode,
        amount_fen: w.amountFen,
        message: JSON.stringify(w.finding.message),
        explanation: w.explanation,
        subject: subjectJson(w.subject),
        status,
        inquiry_no: null,
        deadline: null,
        identified_by: null,
        feedback_by: null,
        rectified_by: null,
        raised_on: ctx.on,
        raised_at: ctx.now,
        closed_on: status === 'recorded' ? ctx.on : null,
        dedupe_key: w.dedupeKey ?? null,
      })
      .onConflict((oc) => oc.columns(['region_code', 'fiscal_year', 'dedupe_key']).doNothing())
      .returning('warning_id')
      .executeTakeFirst();
    if (!inserted) {
      out.push(null);
      continue;
    }
    await addWarningEvent(ctx, id, 'raise', null, status, w.explanation, []);
    out.push(id);
  }
  return out;
}

/** One line of a warning's trail, numbered after the last. */
export async function addWarningEvent(
  ctx: CommandContext<unknown>,
  warningId: string,
  action: string,
  from: string | null,
  to: string,
  opinion: string | null | undefined,
  attachments: readonly unknown[],
): Promise<void> {
  await sql`insert into monitor.warning_event (region_code, fiscal_year, warning_id, seq, action, actor,
      from_status, to_status, opinion, attachments, on_date, at)
    select ${ctx.region}, ${ctx.year}, ${warningId}, coalesce(max(seq), 0) + 1, ${action}, ${ctx.actor.username},
      ${from}, ${to}, ${opinion ?? null}, ${JSON.stringify(attachments)}::jsonb, ${ctx.on}::date, ${ctx.now}
    from monitor.warning_event
    where region_code = ${ctx.region} and fiscal_year = ${ctx.year} and warning_id = ${warningId}`.execute(
    ctx.trx,
  );
}

export async function lockWarning(db: Kysely<DB>, region: string, year: number, id: string) {
  return db
    .selectFrom('monitor.warning')
    .selectAll()
    .where('region_code', '=', region)
    .where('fiscal_year', '=', year)
    .where('warning_id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}
