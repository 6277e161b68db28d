import { type Kysely, sql } from 'kysely';
import type { DB } from '../platform/db/schema';

/** Issued clearing quota of one coding line (一级单位 × 功能科目 × 资金性质 × 支付方式 × 代理银行). */
export interface QuotaLine {
  supDep: string | null;
  expFunc: string | null;
  fundType: string | null;
  payType: string;
  bank: string;
  amount: bigint;
}

/** Quota per agent bank × pay type: before D (opening side) and on D. */
export interface QuotaBalance {
  bank: string;
  payType: string;
  issuedBefore: bigint;
  issuedOn: bigint;
}

/**
 * The L2 quota part's finance side: the quota notice lines (5108 / 5106, clearing.quota_notice and
 * clearing.quota_line of migration 0012) issued for `date`, and the issued totals per bank × pay
 * type before and on `date`. `null` when the region issued no notice for the date (the quota part
 * is then not compared; the run says so with `quotaChecked: false`).
 */
export async function loadQuotaIssued(
  trx: Kysely<DB>,
  region: string,
  date: string,
): Promise<{ lines: QuotaLine[]; balances: QuotaBalance[] } | null> {
  const lines = await sql<{
    sup_dep: string | null;
    exp_func: string | null;
    fund_type: string | null;
    pay_type: string;
    bank: string;
    amount: string;
  }>`
select q.coding->>'supDepCode' as sup_dep, q.coding->>'expFuncCode' as exp_func,
       q.coding->>'fundTypeCode' as fund_type, n.pay_type_code as pay_type, n.bank_code as bank,
       sum(q.amount_fen)::text as amount
from clearing.quota_notice n
join clearing.quota_line q on q.region_code = n.region_code and q.fiscal_year = n.fiscal_year
  and q.vt_code = n.vt_code and q.voucher_no = n.voucher_no
where n.region_code = ${region} and n.pay_date = ${date}
group by 1, 2, 3, 4, 5`.execute(trx);
  if (lines.rows.length === 0) return null;
  const balances = await sql<{ bank: string; pay_type: string; before: string; on_date: string }>`
select bank_code as bank, pay_type_code as pay_type,
       coalesce(sum(amount_fen) filter (where pay_date < ${date}), 0)::text as before,
       coalesce(sum(amount_fen) filter (where pay_date = ${date}), 0)::text as on_date
from clearing.quota_notice
where region_code = ${region} and pay_date <= ${date}
group by 1, 2`.execute(trx);
  return {
    lines: lines.rows.map((r) => ({
      supDep: r.sup_dep,
      expFunc: r.exp_func,
      fundType: r.fund_type,
      payType: r.pay_type,
      bank: r.bank,
      amount: BigInt(r.amount),
    })),
    balances: balances.rows.map((r) => ({
      bank: r.bank,
      payType: r.pay_type,
      issuedBefore: BigInt(r.before),
      issuedOn: BigInt(r.on_date),
    })),
  };
}
