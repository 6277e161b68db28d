import { encodeEnvelope } from '@fiscus/core/exchange/voucher/envelope';
import type { EnvelopeEntry, Voucher, VoucherFields } from '@fiscus/core/exchange/voucher/model';
import { signVoucher } from '@fiscus/core/exchange/voucher/signing';
import { formatYuan } from '@fiscus/core/kernel/money';
import { shortHash } from './decisions';
import type { FaultPlan } from './faults';
import { BANK_POSITION, type BankIdentity, storedEntry } from './receipts';
import {
  type Account,
  type BankEvent,
  type BankState,
  clearingSettled,
  clearingView,
  pbocItem,
  reportItem,
  type VoucherRecord,
  voucherKey,
  vtOf,
} from './state';
import type { EventStore } from './store';

/**
 * Day-end (日终) of the simulated bank: the 2301/2302 clearing requests to the PBOC, the 2206 daily
 * report and, once the day's clearing receipts are in, one 3513 statement per zero-balance account
 * to Fiscus. Everything built is stored (signed) before it is sent, and built once: a repeated
 * day-end resends the same vouchers and never clears a voucher twice.
 */

export interface ClearingConfig {
  readonly seed: string;
  /** The bank's clearing account (AgentAcctNo). */
  readonly agentAcct: string;
  /** The region's 国库单一账户 (ClearAcctNo). */
  readonly tsaAcct: string;
}

export interface ClearingHooks {
  readonly now: () => Date;
  readonly log: (event: Record<string, unknown>) => void;
}

/** 5201 clears as 11 直接支付, 8202 as 12 授权支付; other types (5207) are not cleared by the bank. */
export const PAY_TYPE_OF_VT: Readonly<Record<string, string>> = { '5201': '11', '8202': '12' };
const PAY_TYPE_NAME: Readonly<Record<string, string>> = { '11': '财政直接支付', '12': '财政授权支付' };

const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const clean = (f: VoucherFields): VoucherFields =>
  Object.fromEntries(Object.entries(f).filter(([, v]) => v !== '' && v !== undefined));

/** `2026-03-15` → `2026-03-15`; `20260315` → `2026-03-15`. */
export const isoDate = (ymd: string) => `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}`;

/** The paid voucher's header as finance sent it. */
function headerOf(v: VoucherRecord): VoucherFields {
  return storedEntry(v.xml).voucher.header;
}

function region(key: string): { admDivCode: string; stYear: string } {
  const [admDivCode = '', stYear = ''] = key.split('|');
  return { admDivCode, stYear };
}

async function sealed(voucher: Voucher, bank: BankIdentity): Promise<string> {
  const signed = await signVoucher(voucher, bank.signer, BANK_POSITION, { scope: 'voucher' });
  const entry: EnvelopeEntry = { flag: 'send', returnReason: '', attach: '', voucher: signed };
  return new TextDecoder().decode(encodeEnvelope([entry], { encoding: 'UTF-8' }));
}

export interface ClearingInput {
  readonly vtCode: '2301' | '2302';
  readonly voucherNo: string;
  readonly date: string;
  readonly payTypeCode: string;
  readonly admDivCode: string;
  readonly stYear: string;
  readonly vouchers: readonly { readonly record: VoucherRecord; readonly header: VoucherFields }[];
}

