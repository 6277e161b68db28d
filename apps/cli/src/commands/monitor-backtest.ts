import { readFileSync } from 'node:fs';
import { errorBody, ruleActionNames, warningLevelNames } from '@fiscus/contracts';
import { isFiscusError } from '@fiscus/core';
import { type BacktestReport, backtestReportJson, backtestRule } from '@fiscus/core/monitoring/backtest';
import { type GlobalOptions, withSystem } from '../context';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function fiscalYear(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 2000 || n > 2099) throw new Error(`--year wants a fiscal year, got ${v}`);
  return n;
}

/** The rule file: one RuleDefinition as the rule editor saves it (money params as {"yuan": "…"}). */
function readRule(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

const yuan = (s: string) => `${s.padStart(16)} yuan`;

/** A readable summary of a backtest (money as yuan). */
export function backtestSummary(report: BacktestReport): string {
  const r = backtestReportJson(report);
  const out: string[] = [];
  const v = r.rule.version === 'draft' ? 'draft' : `v${r.rule.version}`;
  out.push(
    `backtest ${r.rule.code} (${v}) ${r.rule.name} — ${ruleActionNames[r.rule.action]} ${warningLevelNames[r.rule.warningLevel]}`,
  );
  out.push(`region ${r.region} ${r.year}, submitted ${r.period.from} … ${r.period.to} (nothing was written)`);
  if (!r.inScope) out.push(`the rule's scope does not cover ${r.region}: nothing was judged`);
  out.push(`scanned  ${String(r.scanned).padStart(8)} applications`);
  out.push(`hits     ${String(r.hits).padStart(8)} ${yuan(r.amount)}`);
  if (r.failures > 0)
    out.push(`failed   ${String(r.failures).padStart(8)} (could not be evaluated: grey, fail-closed)`);
  if (r.byAgency.length > 0) {
    out.push('by agency:');
    for (const a of r.byAgency)
      out.push(`  ${a.agencyCode.padEnd(12)} ${String(a.count).padStart(8)} ${yuan(a.amount)}`);
  }
  if (r.byMonth.length > 0) {
    out.push('by month:');
    for (const m of r.byMonth)
      out.push(`  ${m.month.padEnd(12)} ${String(m.count).padStart(8)} ${yuan(m.amount)}`);
  }
  if (r.byAction.length > 1 || r.byLevel.length > 1) {
    out.push(`by action: ${r.byAction.map((a) => `${a.action} ${a.count}`).join(', ')}`);
    out.push(`by level:  ${r.byLevel.map((l) => `${l.level} ${l.count}`).join(', ')}`);
  }
  out.push(
    r.overlap.length === 0
      ? 'overlap: no other rule warned on these applications'
      : `overlap (hit applications already warned by): ${r.overlap.map((o) => `${o.ruleCode} ${o.count}`).join(', ')}`,
  );
  const d = r.dispositions;
  if (d.byStatus.length > 0)
    out.push(
      `existing warnings on them: ${d.normal} normal, ${d.violation} violation, ${d.open} open, ${d.recorded} recorded` +
        ` (${d.byStatus.map((s) => `${s.status} ${s.count}`).join(', ')})`,
    );
  const s = r.sameCodeBefore;
  if (s)
    out.push(
      `stored v${s.version}: warned on ${s.inPeriod} applications of the period; ${s.applications} of the hits;` +
        ` ${s.droppedByDraft} no longer hit`,
    );
  if (r.samples.length > 0) {
    out.push(`first ${r.samples.length} hits:`);
    for (const x of r.samples)
      out.push(
        `  ${x.submittedOn} ${x.applicationId} ${x.agencyCode} ${x.amount.padStart(14)} ${x.payeeName} — ${x.message['zh-CN']}`,
      );
  }
  return `${out.join('\n')}\n`;
}

/** Refusals in both languages with the field issues (position in the condition and all). */
function explain(e: unknown): Error {
  if (!isFiscusError(e)) return e instanceof Error ? e : new Error(String(e));
  const body = errorBody(e.code, e.params, e.issues);
  const lines = [`${e.code}: ${body.message['zh-CN']} / ${body.message.en}`];
  for (const i of e.issues ?? []) lines.push(`  ${i.path}: ${i.messageZh} / ${i.message}`);
  return new Error(lines.join('\n'));
}

/**
 * `fiscus monitor backtest --rule FILE --region R --year Y --from D --to D [--json]`: replays the
 * rule in FILE over the applications submitted in the period and prints what it would have raised.
 */
export async function backtestCommand(
  g: GlobalOptions,
  file: string,
  opts: { region: string; year: string; from: string; to: string; json?: boolean; limit?: string },
): Promise<void> {
  const year = fiscalYear(opts.year);
  for (const [name, v] of [
    ['--from', opts.from],
    ['--to', opts.to],
  ] as const)
    if (!DATE.test(v)) throw new Error(`${name} wants YYYY-MM-DD, got ${v}`);
  const limit = opts.limit === undefined ? undefined : Number(opts.limit);
  const rule = readRule(file);
  await withSystem(g, async (d) => {
    let report: BacktestReport;
    try {
      report = await backtestRule(d.db, {
        region: opts.region,
        year,
        // Parsed and checked by backtestRule exactly as a save would.
        rule: rule as Parameters<typeof backtestRule>[1]['rule'],
        from: opts.from,
        to: opts.to,
        ...(limit === undefined ? {} : { limit }),
      });
    } catch (e) {
      throw explain(e);
    }
    process.stdout.write(
      opts.json ? `${JSON.stringify(backtestReportJson(report), null, 2)}\n` : backtestSummary(report),
    );
  });
}
