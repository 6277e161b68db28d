import type { EnvelopeEntry, Voucher, VoucherFields } from '@fiscus/core/exchange/voucher/model';
import { signVoucher } from '@fiscus/core/exchange/voucher/signing';
import { formatYuan } from '@fiscus/core/kernel/money';
import { oneEnvelope, PBOC_POSITION, type PbocIdentity } from './receipts';
import type { ClearedRecord, PbocState, StoredReport } from './state';

/**
 * The PBOC's day-end reports for date D (clearing-protocol.md step 6), all signed at `pboc`:
 * - 3410 支出日报: one detail per coding line SupDep × ExpFunc × FundType × PayType × PayBank, the
 *   amount cleared on D minus the amount refunded (2302) on D;
 * - 3501 凭证对账: one per EVoucherType (5201, 8202): every voucher cleared on D with its cleared
 *   amount (ProState 0) and every voucher refunded by a 2302 on D (ProState 1);
 * - 3513 库款账户对账: the TSA's opening balance, paid out (2301 clearings and 5207 allocations),
 *   paid in (2302 refunds) and closing balance for D;
 * - 3504 清算信息对账 (to Fiscus): the cleared amount per coding line, answered with finance's check;
 * - 3502 凭证对账 (to each agent bank): its vouchers cleared / refunded on D, answered with its check.
 * VoucherNo `{vt}{yyyyMMdd}{pbocCode}{nn}`, so a second day-end of D repeats the same numbers.
 */

export interface ReportOptions {
  readonly admDivCode: string;
  readonly pboc: PbocIdentity;
  /** The `alter` fault: whether a report line's amount is changed (+1 fen). */
  readonly alter: (lineKey: string) => boolean;
}

export interface DayTotals {
  /** Σ 2301 cleared on D. */
  readonly cleared: bigint;
  /** Σ 2302 refunded on D. */
  readonly refunded: bigint;
  /** Σ 5207 paid from the TSA on D. */
  readonly allocated: bigint;
}

export interface DayReports {
  /** To Fiscus: 3410, 3501 per voucher type, 3513, 3504. */
  readonly vouchers: readonly Voucher[];
  /** To each agent bank: its 3502s. */
  readonly toBanks: readonly { readonly bankCode: string; readonly voucher: Voucher }[];
  readonly altered: readonly string[];
  readonly totals: DayTotals;
}

export const reportNo = (vtCode: string, date: string, pbocCode: string, n: number) =>
  `${vtCode}${date}${pbocCode}${String(n).padStart(2, '0')}`;

