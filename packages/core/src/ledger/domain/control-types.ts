import type { LedgerAccount } from './chart';
import type { Elements } from './elements';
import type { Posting } from './posting';
import type { Scenario } from './scenarios';

/** Which evaluator a rule uses. Rules are data: the same kind can be configured many times. */
export type ControlKind =
  | 'availableNonNegative'
  | 'executableOnly'
  | 'elementsMatch'
  | 'sanGongLevel'
  | 'spendWithinReceipts'
  | 'usePlanCeiling'
  | 'govProcurementContract'
  | 'salaryPayroll'
  | 'directReachBeneficiaries'
  | 'largePayment'
  | 'periodCutoff';

export interface ControlScope {
  /** Region codes; a rule applies in each and in its subtree. null = everywhere. */
  regions: string[] | null;
  /** 资金性质 codes (prefix match: '11' covers 111 and 112). null = all. */
  fundTypes: string[] | null;
  /** Account codes the rule watches (availableNonNegative). null = the kind's default. */
  accounts: string[] | null;
}

export interface Tolerance {
  kind: 'percent' | 'absolute';
  /** Percent as a decimal string ("5" = 5 %); absolute as fen in a decimal string. */
  value: string;
}

/** 控制规则, one version of it. Every edit is a new version; a violation names the version. */
export interface ControlRule {
  code: string;
  version: number;
  kind: ControlKind;
  nameZh: string;
  nameEn: string;
  scope: ControlScope;
  action: 'block' | 'warn';
  tolerance: Tolerance | null;
  params: Record<string, unknown>;
  enabled: boolean;
}

/** What a payment-type posting (usePlan, applicationApproved, bankPaid …) knows about the payment. */
export interface PaymentFacts {
  /** Elements the payment is coded with (单位, 项目, 功能, 经济, 资金性质, 支付方式). */
  elements: Elements;
  contractNo: string | null;
  /** Kind of the payee account: 'payroll' for 工资统发账户, else 'other'. */
  payeeAccountKind: 'payroll' | 'other' | null;
  beneficiaryCount: number;
  /** A second approval for large payments was given. */
  extraApproval: boolean;
}

export interface ControlContext {
  /** The region of the posting, root first. */
  regionAncestry: readonly string[];
  /** Business date YYYY-MM-DD. */
  on: string;
  scenario: Scenario | 'reversal';
  posting: Posting;
  accounts: ReadonlyMap<string, LedgerAccount>;
  /** Normal-side balance before and after the posting, by account and element key. */
  before(account: string, key: string): bigint;
  after(account: string, key: string): bigint;
  /** Payment facts for payment scenarios; null otherwise. */
  payment: PaymentFacts | null;
  /** 以收定支: receipts credited so far and spending so far (in-flight + paid) for a fund type and agency. */
  receipts(fundTypeCode: string, agencyCode: string | null): bigint;
  spent(fundTypeCode: string, agencyCode: string | null): bigint;
  /** Region settings, e.g. { usePlans: true }. */
  settings: { usePlans: boolean };
}

/** One rule that stopped or warned about a posting. */
export interface Violation {
  rule: string;
  version: number;
  kind: ControlKind;
  action: 'block' | 'warn';
  /** Stable facts for the message, e.g. { account: '2101', balance: '-100' }. */
  params: Record<string, string>;
  message: { 'zh-CN': string; en: string };
}
