import { amount, date, defineLayout, type FieldValues, layoutRegistry, required, text } from './layout';
import { COMMON, HOLD } from './layout-fields';
import { CLEARING_LAYOUTS } from './layouts-clearing';

/**
 * The standard layouts: 5201 and 8202 from DOMAIN.md §4.6 [C]; 8202 reuses the 5201 element set and
 * 5207 is a reconstruction [R] from the elements §4.6 gives for neighbouring types. Regions extend
 * them with `extendLayout`. Within a layout the order is: the elements every voucher has, the
 * type's own, the receipt X-fields, then the spare Hold1..Hold4.
 */

const PAYEE = [
  required(text('PayeeAcctNo')),
  required(text('PayeeAcctName')),
  text('PayeeAcctBankName'),
  text('PayeeAcctBankNo'),
] as const;

const PAYER = [required(text('PayAcctNo')), required(text('PayAcctName')), text('PayAcctBankName')] as const;

/** 5201 / 8202 header, §4.6. */
export const PAYMENT_HEADER = [
  ...COMMON,
  text('FundTypeCode'),
  text('FundTypeName'),
  text('BgtTypeCode'),
  text('BgtTypeName'),
  text('PayTypeCode'),
  text('PayTypeName'),
  text('ProCatCode'),
  text('ProCatName'),
  text('MOFDepCode'),
  text('MOFDepName'),
  text('FileNoCode'),
  text('FileNoName'),
  text('SupDepCode'),
  text('SupDepName'),
  required(text('AgencyCode')),
  text('AgencyName'),
  text('ExpFuncCode'),
  text('ExpFuncName'),
  text('ExpFuncCode1'),
  text('ExpFuncCode2'),
  text('ExpFuncCode3'),
  text('ExpEcoCode'),
  text('ExpEcoName'),
  text('ExpEcoCode1'),
  text('ExpEcoCode2'),
  text('DepProCode'),
  text('DepProName'),
  text('SetModeCode'),
  text('SetModeName'),
  text('PayBankCode'),
  text('PayBankName'),
  text('ClearBankCode'),
  text('ClearBankName'),
  ...PAYEE,
  ...PAYER,
  text('PaySummaryCode'),
  text('PaySummaryName'),
  required(amount('PayAmt')),
  text('BusinessTypeCode'),
  text('BusinessTypeName'),
  text('CheckNo'),
  date('XPayDate'),
  text('XAgentBusinessNo'),
  text('XCheckNo'),
  amount('XPayAmt'),
  text('XPayeeAcctBankName'),
  text('XPayeeAcctNo'),
  text('XPayeeAcctName'),
  ...HOLD,
] as const;

/** 5201 / 8202 detail, §4.6: the header's coding elements [R: which ones], payee, amount. */
export const PAYMENT_DETAIL = [
  required(text('Id', { maxLength: 64 })),
  text('VoucherBillId'),
  text('VoucherBillNo'),
  text('VoucherNo'),
  text('FundTypeCode'),
  text('FundTypeName'),
  text('ProCatCode'),
  text('ProCatName'),
  text('SupDepCode'),
  text('SupDepName'),
  text('AgencyCode'),
  text('AgencyName'),
  text('ExpFuncCode'),
  text('ExpFuncName'),
  text('ExpEcoCode'),
  text('ExpEcoName'),
  text('DepProCode'),
  text('DepProName'),
  text('PayeeAcctNo'),
  text('PayeeAcctName'),
  text('PayeeAcctBankName'),
  text('PayeeAcctBankNo'),
  required(amount('PayAmt')),
  text('Remark'),
  date('XPayDate'),
  amount('XPayAmt'),
  text('XAgentBusinessNo'),
  text('XAddWord'),
] as const;

/** 5207 实拨拨款凭证 header [R]: finance → PBOC, paid from the treasury single account. */
export const ALLOCATION_HEADER = [
  ...COMMON,
  text('TreCode'),
  text('FinOrgCode'),
  text('FundTypeCode'),
  text('FundTypeName'),
  text('BgtTypeCode'),
  text('BgtTypeName'),
  text('SupDepCode'),
  text('SupDepName'),
  text('AgencyCode'),
  text('AgencyName'),
  text('ExpFuncCode'),
  text('ExpFuncName'),
  ...PAYER,
  ...PAYEE,
  text('PaySummaryCode'),
  text('PaySummaryName'),
  required(amount('PayAmt')),
  text('Remark'),
  date('XPayDate'),
  amount('XPayAmt'),
  text('XAgentBusinessNo'),
  text('XAddWord'),
  ...HOLD,
] as const;

