import { amount, date, defineLayout, type FieldValues, required, text } from './layout';
import { COMMON, HOLD } from './layout-fields';

/**
 * Clearing, correction, daily-report and reconciliation vouchers (DOMAIN.md §4.5–§4.8). Field
 * names are the §4.6 elements [C]; where §4.6 is silent we add what matching needs and say so
 * ([R]: OriVtCode, PayVoucherNo on details, ReportDate, the correction's Ori* coding). Amounts may
 * be zero or negative on quota notices and clearing (corrections and refunds).
 */

const VOUCHER_NO = { pattern: /^[A-Za-z0-9-]{1,42}$/ } as const;
const COUNT = { pattern: /^\d{1,9}$/ } as const;

/** The coding a clearing amount is broken down by: 一级单位 × 功能科目 × 收支管理 (+ extended). */
const CODING = [
  text('SupDepCode'),
  text('SupDepName'),
  text('ExpFuncCode'),
  text('ExpFuncName'),
  text('ExpFuncCode1'),
  text('ExpFuncCode2'),
  text('ExpFuncCode3'),
  text('ProCatCode'),
  text('ProCatName'),
  text('AgencyCode'),
  text('ExpEcoCode'),
  text('DepProCode'),
  text('FundTypeCode'),
] as const;

/** 5108 直接支付 / 5106 授权支付 (汇总) 清算额度通知单 header, §4.6 [C]. */
export const QUOTA_HEADER = [
  ...COMMON,
  text('TreCode'),
  text('FinOrgCode'),
  required(amount('PayAmt')),
  text('SetMonth', { pattern: /^(0[1-9]|1[0-2])$/ }),
  text('DeptNum', COUNT),
  text('FundTypeCode'),
  text('FundTypeName'),
  text('PayTypeCode'),
  text('PayTypeName'),
  text('ClearBankCode'),
  text('ClearBankName'),
  text('PayBankCode'),
  text('PayBankName'),
  text('PayBankNo'),
  text('ClearVoucherNo'),
  text('PayVoucherNo'),
  text('Remark'),
  text('XCheckResult'),
  text('XAddWord'),
  ...HOLD,
] as const;

/** Detail: one coding line; PayVoucherNo/OriVtCode name the payment or correction voucher it covers [R]. */
export const QUOTA_DETAIL = [
  required(text('Id', { maxLength: 64 })),
  ...CODING,
  text('AgencyAccoCode'),
  text('PayVoucherNo', VOUCHER_NO),
  text('OriVtCode', { pattern: /^\d{4}$/ }),
  required(amount('PlanAmt')),
] as const;

const QUOTA_SUM = [{ header: 'PayAmt', detail: 'PlanAmt' }] as const;

export const DIRECT_QUOTA_5108 = defineLayout({
  vtCode: '5108',
  name: '直接支付(汇总)清算额度通知单',
  header: QUOTA_HEADER,
  detail: QUOTA_DETAIL,
  minDetails: 0,
  sums: QUOTA_SUM,
});
export const AUTHORIZED_QUOTA_5106 = defineLayout({
  ...DIRECT_QUOTA_5108,
  vtCode: '5106',
  name: '授权支付(汇总)清算额度通知单',
});

/** 2301 申请划款凭证 / 2302 申请退款凭证 header, §4.6 [C]; the PBOC's 回单 fills the X fields. */
export const CLEARING_HEADER = [
  ...COMMON,
  text('TreCode'),
  text('FinOrgCode'),
  text('BgtTypeCode'),
  text('BgtTypeName'),
  text('FundTypeCode'),
  text('FundTypeName'),
  text('PayTypeCode'),
  text('PayTypeName'),
  text('AgentAcctNo'),
  text('AgentAcctName'),
  text('AgentAcctBankName'),
  text('ClearAcctNo'),
  text('ClearAcctName'),
  text('ClearAcctBankName'),
  required(amount('PayAmt')),
  text('PayBankName'),
  text('PayBankNo'),
  text('Remark'),
  text('MoneyCorpCode'),
  text('PayDictateNo'),
  text('PayMsgNo'),
  date('PayEntrustDate'),
  text('TKLX'),
  text('XPaySndBnkNo'),
  text('XAddWord'),
  date('XClearDate'),
  amount('XPayAmt'),
  ...HOLD,
] as const;

/** Detail: the original payment voucher (VoucherNo, OriVtCode [R]) and its coding. */
export const CLEARING_DETAIL = [
  required(text('Id', { maxLength: 64 })),
  required(text('VoucherNo', VOUCHER_NO)),
  text('OriVtCode', { pattern: /^\d{4}$/ }),
  text('SupDepCode'),
  text('SupDepName'),
  text('ExpFuncCode'),
  text('ExpFuncName'),
  text('AgencyCode'),
  required(amount('PayAmt')),
  text('PaySummaryName'),
] as const;

