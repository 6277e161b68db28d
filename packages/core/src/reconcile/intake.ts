import type { EnvelopeEntry, Voucher } from '../exchange/voucher/model';
import { formatYuan } from '../kernel/money';
import { sm3Hex } from '../platform/gm/sm3';

/**
 * Counterpart reports arriving at the voucher-library inbox (clearing-protocol.md step 4–7): which
 * VtCode comes from whom (the position it is signed at), and the `reconcileReport.receive` /
 * `reconcileReport.reject` commands the inbox runs for them.
 */
export const REPORT_POSITIONS: Readonly<Record<string, readonly ('bank' | 'pboc')[]>> = {
  '2206': ['bank'],
  '3410': ['pboc'],
  '3501': ['pboc'],
  '3504': ['pboc'],
  '3513': ['bank', 'pboc'],
};

export const isReportVtCode = (vt: string | undefined): boolean => vt !== undefined && vt in REPORT_POSITIONS;

const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const yuan = (v: unknown) => (typeof v === 'bigint' ? formatYuan(v) : undefined);
const iso = (d: string | undefined) =>
  d && /^\d{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}` : undefined;
const defined = <T extends Record<string, unknown>>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** The business date a message speaks of: the report's date, a receipt's XPayDate, else VouDate. */
export function messageDate(v: Voucher, fallback: string): string {
  const h = v.header;
  for (const f of ['ReportDate', 'CheckDate', 'EndDate', 'XPayDate', 'PayDate', 'VouDate'])
    if (iso(text(h[f]))) return iso(text(h[f]))!;
  return fallback;
}

/** Who sent a message: the PBOC for its report types (or a 3513 signed at `pboc`), else the bank. */
export function senderOf(v: Voucher): 'bank' | 'pboc' {
  const vt = text(v.header.VtCode) ?? '';
  const positions = REPORT_POSITIONS[vt];
  if (positions?.length === 1) return positions[0]!;
  return v.signatures.some((s) => s.position === 'pboc') ? 'pboc' : 'bank';
}

/** The report as the command that stores it (amounts as yuan text, codes as given). */
export function reportCommand(entry: EnvelopeEntry, region: string, on: string, keyId: string) {
  const v = entry.voucher;
  const h = v.header;
  const vt = text(h.VtCode)!;
  const sender = senderOf(v);
  const headerText: Record<string, string> = {};
  for (const [k, x] of Object.entries(h)) headerText[k] = typeof x === 'bigint' ? formatYuan(x) : x;
  const lines = v.details.map((d) =>
    defined({
      voucherNo: text(d.VoucherNo),
      oriVtCode: text(d.OriVtCode),
      supDepCode: text(d.SupDepCode),
      agencyCode: text(d.AgencyCode),
      expFuncCode: text(d.ExpFuncCode),
      fundTypeCode: text(d.FundTypeCode),
      payTypeCode: text(d.PayTypeCode),
      payBankCode: text(d.PayBankCode),
      amount: yuan(d.ClearAmt) ?? yuan(d.PayAmt) ?? yuan(d.Amt) ?? '0.00',
      proState: text(d.ProState) === '1' ? 1 : text(d.ProState) === '0' ? 0 : undefined,
    }),
  );
  const payload = defined({
    sender,
    senderCode: text(h.PayBankCode) ?? text(h.TreCode) ?? text(h.BankCode) ?? keyId,
    keyId,
    vtCode: vt,
    voucherNo: text(h.VoucherNo),
    reportDate: messageDate(v, on),
    amount: yuan(h.PayAmt) ?? yuan(h.AllAmt),
    posAmount: yuan(h.PosAmt),
    negAmount: yuan(h.NegAmt),
    fundTypeCode: text(h.FundTypeCode),
    payTypeCode: text(h.PayTypeCode),
    payBankCode: text(h.PayBankCode),
    eVoucherType: text(h.EVoucherType),
    account:
      vt === '3513'
        ? defined({
            acctNo: text(h.AcctNo),
            acctName: text(h.AcctName),
            acctKind: text(h.AcctKind),
            open: yuan(h.OpenAmt),
            debit: yuan(h.DebitAmt),
            credit: yuan(h.CreditAmt),
            close: yuan(h.CloseAmt),
          })
        : undefined,
    contentSha: '',
    header: headerText,
    lines,
  });
  payload.contentSha = sm3Hex(JSON.stringify({ header: headerText, lines }));
  const c = { type: 'reconcileReport.receive', region, year: Number(text(h.StYear)), payload };
  return { id: `rpt-${sm3Hex(JSON.stringify(c)).slice(0, 40)}`, ...c, on };
}

export interface Rejection {
  region: string;
  voucher: Voucher;
  keyId: string | undefined;
  reason: string;
}

/** A refused message as the command that records it; the same refusal again is a replay. */
export function rejectionCommand(r: Rejection, on: string) {
  const h = r.voucher.header;
  const c = {
    type: 'reconcileReport.reject',
    region: r.region,
    year: Number(text(h.StYear)),
    payload: defined({
      sender: senderOf(r.voucher),
      keyId: r.keyId,
      vtCode: text(h.VtCode) ?? '0000',
      voucherNo: text(h.VoucherNo) ?? '?',
      messageDate: messageDate(r.voucher, on),
      reason: r.reason.slice(0, 1000),
    }),
  };
  return { id: `rej-${sm3Hex(JSON.stringify(c)).slice(0, 40)}`, ...c, on };
}