/** 5207 detail [R]. */
export const ALLOCATION_DETAIL = [
  required(text('Id', { maxLength: 64 })),
  text('SupDepCode'),
  text('SupDepName'),
  text('AgencyCode'),
  text('AgencyName'),
  text('ExpFuncCode'),
  text('ExpFuncName'),
  text('ExpEcoCode'),
  text('ExpEcoName'),
  required(amount('PayAmt')),
  text('Remark'),
] as const;

export type PaymentVoucherHeader = FieldValues<typeof PAYMENT_HEADER>;
export type PaymentVoucherDetail = FieldValues<typeof PAYMENT_DETAIL>;
export type AllocationVoucherHeader = FieldValues<typeof ALLOCATION_HEADER>;
export type AllocationVoucherDetail = FieldValues<typeof ALLOCATION_DETAIL>;

const PAY_SUM = [{ header: 'PayAmt', detail: 'PayAmt' }] as const;

export const DIRECT_PAYMENT_5201 = defineLayout({
  vtCode: '5201',
  name: '财政直接支付凭证',
  header: PAYMENT_HEADER,
  detail: PAYMENT_DETAIL,
  minDetails: 1,
  sums: PAY_SUM,
});

export const AUTHORIZED_PAYMENT_8202 = defineLayout({
  ...DIRECT_PAYMENT_5201,
  vtCode: '8202',
  name: '财政授权支付凭证',
});

export const ALLOCATION_5207 = defineLayout({
  vtCode: '5207',
  name: '实拨拨款凭证',
  header: ALLOCATION_HEADER,
  detail: ALLOCATION_DETAIL,
  minDetails: 0,
  sums: PAY_SUM,
});

/**
 * 2203 财政直接支付退款通知书, §4.6 [C]: the agent bank tells finance that a paid voucher's money came
 * back (收款行退票). OriBillNo names the original voucher; OriVtCode (which type it was) is our
 * extension [R], since 2203 also serves 8202 refunds here.
 */
export const REFUND_HEADER = [
  ...COMMON,
  text('PayBankCode'),
  text('PayBankName'),
  required(text('AgentBusinessNo')),
  required(text('OriBillNo', { pattern: /^[A-Za-z0-9-]{1,42}$/ })),
  required(text('OriVtCode', { pattern: /^\d{4}$/ })),
  text('RefundType'),
  text('PayAcctNo'),
  text('PayAcctName'),
  text('PayAcctBankName'),
  text('PayeeAcctNo'),
  text('PayeeAcctName'),
  text('PayeeAcctBankName'),
  required(amount('PayAmt')),
  required(date('PayDate')),
  text('Remark'),
  ...HOLD,
] as const;

export const REFUND_DETAIL = [
  required(text('Id', { maxLength: 64 })),
  text('VoucherBillId'),
  text('PayeeAcctBankNo'),
  required(amount('PayAmt')),
  text('Remark'),
] as const;

export const REFUND_NOTICE_2203 = defineLayout({
  vtCode: '2203',
  name: '财政直接支付退款通知书',
  header: REFUND_HEADER,
  detail: REFUND_DETAIL,
  minDetails: 0,
  sums: PAY_SUM,
});

/** 2252 收款银行退款通知 [R fields]: the payee bank returned the money; read as a 2203. */
export const REFUND_NOTICE_2252 = defineLayout({
  vtCode: '2252',
  name: '收款银行退款通知',
  header: REFUND_HEADER,
  detail: REFUND_DETAIL,
  minDetails: 0,
  sums: PAY_SUM,
});

export const STANDARD_LAYOUTS = layoutRegistry([
  DIRECT_PAYMENT_5201,
  AUTHORIZED_PAYMENT_8202,
  ALLOCATION_5207,
  REFUND_NOTICE_2203,
  REFUND_NOTICE_2252,
  ...CLEARING_LAYOUTS,
]);
