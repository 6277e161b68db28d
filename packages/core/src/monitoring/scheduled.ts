import { runScheduledMonitor } from '@fiscus/contracts';
import { defineHandler } from '../commands/handler';
import type { MonitorAggregates } from './domain/functions';
import { applicableRules } from './domain/rules';
import { judge } from './service';
import { loadHistory } from './store/history';
import { indicatorSubjects } from './store/indicator-subject';
import { compiledOf, loadRuleSet } from './store/rules';
import { insertWarnings, type NewWarning } from './store/warnings';

/**
 * 定时监控: the region's scheduled rules over every executable indicator of its units. A rule
 * raises at most once per indicator and month (the dedupe key), so the daily job and any manual
 * rerun do not repeat a warning the officer already has in the inbox.
 */
export const runScheduledMonitorHandler = defineHandler({
  def: runScheduledMonitor,
  async handle(ctx) {
    const set = await loadRuleSet(ctx.trx, ctx.region);
    const rules = applicableRules(set.rules, { region: ctx.region, on: ctx.on, trigger: 'scheduled' });
    if (rules.length === 0) return { rules: 0, indicators: 0, raised: 0, repeated: 0, warnings: [] };
    const prepared = rules.map((r) => compiledOf(set, r));
    const subjects = await indicatorSubjects(ctx.trx, { region: ctx.region, year: ctx.year, on: ctx.on });
    const needHistory = prepared.some((p) => p.usesHistory);
    const histories = new Map<string, MonitorAggregates>();
    const month = ctx.on.slice(0, 7);
    const found: NewWarning[] = [];
    for (const subject of subjects) {
      let aggregates = histories.get(subject.agencyCode);
      if (!aggregates) {
        aggregates = needHistory
          ? await loadHistory(ctx.trx, {
              region: ctx.region,
              year: ctx.year,
              agencyCode: subject.agencyCode,
              applicationId: '',
              payeeAccountNo: '',
              on: ctx.on,
              amountFen: 0n,
            })
          : ({} as MonitorAggregates);
        histories.set(subject.agencyCode, aggregates);
      }
      for (const finding of judge(prepared, subject, aggregates))
        found.push({
          finding,
          trigger: 'scheduled',
          applicationId: null,
          indicatorId: subject.indicator.id,
          agencyCode: subject.agencyCode,
          amountFen: subject.indicator.amountFen - subject.indicator.usedFen,
          explanation: null,
          subject,
          dedupeKey: `${finding.ruleCode}:${subject.indicator.id}:${month}`,
        });
    }
    const ids = await insertWarnings(ctx, found);
    const warnings = found.flatMap((w, i) =>
      ids[i] ? [{ warningId: ids[i], ruleCode: w.finding.ruleCode, indicatorId: w.indicatorId }] : [],
    );
    ctx.changes.push({
      entity: 'monitorWarning',
      key: 'scheduled',
      before: null,
      after: { raised: warnings.length },
    });
    return {
      rules: rules.length,
      indicators: subjects.length,
      raised: warnings.length,
      repeated: found.length - warnings.length,
      warnings,
    };
  },
});
