import type { Signer } from '@fiscus/core/exchange/crypto/signer';
import { decodeEnvelope } from '@fiscus/core/exchange/voucher/envelope';
import type { EnvelopeEntry, Voucher, VoucherFields } from '@fiscus/core/exchange/voucher/model';
import { signVoucher } from '@fiscus/core/exchange/voucher/signing';

/** The position the bank signs at; Fiscus's inbox requires it (`BANK_POSITION`). */
export const BANK_POSITION = 'bank';

export interface BankIdentity {
  readonly code: string;
  readonly name: string;
  readonly signer: Signer;
}

/** Faults applied while building one delivery attempt. */
export interface BuildFaults {
  /** XPayAmt one fen more than paid (Fiscus refuses the amount). */
  readonly alterAmount?: boolean;
  /** The bank signature's last byte flipped (Fiscus refuses the whole message). */
  readonly breakSignature?: boolean;
}

/** The voucher as received, from the one-voucher envelope kept in the store. */
export function storedEntry(xml: string): EnvelopeEntry {
  const d = decodeEnvelope(new TextEncoder().encode(xml));
  const entry = d.ok ? d.value[0] : undefined;
  if (entry === undefined) throw new Error('stored voucher does not decode');
  return entry;
}

/** The bank signature's last byte flipped (the break-signature fault). */
export function corrupt(voucher: Voucher): Voucher {
  return {
    ...voucher,
    signatures: voucher.signatures.map((s) => {
      if (s.position !== BANK_POSITION) return s;
      const value = new Uint8Array(s.value);
      value[value.length - 1] = (value[value.length - 1] ?? 0) ^ 0xff;
      return { ...s, value };
    }),
  };
}

async function signed(voucher: Voucher, bank: BankIdentity, faults: BuildFaults): Promise<Voucher> {
  // The finance signature (scope `voucher`) still verifies: X-fields are outside what it covers.
  const withBank = await signVoucher(voucher, bank.signer, BANK_POSITION);
  return faults.breakSignature ? corrupt(withBank) : withBank;
}

/** 回单: the voucher with XPayDate, XPayAmt, XAgentBusinessNo filled, signed by the bank (scope receipt). */
export async function buildReceipt(
  original: EnvelopeEntry,
  paid: { readonly amount: bigint; readonly payDate: string; readonly agentBusinessNo: string },
  bank: BankIdentity,
  faults: BuildFaults = {},
): Promise<EnvelopeEntry> {
  const header: VoucherFields = {
    ...original.voucher.header,
    XPayDate: paid.payDate,
    XPayAmt: paid.amount + (faults.alterAmount ? 1n : 0n),
    XAgentBusinessNo: paid.agentBusinessNo,
  };
  const voucher = await signed({ ...original.voucher, header }, bank, faults);
  return { flag: 'receipt', returnReason: '', attach: '', voucher };
}

/** 退回: the voucher unpaid, with a reason, signed by the bank. */
export async function buildReturn(
  original: EnvelopeEntry,
  reason: string,
  bank: BankIdentity,
  faults: BuildFaults = {},
): Promise<EnvelopeEntry> {
  const voucher = await signed(original.voucher, bank, faults);
  return { flag: 'receipt', returnReason: reason, attach: '', voucher };
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * 2203 财政直接支付退款通知书 (or, asked for, 2252 收款银行退款通知): a new voucher of the bank's, after a
 * paid voucher's money came back.
 */
export async function buildBounce(
  original: EnvelopeEntry,
  bounce: {
    readonly vtCode?: '2203' | '2252';
    readonly refundVoucherNo: string;
    readonly agentBusinessNo: string;
    readonly payDate: string;
    readonly reason: string;
    readonly amount: bigint;
  },
  bank: BankIdentity,
  faults: BuildFaults = {},
): Promise<EnvelopeEntry> {
  const h = original.voucher.header;
  const firstDetail = original.voucher.details[0];
  const header: VoucherFields = {
    Id: `${bank.code}-${bounce.refundVoucherNo}`.slice(0, 64),
    AdmDivCode: text(h.AdmDivCode),
    StYear: text(h.StYear),
    VtCode: bounce.vtCode ?? '2203',
    VouDate: bounce.payDate,
    VoucherNo: bounce.refundVoucherNo,
    PayBankCode: bank.code,
    PayBankName: bank.name,
    AgentBusinessNo: bounce.agentBusinessNo,
    OriBillNo: text(h.VoucherNo),
    OriVtCode: text(h.VtCode),
    RefundType: '1',
    PayAcctNo: text(h.PayAcctNo),
    PayAcctName: text(h.PayAcctName),
    PayAcctBankName: text(h.PayAcctBankName),
    PayeeAcctNo: text(h.PayeeAcctNo),
    PayeeAcctName: text(h.PayeeAcctName),
    PayeeAcctBankName: text(h.PayeeAcctBankName),
    PayAmt: bounce.amount + (faults.alterAmount ? 1n : 0n),
    PayDate: bounce.payDate,
    Remark: bounce.reason,
  };
  const detail: VoucherFields = {
    Id: `${bank.code}-${bounce.refundVoucherNo}-1`.slice(0, 64),
    VoucherBillId: text(h.Id),
    PayeeAcctBankNo: text(h.PayeeAcctBankNo) || text(firstDetail?.PayeeAcctBankNo),
    PayAmt: bounce.amount + (faults.alterAmount ? 1n : 0n),
    Remark: bounce.reason,
  };
  const clean = (f: VoucherFields) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== ''));
  const voucher = await signVoucher(
    { header: clean(header), details: [clean(detail)], signatures: [] },
    bank.signer,
    BANK_POSITION,
    { scope: 'voucher' },
  );
  return {
    flag: 'send',
    returnReason: '',
    attach: '',
    voucher: faults.breakSignature ? corrupt(voucher) : voucher,
  };
}
