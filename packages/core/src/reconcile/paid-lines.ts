import { type Kysely, sql } from 'kysely';
import type { DB } from '../platform/db/schema';
import type { LineAmount } from './domain/clearing-check';

/**
 * What finance paid on `date` per coding line (一级单位 | 功能科目 | 资金性质 | 支付方式), refunds of
 * that day negative: from the coding each voucher was signed and paid under (migration 0015).
 */
export async function financePaidLines(trx: Kysely<DB>, region: string, date: string): Promise<LineAmount[]> {
  const d8 = date.replaceAll('-', '');
  const r = await sql<{ key: string; fen: string }>`
select concat_ws('|', coalesce(sup_dep_code, ''), coalesce(exp_func_code, ''), coalesce(fund_type_code, ''),
         coalesce(pay_type_code, '')) as key, sum(fen)::text as fen
from (
  select v.sup_dep_code, v.exp_func_code, v.fund_type_code, v.pay_type_code, v.x_pay_amt_fen as fen
  from payments.voucher v
  where v.region_code = ${region} and v.x_pay_date = ${d8} and v.x_pay_amt_fen is not null
    and v.vt_code in ('5201', '8202')
  union all
  select v.sup_dep_code, v.exp_func_code, v.fund_type_code, v.pay_type_code, -r.amount_fen
  from payments.refund_notice r
  join payments.voucher v on v.region_code = r.region_code and v.fiscal_year = r.fiscal_year
    and v.vt_code = r.ori_vt_code and v.voucher_no = r.ori_voucher_no
  where r.region_code = ${region} and r.pay_date = ${d8}
) x
group by 1`.execute(trx);
  return r.rows.map((x) => ({ key: x.key, fen: BigInt(x.fen) }));
}

/** Reports' lines per coding line (3504 ClearAmt, 3410 PayAmt), summed over the reports. */
export async function reportLines(
  trx: Kysely<DB>,
  reportIds: readonly (bigint | string)[],
): Promise<LineAmount[]> {
  if (reportIds.length === 0) return [];
  const r = await sql<{ key: string; fen: string }>`
select concat_ws('|', coalesce(sup_dep_code, ''), coalesce(exp_func_code, ''), coalesce(fund_type_code, ''),
         coalesce(pay_type_code, '')) as key, sum(amount_fen)::text as fen
from reconcile.report_line where report_id = any(${reportIds.map(String)}::bigint[])
group by 1`.execute(trx);
  return r.rows.map((x) => ({ key: x.key, fen: BigInt(x.fen) }));
}
