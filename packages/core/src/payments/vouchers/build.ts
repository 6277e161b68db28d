import type { FieldValue } from '../../exchange/voucher/layout';
import type { Voucher, VoucherFields } from '../../exchange/voucher/model';
import type { Elements } from '../../ledger/domain/elements';

/**
 * The payment voucher of an approved application (DOMAIN.md §4.6, §4.7 A/B/E), pure:
 * 直接支付 → 5201 paid from the region's 财政零余额账户, 授权支付 → 8202 from the agency's
 * 单位零余额账户, 实拨 → 5207 from the 国库单一账户. One application is one detail row.
 */

export type PayType = 'direct' | 'authorized' | 'allocation';

export const VT_CODES: Record<PayType, '5201' | '8202' | '5207'> = {
  direct: '5201',
  authorized: '8202',
  allocation: '5207',
};

/** pay_type_code of the voucher (DOMAIN.md §4.5: 11 直接支付, 12 授权支付; 2 实拨). */
export const PAY_TYPE_CODES: Record<PayType, string> = { direct: '11', authorized: '12', allocation: '2' };

/** The kind of basedata.bank_account the payment is paid from. */
export const PAYER_ACCOUNT_KINDS: Record<PayType, { kind: string; name: string }> = {
  direct: { kind: 'financeZeroBalance', name: '财政零余额账户 finance zero-balance account' },
  authorized: { kind: 'unitZeroBalance', name: '单位零余额账户 agency zero-balance account' },
  allocation: { kind: 'treasurySingle', name: '国库单一账户 treasury single account' },
};

export interface VoucherPayee {
  name: string;
  accountNo: string;
  accountName: string;
  bankName: string;
  bankNo: string | null;
}

export interface VoucherPayer {
  accountNo: string;
  accountName: string;
  bankCode: string | null;
  bankName: string;
}

/** Names of the codes the voucher carries, where base data knows them ('' when not). */
export interface VoucherNames {
  fundType: string;
  indicatorType: string;
  payType: string;
  expFunc: string;
  depEco: string;
  dept: string;
  agency: string;
  settlementMode: string;
}

export interface VoucherInput {
  payType: PayType;
  /** 6-digit AdmDivCode of the region. */
  admDivCode: string;
  year: number;
  /** Business date yyyy-mm-dd. */
  on: string;
  /** The number drawn from the voucher sequence. */
  serial: bigint | number;
  applicationId: string;
  agencyCode: string;
  amountFen: bigint;
  purpose: string;
  contractNo: string | null;
  settlementMode: string;
  elements: Elements;
  names: VoucherNames;
  payee: VoucherPayee;
  payer: VoucherPayer;
  /** The clearing bank (人民银行 / 国库) of the region when registered. */
  clearBank: { code: string; name: string } | null;
}

/** VoucherNo: year, VtCode, then the serial (10 digits): `2026520100000042`. */
export function voucherNumber(year: number, vtCode: string, serial: bigint | number): string {
  return `${year}${vtCode}${String(serial).padStart(10, '0')}`;
}

/** Leaves out empty values: an absent element and an empty one mean the same. */
function fields(record: Record<string, FieldValue | null | undefined>): VoucherFields {
  const out: Record<string, FieldValue> = {};
  for (const [k, v] of Object.entries(record)) if (v !== null && v !== undefined && v !== '') out[k] = v;
  return out;
}

/** 类 / 款 / 项 of a functional code: its first 3, 5 and 7 digits. */
const level = (code: string | null, n: number) => (code && code.length >= n ? code.slice(0, n) : null);

export function buildPaymentVoucher(input: VoucherInput): Voucher {
  const { elements: e, names: n, payee, payer } = input;
  const vtCode = VT_CODES[input.payType];
  const voucherNo = voucherNumber(input.year, vtCode, input.serial);
  const id = `${input.admDivCode}-${input.year}-${vtCode}-${String(input.serial).padStart(10, '0')}`;
  const common = {
    Id: id,
    AdmDivCode: input.admDivCode,
    StYear: String(input.year),
    VtCode: vtCode,
    VouDate: input.on.replaceAll('-', ''),
    VoucherNo: voucherNo,
  };
  const coding = {
    FundTypeCode: e.fundTypeCode,
    FundTypeName: n.fundType,
    SupDepCode: e.deptCode,
    SupDepName: n.dept,
    AgencyCode: input.agencyCode,
    AgencyName: n.agency,
    ExpFuncCode: e.expFuncCode,
    ExpFuncName: n.expFunc,
  };
  const payeeFields = {
    PayeeAcctNo: payee.accountNo,
    PayeeAcctName: payee.accountName,
    PayeeAcctBankName: payee.bankName,
    PayeeAcctBankNo: payee.bankNo,
  };
  const payerFields = {
    PayAcctNo: payer.accountNo,
    PayAcctName: payer.accountName,
    PayAcctBankName: payer.bankName,
  };
  if (input.payType === 'allocation') {
    return {
      header: fields({
        ...common,
        TreCode: input.clearBank?.code,
        FinOrgCode: input.admDivCode,
        ...coding,
        BgtTypeCode: e.indicatorTypeCode,
        BgtTypeName: n.indicatorType,
        ...payerFields,
        ...payeeFields,
        PaySummaryName: input.purpose,
        PayAmt: input.amountFen,
        Remark: input.applicationId,
      }),
      details: [
        fields({
          Id: `${id}-1`,
          SupDepCode: e.deptCode,
          SupDepName: n.dept,
          AgencyCode: input.agencyCode,
          AgencyName: n.agency,
          ExpFuncCode: e.expFuncCode,
          ExpFuncName: n.expFunc,
          ExpEcoCode: e.depEcoCode,
          ExpEcoName: n.depEco,
          PayAmt: input.amountFen,
          Remark: input.purpose,
        }),
      ],
      signatures: [],
    };
  }
  return {
    header: fields({
      ...common,
      ...coding,
      BgtTypeCode: e.indicatorTypeCode,
      BgtTypeName: n.indicatorType,
      PayTypeCode: PAY_TYPE_CODES[input.payType],
      PayTypeName: n.payType,
      MOFDepCode: e.manageDivCode,
      FileNoCode: e.docNo,
      FileNoName: e.docNo,
      ExpFuncCode1: level(e.expFuncCode, 3),
      ExpFuncCode2: level(e.expFuncCode, 5),
      ExpFuncCode3: level(e.expFuncCode, 7),
      ExpEcoCode: e.depEcoCode,
      ExpEcoName: n.depEco,
      ExpEcoCode1: level(e.depEcoCode, 3),
      ExpEcoCode2: level(e.depEcoCode, 5),
      DepProCode: e.projectCode,
      SetModeCode: input.settlementMode,
      SetModeName: n.settlementMode,
      PayBankCode: payer.bankCode,
      PayBankName: payer.bankName,
      ClearBankCode: input.clearBank?.code,
      ClearBankName: input.clearBank?.name,
      ...payeeFields,
      ...payerFields,
      PaySummaryName: input.purpose,
      PayAmt: input.amountFen,
      // 1 = a single payment (4 = batch).
      BusinessTypeCode: '1',
    }),
    details: [
      fields({
        Id: `${id}-1`,
        VoucherBillNo: input.applicationId,
        ...coding,
        ExpEcoCode: e.depEcoCode,
        ExpEcoName: n.depEco,
        DepProCode: e.projectCode,
        ...payeeFields,
        PayAmt: input.amountFen,
        Remark: input.contractNo ? `合同 ${input.contractNo}` : null,
      }),
    ],
    signatures: [],
  };
}
