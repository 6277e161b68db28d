import type { Kysely } from 'kysely';
import { formatYuan } from '../../kernel/money';
import type { DB } from '../../platform/db/schema';
import type { Coding } from './coding';

/** What reconciliation (or the PBOC's reports) says was cleared, per agent bank × pay type, in fen. */
export interface ClearedAmount {
  bankCode: string;
  /** 11 直接支付, 12 授权支付 */
  payTypeCode: string;
  amountFen: bigint;
}
export type ClearedSource = (
  db: Kysely<DB>,
  region: string,
  year: number,
  range: { from?: string | undefined; to?: string | undefined },
) => Promise<ClearedAmount[]>;

let clearedSource: ClearedSource | null = null;

/** Reconciliation registers where cleared amounts come from (none: cleared is null). */
export function registerClearedSource(source: ClearedSource | null): void {
  clearedSource = source;
}

export interface QuotaBalance {
  bankCode: string;
  payTypeCode: string;
  vtCode: string;
  notices: number;
  /** Σ PlanAmt of the notices (yuan): payments − refunds; corrections are zero. */
  issued: string;
  issuedFen: bigint;
  /** Σ cleared (yuan), when a cleared source is registered; null otherwise. */
  cleared: string | null;
  clearedFen: bigint | null;
  /** issued − cleared: quota not yet cleared. */
  balance: string | null;
}

/** 清算额度余额 per agent bank × pay type: issued (from the notices) and cleared (when known). */
export async function quotaBalances(
  db: Kysely<DB>,
  region: string,
  year: number,
  range: { from?: string | undefined; to?: string | undefined } = {},
): Promise<QuotaBalance[]> {
  let q = db
    .selectFrom('clearing.quota_notice')
    .select((eb) => [
      'bank_code',
      'pay_type_code',
      'vt_code',
      eb.fn.countAll<string>().as('n'),
      eb.fn.sum<string>('amount_fen').as('issued'),
    ])
    .where('region_code', '=', region)
    .where('fiscal_year', '=', year)
    .groupBy(['bank_code', 'pay_type_code', 'vt_code'])
    .orderBy('vt_code')
    .orderBy('bank_code');
  if (range.from) q = q.where('pay_date', '>=', range.from);
  if (range.to) q = q.where('pay_date', '<=', range.to);
  const rows = await q.execute();
  const cleared = clearedSource ? await clearedSource(db, region, year, range) : null;
  const clearedBy = new Map<string, bigint>();
  for (const c of cleared ?? [])
    clearedBy.set(
      `${c.bankCode}|${c.payTypeCode}`,
      (clearedBy.get(`${c.bankCode}|${c.payTypeCode}`) ?? 0n) + c.amountFen,
    );
  return rows.map((r) => {
    const issuedFen = BigInt(r.issued ?? 0);
    const clearedFen = cleared ? (clearedBy.get(`${r.bank_code}|${r.pay_type_code}`) ?? 0n) : null;
    return {
      bankCode: r.bank_code,
      payTypeCode: r.pay_type_code,
      vtCode: r.vt_code,
      notices: Number(r.n),
      issued: formatYuan(issuedFen),
      issuedFen,
      cleared: clearedFen === null ? null : formatYuan(clearedFen),
      clearedFen,
      balance: clearedFen === null ? null : formatYuan(issuedFen - clearedFen),
    };
  });
}

export interface StoredQuotaNotice {
  vtCode: string;
  voucherNo: string;
  payDate: string;
  bankCode: string;
  payTypeCode: string;
  seq: number;
  amount: string;
  amountFen: bigint;
  state: string;
  receipts: Record<string, unknown>;
  envelope: string;
  lines: {
    lineNo: number;
    kind: 'payment' | 'refund' | 'correction';
    payVoucherNo: string;
    oriVtCode: string;
    sourceVtCode: string;
    sourceNo: string;
    amountFen: bigint;
    coding: Coding;
  }[];
}

/** The quota notices of a region-year (optionally of one pay date), with their lines. */
export async function quotaNotices(
  db: Kysely<DB>,
  region: string,
  year: number,
  payDate?: string,
): Promise<StoredQuotaNotice[]> {
  let q = db
    .selectFrom('clearing.quota_notice')
    .selectAll()
    .where('region_code', '=', region)
    .where('fiscal_year', '=', year)
    .orderBy('pay_date')
    .orderBy('vt_code')
    .orderBy('bank_code')
    .orderBy('seq');
  if (payDate) q = q.where('pay_date', '=', payDate);
  const notices = await q.execute();
  if (notices.length === 0) return [];
  const lines = await db
    .selectFrom('clearing.quota_line')
    .selectAll()
    .where('region_code', '=', region)
    .where('fiscal_year', '=', year)
    .where(
      'voucher_no',
      'in',
      notices.map((n) => n.voucher_no),
    )
    .orderBy('voucher_no')
    .orderBy('line_no')
    .execute();
  return notices.map((n) => ({
    vtCode: n.vt_code,
    voucherNo: n.voucher_no,
    payDate: n.pay_date,
    bankCode: n.bank_code,
    payTypeCode: n.pay_type_code,
    seq: n.seq,
    amount: formatYuan(n.amount_fen),
    amountFen: n.amount_fen,
    state: n.state,
    receipts: n.receipts as Record<string, unknown>,
    envelope: n.envelope,
    lines: lines
      .filter((l) => l.vt_code === n.vt_code && l.voucher_no === n.voucher_no)
      .map((l) => ({
        lineNo: l.line_no,
        kind: l.kind,
        payVoucherNo: l.pay_voucher_no,
        oriVtCode: l.ori_vt_code,
        sourceVtCode: l.source_vt_code,
        sourceNo: l.source_no,
        amountFen: l.amount_fen,
        coding: l.coding as Coding,
      })),
  }));
}

/** The corrections of an application, newest last. */
export async function paymentCorrections(
  db: Kysely<DB>,
  region: string,
  year: number,
  applicationId: string,
) {
  const rows = await db
    .selectFrom('clearing.correction')
    .selectAll()
    .where('region_code', '=', region)
    .where('fiscal_year', '=', year)
    .where('application_id', '=', applicationId)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({
    correctionId: r.correction_id,
    state: r.state,
    from: r.from_indicator_id,
    to: r.to_indicator_id,
    amount: formatYuan(r.amount_fen),
    vtCode: r.vt_code,
    voucherNo: r.voucher_no,
    sendState: r.send_state,
    preparedBy: r.prepared_by,
    approvedBy: r.approved_by,
    entryId: r.entry_id,
  }));
}