const PAY_SUM = [{ header: 'PayAmt', detail: 'PayAmt' }] as const;

export const CLEARING_REQUEST_2301 = defineLayout({
  vtCode: '2301',
  name: '申请划款凭证',
  header: CLEARING_HEADER,
  detail: CLEARING_DETAIL,
  minDetails: 1,
  sums: PAY_SUM,
});
export const REFUND_CLEARING_2302 = defineLayout({
  ...CLEARING_REQUEST_2301,
  vtCode: '2302',
  name: '申请退款凭证',
});

/** 2206 直接支付日报表, §4.6 [C]: the agent bank's report of one day's paid vouchers. */
export const DAILY_REPORT_HEADER = [
  ...COMMON,
  required(date('ReportDate')),
  required(amount('PayAmt')),
  amount('PosAmt'),
  amount('NegAmt'),
  text('FundTypeCode'),
  text('PayTypeCode'),
  text('PayBankCode'),
  text('PayBankName'),
  ...HOLD,
] as const;
export const DAILY_REPORT_DETAIL = [
  required(text('Id', { maxLength: 64 })),
  required(text('VoucherNo', VOUCHER_NO)),
  text('OriVtCode', { pattern: /^\d{4}$/ }),
  text('SupDepCode'),
  text('AgencyCode'),
  text('ExpFuncCode'),
  // Per line [R]: one 2206 covers both pay types and every fund type of the bank's day.
  text('FundTypeCode'),
  text('PayTypeCode'),
  text('PayBankCode'),
  text('PayeeAcctNo'),
  text('PayeeAcctName'),
  text('PayAcctNo'),
  date('PayDate'),
  text('PaySummaryName'),
  required(amount('PayAmt')),
] as const;
export const DAILY_REPORT_2206 = defineLayout({
  vtCode: '2206',
  name: '直接支付日报表',
  header: DAILY_REPORT_HEADER,
  detail: DAILY_REPORT_DETAIL,
  minDetails: 0,
  sums: PAY_SUM,
});

/** 3410 支出日报 (人行 → 财政), per coding line: what the treasury paid out that day [R: detail]. */
export const EXPENDITURE_DAILY_3410 = defineLayout({
  vtCode: '3410',
  name: '支出日报',
  header: [...COMMON, text('TreCode'), required(date('ReportDate')), required(amount('PayAmt')), ...HOLD],
  detail: [
    required(text('Id', { maxLength: 64 })),
    text('SupDepCode'),
    text('ExpFuncCode'),
    text('FundTypeCode'),
    text('PayTypeCode'),
    text('PayBankCode'),
    required(amount('PayAmt')),
  ],
  minDetails: 0,
  sums: PAY_SUM,
});

/**
 * 5253 财政直接支付调整凭证 / 5351 授权支付调整书 [C + R fields]: re-code a paid voucher (单位, 科目,
 * 项目) without moving money. The header names the original voucher; each detail carries the old
 * coding (Ori*) and the new, and the amount moved between them.
 */
export const CORRECTION_HEADER = [
  ...COMMON,
  required(text('OriVoucherNo', VOUCHER_NO)),
  required(text('OriVtCode', { pattern: /^\d{4}$/ })),
  text('AgencyCode'),
  text('AgencyName'),
  text('PayBankCode'),
  required(amount('PayAmt')),
  text('Remark'),
  text('XAddWord'),
  ...HOLD,
] as const;
export const CORRECTION_DETAIL = [
  required(text('Id', { maxLength: 64 })),
  text('OriAgencyCode'),
  text('OriExpFuncCode'),
  text('OriExpEcoCode'),
  text('OriDepProCode'),
  text('AgencyCode'),
  text('SupDepCode'),
  text('ExpFuncCode'),
  text('ExpEcoCode'),
  text('DepProCode'),
  required(amount('PayAmt')),
] as const;
export const DIRECT_CORRECTION_5253 = defineLayout({
  vtCode: '5253',
  name: '财政直接支付调整凭证',
  header: CORRECTION_HEADER,
  detail: CORRECTION_DETAIL,
  minDetails: 1,
  sums: PAY_SUM,
});
export const AUTHORIZED_CORRECTION_5351 = defineLayout({
  ...DIRECT_CORRECTION_5253,
  vtCode: '5351',
  name: '授权支付调整书',
});