/** Builds (unsigned) the reports of `date` from the state. Pure. */
export function buildDayReports(state: PbocState, date: string, opts: ReportOptions): DayReports {
  const code = opts.pboc.code;
  const year = date.slice(0, 4);
  const altered: string[] = [];
  const bump = (lineKey: string, label: string): bigint => {
    if (!opts.alter(lineKey)) return 0n;
    altered.push(`${label} +0.01`);
    return 1n;
  };
  const common = (vtCode: string, voucherNo: string): VoucherFields => ({
    Id: `${opts.admDivCode}-${year}-${vtCode}-${voucherNo}`.slice(0, 64),
    AdmDivCode: opts.admDivCode,
    StYear: year,
    VtCode: vtCode,
    VouDate: date,
    VoucherNo: voucherNo,
  });

  // 3410 per coding line, net of refunds.
  const lines = new Map<string, { fields: VoucherFields; amount: bigint }>();
  const add = (
    c: {
      coding: { supDepCode: string; expFuncCode: string; fundTypeCode: string };
      payTypeCode: string;
      bankCode: string;
    },
    amount: bigint,
  ) => {
    const fields = {
      SupDepCode: c.coding.supDepCode,
      ExpFuncCode: c.coding.expFuncCode,
      FundTypeCode: c.coding.fundTypeCode,
      PayTypeCode: c.payTypeCode,
      PayBankCode: c.bankCode,
    };
    const key = Object.values(fields).join('|');
    const line = lines.get(key) ?? { fields, amount: 0n };
    line.amount += amount;
    lines.set(key, line);
  };
  let cleared = 0n;
  let refunded = 0n;
  for (const c of state.cleared.values()) {
    if (c.date === date) {
      add(c, c.amount);
      cleared += c.amount;
    }
    if (c.refund?.date === date) {
      add(c, -c.refund.amount);
      refunded += c.refund.amount;
    }
  }
  const no3410 = reportNo('3410', date, code, 1);
  const sorted = [...lines.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const details3410 = sorted.map(([key, line], i) => {
    const amount = line.amount + bump(`3410|${date}|${key}`, `3410 ${key}`);
    return { Id: `${no3410}-${i + 1}`, ...line.fields, PayAmt: amount };
  });
  const r3410: Voucher = {
    header: {
      ...common('3410', no3410),
      TreCode: code,
      ReportDate: date,
      PayAmt: details3410.reduce((s, d) => s + d.PayAmt, 0n),
    },
    details: details3410,
    signatures: [],
  };

  // A voucher list (3501 to finance, 3502 to a bank) of D: each voucher event of D — cleared on D
  // (ProState 0, the amount as `cleared0` says) and refunded by a 2302 on D (ProState 1) — so a
  // voucher cleared one day and refunded another appears on both days' lists.
  const voucherList = (
    vtCode: '3501' | '3502',
    no: string,
    vt: string,
    records: readonly ClearedRecord[],
    cleared0: (c: ClearedRecord) => bigint,
    header: VoucherFields,
  ): Voucher => {
    const details = [
      ...records
        .filter((c) => c.date === date)
        .map((c) => ({ VoucherNo: c.voucherNo, Amt: cleared0(c), ProState: '0' })),
      ...records
        .filter((c) => c.refund?.date === date)
        .map((c) => ({ VoucherNo: c.voucherNo, Amt: c.refund!.amount, ProState: '1' })),
    ].map((d, j) => ({ Id: `${no}-${j + 1}`, ...d }));
    return {
      header: {
        ...common(vtCode, no),
        TreCode: code,
        ClearBankCode: code,
        ...header,
        CheckDate: date,
        EVoucherType: vt,
        AllNum: String(details.length),
        AllAmt: details.reduce((s, d) => s + d.Amt, 0n),
      },
      details,
      signatures: [],
    };
  };
  const altered3501 = (c: ClearedRecord) => `3501|${date}|${c.paymentKey}`;

  // 3501 per voucher type.
  const lists = (['5201', '8202'] as const).map(
    (vt, i): Voucher =>
      voucherList(
        '3501',
        reportNo('3501', date, code, i + 1),
        vt,
        [...state.cleared.values()].filter((c) => c.vtCode === vt),
        (c) => c.amount + bump(altered3501(c), `3501 ${c.voucherNo}`),
        {},
      ),
  );

  // 3513 for the TSA.
  let open = state.tsa?.opening ?? 0n;
  let debit = 0n;
  let credit = 0n;
  let allocated = 0n;
  for (const m of state.tsaMovements) {
    if (m.date < date) open += m.delta;
    else if (m.date === date) {
      if (m.delta < 0n) debit -= m.delta;
      else credit += m.delta;
      if (!state.requests.has(m.ref)) allocated -= m.delta;
    }
  }
  const r3513: Voucher = {
    header: {
      ...common('3513', reportNo('3513', date, code, 1)),
      AcctNo: state.tsa?.acctNo ?? '',
      AcctName: state.tsa?.name ?? '',
      AcctKind: 'treasurySingle',
      BankCode: code,
      BeginDate: date,
      EndDate: date,
      OpenAmt: open,
      DebitAmt: debit,
      CreditAmt: credit,
      CloseAmt: open - debit + credit,
    },
    details: [],
    signatures: [],
  };
  // 3504 清算信息对账 to finance: the 3410's coding lines as cleared amounts (finance answers with its
  // check of them).
  const no3504 = reportNo('3504', date, code, 1);
  const r3504: Voucher = {
    header: {
      ...common('3504', no3504),
      TreCode: code,
      VoucherCheckNo: no3504,
      ClearAccNo: state.tsa?.acctNo ?? '',
      BeginDate: date,
      EndDate: date,
      AllAmt: details3410.reduce((s, d) => s + d.PayAmt, 0n),
    },
    details: sorted.map(([, line], i) => ({
      Id: `${no3504}-${i + 1}`,
      ...line.fields,
      ClearAmt: details3410[i]!.PayAmt,
    })),
    signatures: [],
  };

  // 3502 凭证对账 to each agent bank: its vouchers cleared or refunded on D, one per voucher type (the
  // same amounts as the 3501, an altered line included; the bank answers with its check).
  const banks = [...state.cleared.values()].filter((c) => c.date === date || c.refund?.date === date);
  const bankVt = [...new Set(banks.map((c) => `${c.bankCode}|${c.vtCode}`))].sort();
  const toBanks = bankVt.map((bv, i) => {
    const [bankCode = '', vt = ''] = bv.split('|');
    const voucher = voucherList(
      '3502',
      reportNo('3502', date, code, i + 1),
      vt,
      banks.filter((c) => c.bankCode === bankCode && c.vtCode === vt),
      (c) => c.amount + (opts.alter(altered3501(c)) ? 1n : 0n),
      { PayBankCode: bankCode },
    );
    return { bankCode, voucher };
  });
  return {
    vouchers: [r3410, ...lists, r3513, r3504],
    toBanks,
    altered,
    totals: { cleared, refunded, allocated },
  };
}

/** Signs the reports and keeps them as one-voucher envelopes (what the `dayClosed` event stores). */
export async function signReports(
  reports: Pick<DayReports, 'vouchers' | 'toBanks'>,
  pboc: PbocIdentity,
): Promise<StoredReport[]> {
  const out: StoredReport[] = [];
  const all = [...reports.vouchers.map((voucher) => ({ voucher, bankCode: undefined })), ...reports.toBanks];
  for (const { voucher: v, bankCode } of all) {
    const signed = await signVoucher(v, pboc.signer, PBOC_POSITION, { scope: 'voucher' });
    const entry: EnvelopeEntry = { flag: 'send', returnReason: '', attach: '', voucher: signed };
    out.push({
      vtCode: String(v.header.VtCode),
      voucherNo: String(v.header.VoucherNo),
      ...(bankCode === undefined ? {} : { bankCode }),
      xml: oneEnvelope(entry),
    });
  }
  return out;
}

export function totalsView(t: DayTotals) {
  return {
    cleared: formatYuan(t.cleared),
    refunded: formatYuan(t.refunded),
    net: formatYuan(t.cleared - t.refunded),
    allocated: formatYuan(t.allocated),
  };
}
