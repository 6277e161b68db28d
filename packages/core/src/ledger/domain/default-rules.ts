import type { ControlKind, ControlRule } from './control-types';
import { largePaymentDefaults } from './controls/large-payment';
import { periodCutoffDefaults } from './controls/period-cutoff';
import { sanGongDefaults } from './controls/san-gong-level';
import { spendWithinReceiptsDefaults } from './controls/spend-within-receipts';

const rule = (
  code: string,
  kind: ControlKind,
  nameZh: string,
  nameEn: string,
  params: Record<string, unknown> = {},
): ControlRule => ({
  code,
  version: 1,
  kind,
  nameZh,
  nameEn,
  scope: { regions: null, fundTypes: null, accounts: null },
  action: 'block',
  tolerance: null,
  params,
  enabled: true,
});

/**
 * The rules seeded for a new region (DOMAIN.md §3.6): one per kind, all blocking, no tolerance.
 * A region loosens one by adding a new version (warn, tolerance, narrower scope), never by
 * editing these. Fresh objects each call so a caller may not alter the next region's seed.
 */
export function defaultControlRules(): ControlRule[] {
  return [
    rule('AVAILABLE_NON_NEGATIVE', 'availableNonNegative', '指标余额控制', 'Indicator balance control'),
    rule('EXECUTABLE_ONLY', 'executableOnly', '可执行指标控制', 'Executable indicators only'),
    rule('ELEMENTS_MATCH', 'elementsMatch', '要素一致性控制', 'Payment elements match the indicator'),
    rule(
      'SAN_GONG_LEVEL',
      'sanGongLevel',
      '"三公"经费及科目级次控制',
      'Three public expenses and code levels',
      {
        ...sanGongDefaults,
        sanGongCodes: [...sanGongDefaults.sanGongCodes],
      },
    ),
    rule('SPEND_WITHIN_RECEIPTS', 'spendWithinReceipts', '以收定支控制', 'Spending within receipts', {
      fundTypes: [...spendWithinReceiptsDefaults.fundTypes],
    }),
    rule('USE_PLAN_CEILING', 'usePlanCeiling', '用款计划控制', 'Payments within the use plan'),
    rule(
      'GOV_PROCUREMENT_CONTRACT',
      'govProcurementContract',
      '政府采购合同控制',
      'Procurement needs a contract',
    ),
    rule('SALARY_PAYROLL', 'salaryPayroll', '工资统发控制', 'Salaries to the payroll account'),
    rule(
      'DIRECT_REACH_BENEFICIARIES',
      'directReachBeneficiaries',
      '直达资金受益对象控制',
      'Direct-reach funds record beneficiaries',
    ),
    rule('LARGE_PAYMENT', 'largePayment', '大额支付控制', 'Large payment approval', {
      ...largePaymentDefaults,
    }),
    rule('PERIOD_CUTOFF', 'periodCutoff', '年度期间控制', 'Year-end cut-off', { ...periodCutoffDefaults }),
  ];
}
