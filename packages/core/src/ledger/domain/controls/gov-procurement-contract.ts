import { applicationPayment, debited, type Evaluator, indicatorLabel, violation } from './shared';

/**
 * 政府采购: an indicator flagged 政采 is paid only against a contract. (The contract balance is
 * the procurement module's encumbrance, not a ledger fact.) Silent without payment facts.
 */
export const govProcurementContract: Evaluator = (rule, ctx) => {
  const payment = applicationPayment(ctx);
  if (payment === null || (payment.contractNo ?? '').trim() !== '') return [];
  return debited(ctx)
    .filter((d) => d.elements.flags.govProcurement)
    .map((d) => {
      const label = indicatorLabel(d.elements.indicatorId);
      return violation(
        rule,
        { indicatorId: d.elements.indicatorId ?? '' },
        `指标 ${label} 为政府采购指标，支付须填写采购合同号`,
        `Indicator ${label} is for government procurement; the payment needs a contract number`,
      );
    });
};
