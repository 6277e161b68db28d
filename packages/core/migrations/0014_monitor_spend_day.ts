import { type Kysely, sql } from 'kysely';

/**
 * 监控历史汇总: each unit's spending per day × departmental economic class × cash × payroll (count,
 * sum, sum of squares), kept by a trigger on payments.application. Monitoring's history windows
 * read these few rows instead of scanning the unit's whole year on every approval. Only entering
 * or leaving the spending states (送审 … 已支付) changes a row; the steps between touch nothing.
 * Cash is classified when the application enters the row, by the settlement mode's name [R], as
 * monitoring does.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table monitor.spend_day (
  region_code    char(9) not null,
  fiscal_year    int     not null,
  agency_code    text    not null,
  on_date        date    not null,
  -- '' when the application has no economic class (the key cannot hold null).
  dep_eco_code   text    not null,
  cash           boolean not null,
  payroll        boolean not null,
  n              int     not null,
  s              bigint  not null,
  ss             numeric not null,
  primary key (region_code, fiscal_year, agency_code, on_date, dep_eco_code, cash, payroll)
);

create function monitor.spend_day_add(r char(9), y int, ag text, d date, eco text, mode text, pak text,
    amt bigint, sign int) returns void language plpgsql as $fn$
begin
  insert into monitor.spend_day as t values (r, y, ag, d, coalesce(eco, ''),
    exists (select 1 from basedata.code_item c where c.region_code = r and c.fiscal_year = y
      and c.set_code = 'settlementMode' and c.code = mode and (c.name like '%现金%' or c.name like '%提现%')),
    pak = 'payroll', sign, sign * amt, sign * amt::numeric * amt)
  on conflict (region_code, fiscal_year, agency_code, on_date, dep_eco_code, cash, payroll)
  do update set n = t.n + excluded.n, s = t.s + excluded.s, ss = t.ss + excluded.ss;
end $fn$;

create function monitor.spend_day_apply() returns trigger language plpgsql as $fn$
declare
  spending constant text[] := array['submitted', 'unitApproved', 'approved', 'held', 'voucherSigned', 'paid'];
  was boolean := false;
  now_in boolean := false;
begin
  if tg_op <> 'INSERT' then
    was := old.state = any(spending) and old.submitted_on is not null and old.agency_code is not null;
  end if;
  if tg_op <> 'DELETE' then
    now_in := new.state = any(spending) and new.submitted_on is not null and new.agency_code is not null;
  end if;
  -- A step inside the spending states with the same key changes nothing.
  if was and now_in and old.region_code = new.region_code and old.fiscal_year = new.fiscal_year
     and old.agency_code = new.agency_code and old.submitted_on = new.submitted_on
     and old.dep_eco_code is not distinct from new.dep_eco_code and old.settlement_mode = new.settlement_mode
     and old.payee_account_kind = new.payee_account_kind and old.amount_fen = new.amount_fen then
    return null;
  end if;
  if was then
    perform monitor.spend_day_add(old.region_code, old.fiscal_year, old.agency_code, old.submitted_on,
      old.dep_eco_code, old.settlement_mode, old.payee_account_kind, old.amount_fen, -1);
  end if;
  if now_in then
    perform monitor.spend_day_add(new.region_code, new.fiscal_year, new.agency_code, new.submitted_on,
      new.dep_eco_code, new.settlement_mode, new.payee_account_kind, new.amount_fen, 1);
  end if;
  return null;
end $fn$;

create trigger application_spend_day
  after insert or delete or update of state, submitted_on, amount_fen, dep_eco_code, settlement_mode,
    payee_account_kind, agency_code
  on payments.application for each row execute function monitor.spend_day_apply();

-- Earlier payments to the same payee account (重复/拆分支付): a few rows by index, not the year.
create index application_payee_history on payments.application
  (region_code, fiscal_year, agency_code, (payee->>'accountNo'), submitted_on);

insert into monitor.spend_day
select a.region_code, a.fiscal_year, a.agency_code, a.submitted_on, coalesce(a.dep_eco_code, ''),
  exists (select 1 from basedata.code_item c where c.region_code = a.region_code and c.fiscal_year = a.fiscal_year
    and c.set_code = 'settlementMode' and c.code = a.settlement_mode and (c.name like '%现金%' or c.name like '%提现%')),
  a.payee_account_kind = 'payroll', count(*), sum(a.amount_fen), sum(a.amount_fen::numeric * a.amount_fen)
from payments.application a
where a.state in ('submitted', 'unitApproved', 'approved', 'held', 'voucherSigned', 'paid')
  and a.submitted_on is not null and a.agency_code is not null
group by 1, 2, 3, 4, 5, 6, 7;
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
drop trigger application_spend_day on payments.application;
drop function monitor.spend_day_apply();
drop function monitor.spend_day_add(char(9), int, text, date, text, text, text, bigint, int);
drop index payments.application_payee_history;
drop table monitor.spend_day;
`.execute(db);
}
