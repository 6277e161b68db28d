import { applicationPayment, debited, type Evaluator, indicatorLabel, violation } from './shared';

/** 工资类: a salary indicator pays only into the 工资统发账户. Silent without payment facts. */
export const salaryPayroll: Evaluator = (rule, ctx) => {
  const payment = applicationPayment(ctx);
  if (payment === null || payment.payeeAccountKind === 'payroll') return [];
  return debited(ctx)
    .filter((d) => d.elements.flags.salary)
    .map((d) => {
      const label = indicatorLabel(d.elements.indicatorId);
      return violation(
        rule,
        { indicatorId: d.elements.indicatorId ?? '', payeeAccountKind: payment.payeeAccountKind ?? '' },
        `指标 ${label} 为工资指标，收款账户须为工资统发账户`,
        `Indicator ${label} is for salaries; the payee must be the payroll account`,
      );
    });
};
