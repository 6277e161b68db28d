import { debited, type Evaluator, indicatorLabel, spendsIndicator, stringParam, violation } from './shared';

export const periodCutoffDefaults = { cutoff: '12-31' };

/** 指标来源 上年结转. */
const CARRIED_OVER = '3';

/**
 * 年度/期间: after the cut-off of the posting's year, plans and payments draw only on carried-over
 * indicators. Dates are ISO strings, so string order is date order.
 */
export const periodCutoff: Evaluator = (rule, ctx) => {
  if (!spendsIndicator(ctx)) return [];
  const cutoff = `${ctx.posting.year}-${stringParam(rule, 'cutoff', periodCutoffDefaults.cutoff, /^\d{2}-\d{2}$/)}`;
  if (ctx.on <= cutoff) return [];
  return debited(ctx)
    .filter((d) => d.elements.sourceTypeCode !== CARRIED_OVER)
    .map((d) => {
      const label = indicatorLabel(d.elements.indicatorId);
      return violation(
        rule,
        { indicatorId: d.elements.indicatorId ?? '', on: ctx.on, cutoff },
        `${cutoff} 之后只能使用上年结转指标，指标 ${label} 不是结转指标`,
        `After ${cutoff} only carried-over indicators may be used; ${label} is not one`,
      );
    });
};
