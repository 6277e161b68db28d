import { totals } from '../posting';
import { applicationPayment, type Evaluator, fenParam, violation, yuan } from './shared';

/** 100万元 in fen. */
export const largePaymentDefaults = { thresholdFen: '100000000' };

/** 大额支付: at or above the threshold a second approval is needed. Silent without payment facts. */
export const largePayment: Evaluator = (rule, ctx) => {
  const payment = applicationPayment(ctx);
  if (payment === null || payment.extraApproval) return [];
  const threshold = fenParam(rule, 'thresholdFen', largePaymentDefaults.thresholdFen);
  const amount = totals(ctx.posting.lines).debit;
  if (amount < threshold) return [];
  return [
    violation(
      rule,
      { amount: amount.toString(), thresholdFen: threshold.toString() },
      `大额支付：金额 ${yuan(amount)} 元达到 ${yuan(threshold)} 元，须经加签审批`,
      `Large payment of ${yuan(amount)} (threshold ${yuan(threshold)}) needs an extra approval`,
    ),
  ];
};
