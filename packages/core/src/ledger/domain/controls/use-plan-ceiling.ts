import { debited, type Evaluator, indicatorLabel, violation } from './shared';

/**
 * 用款计划: where a region uses plans, an approved application spends the plan (2301), never the
 * indicator directly. The ceiling itself (spend ≤ plan) then follows from availableNonNegative
 * on 2301; this rule closes the path around it.
 */
export const usePlanCeiling: Evaluator = (rule, ctx) => {
  if (!ctx.settings.usePlans || ctx.scenario !== 'applicationApproved') return [];
  return debited(ctx)
    .filter((d) => d.account !== '2301')
    .map((d) => {
      const label = indicatorLabel(d.elements.indicatorId);
      return violation(
        rule,
        { account: d.account, indicatorId: d.elements.indicatorId ?? '' },
        `本地区启用用款计划，指标 ${label} 须先批复用款计划再支付（不能直接使用科目 ${d.account}）`,
        `Plans are in use: indicator ${label} must be paid from an approved plan, not account ${d.account}`,
      );
    });
};