/** 2301 申请划款凭证 / 2302 申请退款凭证 (unsigned): one detail per voucher, PayAmt = Σ. */
export function clearingVoucher(input: ClearingInput, bank: BankIdentity, config: ClearingConfig): Voucher {
  const total = input.vouchers.reduce((s, v) => s + v.record.amount, 0n);
  const first = input.vouchers[0]?.header ?? {};
  const id = `${bank.code}-${input.voucherNo}`;
  const refund = input.vtCode === '2302';
  const header: VoucherFields = {
    Id: id.slice(0, 64),
    AdmDivCode: input.admDivCode,
    StYear: input.stYear,
    VtCode: input.vtCode,
    VouDate: input.date,
    VoucherNo: input.voucherNo,
    TreCode: text(first.ClearBankCode),
    PayTypeCode: input.payTypeCode,
    PayTypeName: PAY_TYPE_NAME[input.payTypeCode] ?? '',
    AgentAcctNo: config.agentAcct,
    AgentAcctName: `${bank.name}清算账户`,
    AgentAcctBankName: bank.name,
    ClearAcctNo: config.tsaAcct,
    ClearAcctName: '国库单一账户',
    ClearAcctBankName: text(first.ClearBankName) || '中国人民银行',
    PayAmt: total,
    PayBankName: bank.name,
    PayBankNo: bank.code,
    Remark: refund ? '退票资金退回国库' : `${isoDate(input.date)} 支付清算`,
    ...(refund
      ? {
          // 8-digit 支付交易序号 negative clearing needs; 退款类型 1 = 退票.
          PayDictateNo: String(
            Number.parseInt(shortHash(bank.code, 'dictate', input.voucherNo, 12), 16) % 1e8,
          ).padStart(8, '0'),
          PayEntrustDate: input.date,
          TKLX: '1',
        }
      : {}),
  };
  const details = input.vouchers.map(({ record, header: h }, i) =>
    clean({
      Id: `${id}-${i + 1}`.slice(0, 64),
      VoucherNo: text(h.VoucherNo),
      OriVtCode: vtOf(record.key),
      SupDepCode: text(h.SupDepCode),
      SupDepName: text(h.SupDepName),
      ExpFuncCode: text(h.ExpFuncCode),
      ExpFuncName: text(h.ExpFuncName),
      AgencyCode: text(h.AgencyCode),
      PayAmt: record.amount,
      PaySummaryName: text(h.PaySummaryName),
    }),
  );
  return { header: clean(header), details, signatures: [] };
}

/**
 * 2206 直接支付日报表 (unsigned) for `date`: a line per voucher paid that day (PayAmt > 0) and a
 * negative line (OriVtCode 2203, the original VoucherNo) per voucher whose money came back that day;
 * PosAmt = Σ paid, NegAmt = Σ returned, PayAmt = PosAmt − NegAmt = Σ lines.
 */
export function dailyReportVoucher(
  input: {
    readonly voucherNo: string;
    readonly date: string;
    readonly admDivCode: string;
    readonly stYear: string;
    readonly paid: readonly { readonly record: VoucherRecord; readonly header: VoucherFields }[];
    readonly bounced: readonly { readonly record: VoucherRecord; readonly header: VoucherFields }[];
  },
  bank: BankIdentity,
): Voucher {
  const id = `${bank.code}-${input.voucherNo}`;
  const line = (record: VoucherRecord, h: VoucherFields, negative: boolean, i: number): VoucherFields =>
    clean({
      Id: `${id}-${i + 1}`.slice(0, 64),
      VoucherNo: text(h.VoucherNo),
      OriVtCode: negative ? '2203' : vtOf(record.key),
      SupDepCode: text(h.SupDepCode),
      AgencyCode: text(h.AgencyCode),
      ExpFuncCode: text(h.ExpFuncCode),
      FundTypeCode: text(h.FundTypeCode),
      PayTypeCode: PAY_TYPE_OF_VT[vtOf(record.key)] ?? text(h.PayTypeCode),
      PayBankCode: text(h.PayBankCode),
      PayeeAcctNo: text(h.PayeeAcctNo),
      PayeeAcctName: text(h.PayeeAcctName),
      PayAcctNo: text(h.PayAcctNo),
      PayDate: negative ? (record.bounce?.payDate ?? input.date) : (record.paid?.payDate ?? input.date),
      PaySummaryName: text(h.PaySummaryName),
      PayAmt: negative ? -record.amount : record.amount,
    });
  const details = [
    ...input.paid.map((v, i) => line(v.record, v.header, false, i)),
    ...input.bounced.map((v, i) => line(v.record, v.header, true, input.paid.length + i)),
  ];
  const pos = input.paid.reduce((s, v) => s + v.record.amount, 0n);
  const neg = input.bounced.reduce((s, v) => s + v.record.amount, 0n);
  const header: VoucherFields = {
    Id: id.slice(0, 64),
    AdmDivCode: input.admDivCode,
    StYear: input.stYear,
    VtCode: '2206',
    VouDate: input.date,
    VoucherNo: input.voucherNo,
    ReportDate: input.date,
    PayAmt: pos - neg,
    PosAmt: pos,
    NegAmt: neg,
    PayBankCode: bank.code,
    PayBankName: bank.name,
  };
  return { header: clean(header), details, signatures: [] };
}

