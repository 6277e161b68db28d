import { applicationPayment, debited, type Evaluator, indicatorLabel, violation } from './shared';

/**
 * 直达资金: a direct-reach indicator must record who benefits (惠企利民). The ban on moving it to
 * 财政专户/单位实有账户 is a monitoring rule on payee accounts. Silent without payment facts.
 */
export const directReachBeneficiaries: Evaluator = (rule, ctx) => {
  const payment = applicationPayment(ctx);
  if (payment === null || payment.beneficiaryCount > 0) return [];
  return debited(ctx)
    .filter((d) => d.elements.flags.directReach)
    .map((d) => {
      const label = indicatorLabel(d.elements.indicatorId);
      return violation(
        rule,
        { indicatorId: d.elements.indicatorId ?? '', beneficiaryCount: String(payment.beneficiaryCount) },
        `指标 ${label} 为直达资金，支付须登记受益对象`,
        `Indicator ${label} is direct-reach funding; the payment must record its beneficiaries`,
      );
    });
};
