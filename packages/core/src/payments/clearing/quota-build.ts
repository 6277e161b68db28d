import type { Voucher } from '../../exchange/voucher/model';
import { type Coding, fields, level } from './coding';

/**
 * 5108 直接支付 / 5106 授权支付 (汇总) 清算额度通知单, pure (docs/design/clearing-protocol.md step 3):
 * one detail per paid voucher (PlanAmt = the paid amount), negative details for refunds after
 * clearing (OriVtCode 2203), zero details for corrections (PayVoucherNo = the 5253/5351 number).
 */

export type QuotaVtCode = '5106' | '5108';
export type LineKind = 'payment' | 'refund' | 'correction';

/** Which notice covers a payment, refund or correction voucher of a pay type. */
export const QUOTA_VT: Record<string, QuotaVtCode> = {
  '5201': '5108',
  '5253': '5108',
  '8202': '5106',
  '5351': '5106',
};
export const QUOTA_PAY_TYPE: Record<QuotaVtCode, { code: string; name: string }> = {
  '5108': { code: '11', name: '财政直接支付' },
  '5106': { code: '12', name: '财政授权支付' },
};

export interface QuotaLine {
  kind: LineKind;
  /** What the line covers (the paid voucher, the 2203 refund notice, the correction voucher). */
  sourceYear: number;
  sourceVtCode: string;
  sourceNo: string;
  /** PayVoucherNo: the paid voucher (payments, refunds) or the correction voucher. */
  payVoucherNo: string;
  /** OriVtCode: 5201/8202, 2203 or 5253/5351. */
  oriVtCode: string;
  /** fen; negative for a refund, zero for a correction. */
  amountFen: bigint;
  coding: Coding;
}

export interface QuotaNoticeInput {
  vtCode: QuotaVtCode;
  admDivCode: string;
  year: number;
  /** The pay date the notice covers, YYYY-MM-DD. */
  payDate: string;
  /** Business date of issue, YYYY-MM-DD. */
  on: string;
  bank: { code: string; name: string | null; bankNo: string | null };
  clearBank: { code: string; name: string | null } | null;
  seq: number;
  lines: readonly QuotaLine[];
}

/** `{vt}{yyyyMMdd}{bank}{seq}`, seq 3 digits. */
export function quotaNoticeNumber(vtCode: string, payDate: string, bankCode: string, seq: number): string {
  return `${vtCode}${payDate.replaceAll('-', '')}${bankCode}${String(seq).padStart(3, '0')}`;
}

export function buildQuotaNotice(input: QuotaNoticeInput): Voucher {
  const voucherNo = quotaNoticeNumber(input.vtCode, input.payDate, input.bank.code, input.seq);
  const id = `${input.admDivCode}-${input.year}-${voucherNo}`;
  const total = input.lines.reduce((s, l) => s + l.amountFen, 0n);
  const funds = new Set(input.lines.map((l) => l.coding.fundTypeCode));
  const fund = funds.size === 1 ? input.lines[0]?.coding : undefined;
  const depts = new Set(input.lines.map((l) => l.coding.supDepCode).filter((d) => d !== null));
  const payType = QUOTA_PAY_TYPE[input.vtCode];
  return {
    header: fields({
      Id: id,
      AdmDivCode: input.admDivCode,
      StYear: String(input.year),
      VtCode: input.vtCode,
      VouDate: input.on.replaceAll('-', ''),
      VoucherNo: voucherNo,
      TreCode: input.clearBank?.code,
      FinOrgCode: input.admDivCode,
      PayAmt: total,
      SetMonth: input.payDate.slice(5, 7),
      DeptNum: String(depts.size),
      FundTypeCode: fund?.fundTypeCode,
      FundTypeName: fund?.fundTypeName,
      PayTypeCode: payType.code,
      PayTypeName: payType.name,
      ClearBankCode: input.clearBank?.code,
      ClearBankName: input.clearBank?.name,
      PayBankCode: input.bank.code,
      PayBankName: input.bank.name,
      PayBankNo: input.bank.bankNo,
      Remark: `支付日期 ${input.payDate}`,
    }),
    details: input.lines.map((l, i) =>
      fields({
        Id: `${id}-${i + 1}`,
        SupDepCode: l.coding.supDepCode,
        SupDepName: l.coding.supDepName,
        ExpFuncCode: l.coding.expFuncCode,
        ExpFuncName: l.coding.expFuncName,
        ExpFuncCode1: level(l.coding.expFuncCode, 3),
        ExpFuncCode2: level(l.coding.expFuncCode, 5),
        ExpFuncCode3: level(l.coding.expFuncCode, 7),
        AgencyCode: l.coding.agencyCode,
        ExpEcoCode: l.coding.expEcoCode,
        DepProCode: l.coding.depProCode,
        FundTypeCode: l.coding.fundTypeCode,
        AgencyAccoCode: l.coding.agencyAccoCode,
        PayVoucherNo: l.payVoucherNo,
        OriVtCode: l.oriVtCode,
        PlanAmt: l.amountFen,
      }),
    ),
    signatures: [],
  };
}