/** Opening balance, debits and credits of a zero-balance account for `date` (movements dated then). */
export function accountDay(account: Account, date: string) {
  let open = 0n;
  for (const [d, m] of account.zba?.days ?? []) if (d < date) open += m.credit - m.debit;
  const m = account.zba?.days.get(date) ?? { debit: 0n, credit: 0n };
  return { open, debit: m.debit, credit: m.credit, close: open - m.debit + m.credit };
}

const ACCT_KIND = { finance: '财政零余额账户', unit: '单位零余额账户' } as const;

/** 3513 (unsigned) of one zero-balance account for one day: Close = Open − Debit + Credit. */
export function statementVoucher(
  input: { readonly voucherNo: string; readonly date: string; readonly account: Account },
  bank: BankIdentity,
): Voucher {
  const a = input.account;
  const day = accountDay(a, input.date);
  const header: VoucherFields = {
    Id: `${bank.code}-${input.voucherNo}`.slice(0, 64),
    AdmDivCode: a.zba?.admDivCode ?? '',
    StYear: a.zba?.stYear ?? '',
    VtCode: '3513',
    VouDate: input.date,
    VoucherNo: input.voucherNo,
    AcctNo: a.acctNo,
    AcctName: a.name,
    AcctKind: a.zba === undefined ? '' : ACCT_KIND[a.zba.kind],
    BankCode: bank.code,
    BeginDate: input.date,
    EndDate: input.date,
    OpenAmt: day.open,
    DebitAmt: day.debit,
    CreditAmt: day.credit,
    CloseAmt: day.close,
  };
  return { header: clean(header), details: [], signatures: [] };
}

type Paid = { readonly record: VoucherRecord; readonly header: VoucherFields };

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const t of items) {
    const k = key(t);
    out.set(k, [...(out.get(k) ?? []), t]);
  }
  return out;
}