/** 3501 人行与财政 / 3502 人行与代理银行 凭证对账, §4.6 [C]: one party's voucher list for a day. */
export const VOUCHER_CHECK_HEADER = [
  ...COMMON,
  text('TreCode'),
  text('ClearBankCode'),
  text('PayBankCode'),
  required(date('CheckDate')),
  required(text('EVoucherType', { pattern: /^\d{4}$/ })),
  required(text('AllNum', COUNT)),
  required(amount('AllAmt')),
  text('XCheckResult'),
  text('XCheckReason'),
  ...HOLD,
] as const;
export const VOUCHER_CHECK_DETAIL = [
  required(text('Id', { maxLength: 64 })),
  required(text('VoucherNo', VOUCHER_NO)),
  required(amount('Amt')),
  /** 0 正常, 1 退回 */
  text('ProState', { pattern: /^[01]$/ }),
  text('XCheckResult'),
  text('XCheckReason'),
] as const;
const CHECK_SUM = [{ header: 'AllAmt', detail: 'Amt' }] as const;
export const VOUCHER_CHECK_3501 = defineLayout({
  vtCode: '3501',
  name: '人民银行与财政凭证对账',
  header: VOUCHER_CHECK_HEADER,
  detail: VOUCHER_CHECK_DETAIL,
  minDetails: 0,
  sums: CHECK_SUM,
});
export const VOUCHER_CHECK_3502 = defineLayout({
  ...VOUCHER_CHECK_3501,
  vtCode: '3502',
  name: '人民银行与代理银行凭证对账',
});

/** 3504 清算信息对账, §4.6 [C]: cleared amounts per coding line for a period. */
export const CLEARING_CHECK_3504 = defineLayout({
  vtCode: '3504',
  name: '清算信息对账',
  header: [
    ...COMMON,
    text('TreCode'),
    text('VoucherCheckNo'),
    text('ChildPackNum', COUNT),
    text('CurPackNo', COUNT),
    text('ClearAccNo'),
    required(date('BeginDate')),
    required(date('EndDate')),
    required(amount('AllAmt')),
    text('XCheckResult'),
    text('XCheckReason'),
    ...HOLD,
  ],
  detail: [
    required(text('Id', { maxLength: 64 })),
    text('SupDepCode'),
    text('FundTypeCode'),
    text('PayBankCode'),
    text('ExpFuncCode'),
    text('ProCatCode'),
    text('PayTypeCode'),
    required(amount('ClearAmt')),
    amount('PayAmt'),
  ],
  minDetails: 0,
  sums: [{ header: 'AllAmt', detail: 'ClearAmt' }],
});

/**
 * 3513 库款账户对账 [C name, R fields]: one account's movement over a period — the PBOC's for the
 * treasury single account, the agent bank's for each zero-balance account (which must close at 0).
 */
export const ACCOUNT_STATEMENT_3513 = defineLayout({
  vtCode: '3513',
  name: '库款账户对账',
  header: [
    ...COMMON,
    required(text('AcctNo')),
    text('AcctName'),
    text('AcctKind'),
    text('BankCode'),
    required(date('BeginDate')),
    required(date('EndDate')),
    required(amount('OpenAmt')),
    required(amount('DebitAmt')),
    required(amount('CreditAmt')),
    required(amount('CloseAmt')),
    ...HOLD,
  ],
  detail: [],
  minDetails: 0,
  sums: [],
});

export const CLEARING_LAYOUTS = [
  ACCOUNT_STATEMENT_3513,
  DIRECT_QUOTA_5108,
  AUTHORIZED_QUOTA_5106,
  CLEARING_REQUEST_2301,
  REFUND_CLEARING_2302,
  DAILY_REPORT_2206,
  EXPENDITURE_DAILY_3410,
  DIRECT_CORRECTION_5253,
  AUTHORIZED_CORRECTION_5351,
  VOUCHER_CHECK_3501,
  VOUCHER_CHECK_3502,
  CLEARING_CHECK_3504,
] as const;

export type QuotaHeader = FieldValues<typeof QUOTA_HEADER>;
export type QuotaDetail = FieldValues<typeof QUOTA_DETAIL>;
export type ClearingHeader = FieldValues<typeof CLEARING_HEADER>;
export type ClearingDetail = FieldValues<typeof CLEARING_DETAIL>;
export type DailyReportHeader = FieldValues<typeof DAILY_REPORT_HEADER>;
export type DailyReportDetail = FieldValues<typeof DAILY_REPORT_DETAIL>;
export type CorrectionHeader = FieldValues<typeof CORRECTION_HEADER>;
export type CorrectionDetail = FieldValues<typeof CORRECTION_DETAIL>;
export type VoucherCheckHeader = FieldValues<typeof VOUCHER_CHECK_HEADER>;
export type VoucherCheckDetail = FieldValues<typeof VOUCHER_CHECK_DETAIL>;
