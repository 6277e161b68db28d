import { type Kysely, sql } from 'kysely';

/**
 * 对账编码: the coding a paid voucher is cleared under (单位 | 功能科目 | 一级单位 | 资金性质 | 支付方式)
 * kept on the voucher when it is signed (as paid: a later 更正 is reconciled on its own day, so a
 * rerun of the pay day still matches the bank's report of it), and the coding of each
 * line of the bank's 2206, both as the id of one row of reconcile.coding. Reconciliation then
 * compares two integers per voucher instead of joining the day's vouchers to their applications
 * and indicators and comparing texts (docs/benchmarks.md, `fiscus bench reconcile`). The day's
 * indexes end in the voucher number, so the few vouchers that differ are read back by key. The
 * PBOC's 3504 清算信息对账 is stored as a report too, with finance's check result.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table reconcile.coding (
  region_code char(9) not null,
  coding_id   int     generated always as identity,
  -- agency|expFunc|supDep|fundType|payType, '' for a missing part (reconcile/coding.ts).
  coding      text    collate "C" not null,
  primary key (region_code, coding_id),
  unique (region_code, coding)
);

alter table payments.voucher
  add column agency_code    text,
  add column exp_func_code  text,
  add column sup_dep_code   text,
  add column fund_type_code text,
  add column pay_type_code  text,
  add column coding_id      int;
-- As paid: a corrected application's first approved correction says what it was paid under.
update payments.voucher v
set agency_code = coalesce(c.from_coding->>'agencyCode', a.agency_code),
    exp_func_code = coalesce(c.from_coding->>'expFuncCode', i.exp_func_code),
    sup_dep_code = coalesce(c.from_coding->>'supDepCode', i.dept_code),
    fund_type_code = coalesce(c.from_coding->>'fundTypeCode', i.fund_type_code),
    pay_type_code = case a.pay_type when 'direct' then '11' when 'authorized' then '12' else '2' end
from payments.application a
join indicators.indicator i on i.region_code = a.region_code and i.fiscal_year = a.fiscal_year
  and i.indicator_id = a.indicator_id
left join lateral (
  select from_coding from clearing.correction c
  where c.region_code = a.region_code and c.fiscal_year = a.fiscal_year and c.application_id = a.application_id
    and c.state = 'approved'
  order by c.approved_on, c.updated_at limit 1
) c on true
where a.region_code = v.region_code and a.fiscal_year = v.fiscal_year and a.application_id = v.application_id;
insert into reconcile.coding (region_code, coding)
select distinct region_code, concat_ws('|', coalesce(agency_code, ''), coalesce(exp_func_code, ''),
  coalesce(sup_dep_code, ''), coalesce(fund_type_code, ''), coalesce(pay_type_code, ''))
from payments.voucher where pay_type_code is not null
on conflict do nothing;
update payments.voucher v set coding_id = c.coding_id
from reconcile.coding c
where c.region_code = v.region_code and c.coding = concat_ws('|', coalesce(v.agency_code, ''),
  coalesce(v.exp_func_code, ''), coalesce(v.sup_dep_code, ''), coalesce(v.fund_type_code, ''),
  coalesce(v.pay_type_code, ''));
alter table payments.voucher add foreign key (region_code, coding_id) references reconcile.coding;

alter table reconcile.report_line add column coding_id int;
insert into reconcile.coding (region_code, coding)
select distinct region_code, concat_ws('|', coalesce(agency_code, ''), coalesce(exp_func_code, ''),
  coalesce(sup_dep_code, ''), coalesce(fund_type_code, ''), coalesce(pay_type_code, ''))
from reconcile.report_line where vt_code = '2206'
on conflict do nothing;
update reconcile.report_line l set coding_id = c.coding_id
from reconcile.coding c
where l.vt_code = '2206' and c.region_code = l.region_code and c.coding = concat_ws('|',
  coalesce(l.agency_code, ''), coalesce(l.exp_func_code, ''), coalesce(l.sup_dep_code, ''),
  coalesce(l.fund_type_code, ''), coalesce(l.pay_type_code, ''));
alter table reconcile.report_line add foreign key (region_code, coding_id) references reconcile.coding;

-- 3504 清算信息对账 from the PBOC, answered with finance's check of it (XCheckResult 0 相符 / 1 不符).
alter table reconcile.report drop constraint report_vt_code_check;
alter table reconcile.report add constraint report_vt_code_check
  check (vt_code in ('2206', '3410', '3501', '3504', '3513'));
alter table reconcile.report add column check_result char(1) check (check_result in ('0', '1')),
  add column check_reason text;

drop index payments.voucher_paid_on;
create index voucher_paid_on on payments.voucher (region_code, x_pay_date, voucher_no) where x_pay_date is not null;
drop index reconcile.report_line_by_date;
create index report_line_by_date on reconcile.report_line (region_code, report_date, vt_code, voucher_no);
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
delete from reconcile.report where vt_code = '3504';
alter table reconcile.report drop column check_result, drop column check_reason;
alter table reconcile.report drop constraint report_vt_code_check;
alter table reconcile.report add constraint report_vt_code_check
  check (vt_code in ('2206', '3410', '3501', '3513'));
drop index reconcile.report_line_by_date;
create index report_line_by_date on reconcile.report_line (region_code, report_date, vt_code);
drop index payments.voucher_paid_on;
create index voucher_paid_on on payments.voucher (region_code, x_pay_date) where x_pay_date is not null;
alter table reconcile.report_line drop column coding_id;
alter table payments.voucher drop column coding_id, drop column agency_code, drop column exp_func_code,
  drop column sup_dep_code, drop column fund_type_code, drop column pay_type_code;
drop table reconcile.coding;
`.execute(db);
}