export class DayEnd {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: EventStore,
    private readonly bank: BankIdentity,
    private readonly config: ClearingConfig,
    private readonly faults: FaultPlan,
    private readonly hooks: ClearingHooks,
  ) {}

  /** One thing at a time: the HTTP day-end and the loop's statement check both build and sign. */
  private serial<T>(f: () => Promise<T>): Promise<T> {
    const run = this.chain.then(f, f);
    this.chain = run.catch(() => {});
    return run;
  }

  private get state(): BankState {
    return this.store.state;
  }

  private at(): string {
    return this.hooks.now().toISOString();
  }

  /** `POST /sim/day-end`: builds (once) and queues the day's messages; answers what belongs to the day. */
  run(date: string, final: boolean) {
    return this.serial(async () => {
      const s = this.state;
      const repeated = s.days.has(date);
      if (repeated) {
        // Send the same vouchers again: the reports, and requests still without a receipt.
        const items = [
          ...[...s.reports.values()].filter((r) => r.date === date).map((r) => reportItem(r.key)),
          ...[...s.clearing.values()]
            .filter((c) => c.date === date && c.receipt === undefined)
            .map((c) => pbocItem(c.key)),
        ].filter((i) => s.delivered.has(i));
        if (items.length > 0) this.store.append({ type: 'requeue', at: this.at(), items });
      }
      const events = [...(await this.clearingRequests(date)), ...(await this.dailyReports(date))];
      events.push({ type: 'dayEnd', at: this.at(), date, final });
      this.store.append(...events);
      await this.closeDays();
      this.hooks.log({ event: 'day-end', date, final, repeated, built: events.length - 1 });
      return { ok: true, date: isoDate(date), repeated, sent: this.dayView(date) };
    });
  }

  /** Builds the 3513 statements of every closed-but-unstated day whose receipts are in (or final). */
  check(): Promise<void> {
    return this.serial(() => this.closeDays());
  }

  private vouchersOf(records: readonly VoucherRecord[]): Paid[] {
    return records.map((record) => ({ record, header: headerOf(record) }));
  }

  private nextNo(vt: string, date: string, suffix: string, width: number, taken: Set<string>): string {
    for (let seq = 1; ; seq++) {
      const no = `${vt}${date}${this.bank.code}${suffix}${String(seq).padStart(width, '0')}`;
      if (!taken.has(no)) {
        taken.add(no);
        return no;
      }
    }
  }

  private async clearingRequests(date: string): Promise<BankEvent[]> {
    const s = this.state;
    const taken = new Set([...s.clearing.values()].map((c) => c.voucherNo));
    const events: BankEvent[] = [];
    const build = async (vtCode: '2301' | '2302', records: VoucherRecord[]) => {
      // One request per region × pay type × paying bank: the simulator answers for every agent
      // bank named on the vouchers it receives, and the PBOC clears each bank's account apart.
      const groups = groupBy(records, (v) => {
        const { admDivCode, stYear } = region(v.key);
        const payBank = text(headerOf(v).PayBankCode).replace(/[^A-Za-z0-9]/g, '');
        return `${admDivCode}|${stYear}|${PAY_TYPE_OF_VT[vtOf(v.key)]}|${payBank}`;
      });
      for (const [g, members] of groups) {
        const [admDivCode = '', stYear = '', payTypeCode = '', payBank = ''] = g.split('|');
        const vouchers = this.vouchersOf(members);
        const fault = vtCode === '2301' ? 'duplicateClearing' : 'doubleRefund';
        let original: string | undefined;
        for (let copy = 0; copy < 2; copy++) {
          const voucherNo = this.nextNo(vtCode, date, `${payTypeCode}${payBank}`, 2, taken);
          const input: ClearingInput = { vtCode, voucherNo, date, payTypeCode, admDivCode, stYear, vouchers };
          const voucher = clearingVoucher(input, this.bank, this.config);
          const key = voucherKey(voucher.header);
          events.push({
            type: 'clearing',
            at: this.at(),
            key,
            vtCode,
            date,
            payTypeCode,
            amount: formatYuan(voucher.header.PayAmt as bigint),
            vouchers: members.map((v) => v.key),
            xml: await sealed(voucher, this.bank),
            ...(original === undefined ? {} : { duplicateOf: original }),
          });
          if (original !== undefined) {
            this.hooks.log({ event: 'fault', [fault]: voucherNo, of: original });
            break;
          }
          original = key;
          // The same details once more under a new VoucherNo: the PBOC must refuse the copy.
          if (!this.faults.planned(fault, key)) break;
        }
      }
    };
    const vouchers = [...s.vouchers.values()];
    // 2301: paid that day, still paid (a voucher bounced before clearing is not cleared), not yet requested.
    await build(
      '2301',
      vouchers.filter(
        (v) =>
          v.state === 'paid' &&
          v.paid?.payDate === date &&
          PAY_TYPE_OF_VT[vtOf(v.key)] !== undefined &&
          !s.clearingOf.has(v.key),
      ),
    );
    // 2302: bounced by that day after it was cleared, not yet refunded.
    await build(
      '2302',
      vouchers.filter(
        (v) =>
          v.state === 'bounced' &&
          v.bounce !== undefined &&
          v.bounce.payDate <= date &&
          s.clearedBy.has(v.key) &&
          !s.refundOf.has(v.key),
      ),
    );
    return events;
  }

  private async dailyReports(date: string): Promise<BankEvent[]> {
    const s = this.state;
    const vouchers = [...s.vouchers.values()];
    const paid = vouchers.filter((v) => v.paid?.payDate === date);
    const bounced = vouchers.filter((v) => v.bounce?.payDate === date);
    const regions = new Set([...paid, ...bounced].map((v) => v.key.split('|').slice(0, 2).join('|')));
    if (regions.size === 0) {
      // A day without payments still gets its (empty) report, in the region the bank knows.
      const known = [...s.vouchers.keys(), ...s.quotas.keys()][0];
      if (known !== undefined) regions.add(known.split('|').slice(0, 2).join('|'));
    }
    const events: BankEvent[] = [];
    for (const r of regions) {
      const [admDivCode = '', stYear = ''] = r.split('|');
      const voucherNo = `2206${date}${this.bank.code}`;
      const key = `${admDivCode}|${stYear}|2206|${voucherNo}`;
      if (s.reports.has(key)) continue;
      const inRegion = (v: VoucherRecord) => v.key.startsWith(`${r}|`);
      const voucher = dailyReportVoucher(
        {
          voucherNo,
          date,
          admDivCode,
          stYear,
          paid: this.vouchersOf(paid.filter(inRegion)),
          bounced: this.vouchersOf(bounced.filter(inRegion)),
        },
        this.bank,
      );
      events.push({
        type: 'report',
        at: this.at(),
        key,
        vtCode: '2206',
        date,
        xml: await sealed(voucher, this.bank),
      });
    }
    return events;
  }

  private async closeDays(): Promise<void> {
    const s = this.state;
    for (const [date, day] of s.days) {
      if (day.closed) continue;
      const requests = [...s.clearing.values()].filter((c) => c.date === date);
      if (!day.final && !requests.every(clearingSettled)) continue;
      const taken = new Set([...s.reports.values()].map((r) => r.key.split('|')[3] ?? ''));
      const events: BankEvent[] = [];
      const accounts = [...s.accounts.values()]
        .filter((a) => a.zba?.days.has(date))
        .sort((a, b) => (a.acctNo < b.acctNo ? -1 : a.acctNo > b.acctNo ? 1 : 0));
      for (const account of accounts) {
        const voucherNo = this.nextNo('3513', date, '', 3, taken);
        const voucher = statementVoucher({ voucherNo, date, account }, this.bank);
        events.push({
          type: 'report',
          at: this.at(),
          key: voucherKey(voucher.header),
          vtCode: '3513',
          date,
          acctNo: account.acctNo,
          xml: await sealed(voucher, this.bank),
        });
      }
      const keys = events.flatMap((e) => (e.type === 'report' ? [e.key] : []));
      events.push({ type: 'closed', at: this.at(), date, keys });
      this.store.append(...events);
      this.hooks.log({ event: 'statements', date, final: day.final, statements: keys.length });
    }
  }

  /** What belongs to `date`: its clearing requests, daily report(s) and statements. */
  dayView(date: string) {
    const s = this.state;
    const reports = [...s.reports.values()].filter((r) => r.date === date);
    const header = (xml: string) => storedEntry(xml).voucher.header;
    return {
      clearing: [...s.clearing.values()].filter((c) => c.date === date).map((c) => clearingView(s, c)),
      dailyReports: reports
        .filter((r) => r.vtCode === '2206')
        .map((r) => {
          const h = header(r.xml);
          return {
            voucherNo: text(h.VoucherNo),
            payAmt: formatYuan(h.PayAmt as bigint),
            posAmt: formatYuan(h.PosAmt as bigint),
            negAmt: formatYuan(h.NegAmt as bigint),
            details: storedEntry(r.xml).voucher.details.length,
            delivered: s.delivered.has(reportItem(r.key)),
          };
        }),
      statements: reports
        .filter((r) => r.vtCode === '3513')
        .map((r) => {
          const h = header(r.xml);
          return {
            voucherNo: text(h.VoucherNo),
            acctNo: text(h.AcctNo),
            openAmt: formatYuan(h.OpenAmt as bigint),
            debitAmt: formatYuan(h.DebitAmt as bigint),
            creditAmt: formatYuan(h.CreditAmt as bigint),
            closeAmt: formatYuan(h.CloseAmt as bigint),
            delivered: s.delivered.has(reportItem(r.key)),
          };
        }),
      statementsPending: s.days.get(date)?.closed !== true,
    };
  }
}
