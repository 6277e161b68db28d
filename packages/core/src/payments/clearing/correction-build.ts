import type { Voucher } from '../../exchange/voucher/model';
import { type Coding, fields } from './coding';

/**
 * 5253 财政直接支付调整凭证 / 5351 授权支付调整书, pure: re-codes a paid voucher without moving money;
 * the header names the original voucher, the detail the old coding (Ori*) and the new.
 */
export const CORRECTION_VT: Record<string, '5253' | '5351'> = { '5201': '5253', '8202': '5351' };

export interface CorrectionVoucherInput {
  vtCode: '5253' | '5351';
  admDivCode: string;
  year: number;
  on: string;
  voucherNo: string;
  oriVtCode: string;
  oriVoucherNo: string;
  amountFen: bigint;
  from: Coding;
  to: Coding;
  reason: string;
}

export function buildCorrectionVoucher(input: CorrectionVoucherInput): Voucher {
  const id = `${input.admDivCode}-${input.year}-${input.vtCode}-${input.voucherNo}`;
  return {
    header: fields({
      Id: id,
      AdmDivCode: input.admDivCode,
      StYear: String(input.year),
      VtCode: input.vtCode,
      VouDate: input.on.replaceAll('-', ''),
      VoucherNo: input.voucherNo,
      OriVoucherNo: input.oriVoucherNo,
      OriVtCode: input.oriVtCode,
      AgencyCode: input.to.agencyCode,
      AgencyName: input.to.agencyName,
      PayBankCode: input.from.payBankCode,
      PayAmt: input.amountFen,
      Remark: input.reason,
    }),
    details: [
      fields({
        Id: `${id}-1`,
        OriAgencyCode: input.from.agencyCode,
        OriExpFuncCode: input.from.expFuncCode,
        OriExpEcoCode: input.from.expEcoCode,
        OriDepProCode: input.from.depProCode,
        AgencyCode: input.to.agencyCode,
        SupDepCode: input.to.supDepCode,
        ExpFuncCode: input.to.expFuncCode,
        ExpEcoCode: input.to.expEcoCode,
        DepProCode: input.to.depProCode,
        PayAmt: input.amountFen,
      }),
    ],
    signatures: [],
  };
}
