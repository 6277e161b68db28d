import { type Kysely, sql } from 'kysely';
import type { DB } from '../../platform/db/schema';
import type { ControlRule } from '../domain/control-types';
import type { Posting } from '../domain/posting';

const SPENDING = new Set(['2401', '2501']);

interface Item {
  scenario: string;
  postings: Posting[];
}

/**
 * 以收定支 figures for a batch: receipts credited and spending (in flight + paid) per year, fund
 * type and agency, loaded once for the pairs the batch pays from and kept current as items pass.
 */
export class ReceiptBook {
  private readonly receipt = new Map<string, bigint>();
  private readonly spending = new Map<string, bigint>();

  private constructor(private readonly fundTypes: readonly string[]) {}

  static async load(
    trx: Kysely<DB>,
    region: string,
    items: readonly Item[],
    rules: readonly ControlRule[],
  ): Promise<ReceiptBook> {
    const rule = rules.find((r) => r.kind === 'spendWithinReceipts' && r.enabled);
    const fundTypes = ((rule?.params.fundTypes as string[] | undefined) ?? ['21', '3']).slice();
    const book = new ReceiptBook(rule ? fundTypes : []);
    if (!rule) return book;
    const pairs = new Map<string, { y: number; f: string; a: string }>();
    for (const it of items) {
      if (it.scenario !== 'applicationApproved') continue;
      for (const p of it.postings)
        for (const l of p.lines) {
          if (!fundTypes.some((f) => l.elements.fundTypeCode.startsWith(f))) continue;
          const a = l.elements.agencyCode ?? '';
          pairs.set(`${p.year}|${l.elements.fundTypeCode}|${a}`, {
            y: p.year,
            f: l.elements.fundTypeCode,
            a,
          });
        }
    }
    if (pairs.size === 0) return book;
    const ps = [...pairs.values()];
    const ys = ps.map((p) => p.y);
    const fs = ps.map((p) => p.f);
    const as = ps.map((p) => p.a);
    const rec = await sql<{
      fiscal_year: number;
      fund_type_code: string;
      agency_code: string;
      amount_fen: bigint;
    }>`
      select r.fiscal_year, r.fund_type_code, r.agency_code, r.amount_fen from ledger.receipt r
      join unnest(${ys}::int[], ${fs}::text[], ${as}::text[]) w(y, f, a)
        on r.fiscal_year = w.y and r.fund_type_code = w.f and r.agency_code = w.a
      where r.region_code = ${region}`.execute(trx);
    for (const r of rec.rows)
      book.receipt.set(`${r.fiscal_year}|${r.fund_type_code}|${r.agency_code}`, r.amount_fen);
    const sp = await sql<{ y: number; f: string; a: string; amount: bigint }>`
      select b.fiscal_year as y, k.fund_type_code as f, coalesce(k.agency_code, '') as a,
             sum(b.credit_fen - b.debit_fen)::bigint as amount
      from ledger.balance b
      join ledger.element_key k on k.region_code = b.region_code and k.fiscal_year = b.fiscal_year and k.id = b.element_key_id
      join unnest(${ys}::int[], ${fs}::text[], ${as}::text[]) w(y, f, a)
        on b.fiscal_year = w.y and k.fund_type_code = w.f and coalesce(k.agency_code, '') = w.a
      where b.region_code = ${region} and b.account in ('2401', '2501')
      group by 1, 2, 3`.execute(trx);
    for (const r of sp.rows) book.spending.set(`${r.y}|${r.f}|${r.a}`, r.amount);
    return book;
  }

  receipts(year: number, fundType: string, agency: string | null): bigint {
    return this.receipt.get(`${year}|${fundType}|${agency ?? ''}`) ?? 0n;
  }

  spent(year: number, fundType: string, agency: string | null): bigint {
    return this.spending.get(`${year}|${fundType}|${agency ?? ''}`) ?? 0n;
  }

  /** Keep spending current inside the batch: credits to 2401/2501 spend, debits release. */
  record(p: Posting): void {
    if (this.fundTypes.length === 0) return;
    for (const l of p.lines) {
      if (!SPENDING.has(l.account)) continue;
      const k = `${p.year}|${l.elements.fundTypeCode}|${l.elements.agencyCode ?? ''}`;
      // Moving 2401 → 2501 nets out: spending is the sum of both.
      this.spending.set(k, (this.spending.get(k) ?? 0n) + (l.side === 'credit' ? l.amount : -l.amount));
    }
  }
}
