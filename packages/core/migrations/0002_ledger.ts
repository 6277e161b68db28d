import { type Kysely, sql } from 'kysely';

/**
 * 预算指标核算: chart, element keys, append-only journal with a deferred balance check,
 * balances (running total and per month), control rules, settings and 以收定支 receipts.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create schema if not exists ledger;

create table ledger.account (
  region_code    char(9) not null,
  fiscal_year    int     not null,
  code           text    not null,
  name           text    not null,
  normal_side    text    not null check (normal_side in ('debit', 'credit')),
  account_class  text    not null check (account_class in ('source', 'holding')),
  allow_negative boolean not null default false,
  enabled        boolean not null default true,
  primary key (region_code, fiscal_year, code)
);

-- One row per distinct element set: lines and balances refer to it by id.
create table ledger.element_key (
  region_code          char(9) not null,
  fiscal_year          int     not null,
  id                   bigint  generated always as identity,
  key_text             text    not null,
  indicator_id         text,
  origin_indicator_id  text,
  agency_code          text,
  dept_code            text,
  project_code         text,
  exp_func_code        text,
  tp_func_code         text,
  gov_eco_code         text,
  dep_eco_code         text,
  fund_type_code       text    not null,
  source_type_code     text,
  indicator_type_code  text,
  pay_type_code        text,
  manage_div_code      text,
  doc_no               text,
  sup_doc_no           text,
  receiving_region     char(9),
  track_project_code   text,
  flags                jsonb   not null,
  primary key (region_code, fiscal_year, id),
  unique (region_code, fiscal_year, key_text)
);
create index element_key_indicator on ledger.element_key (region_code, fiscal_year, indicator_id);

create table ledger.entry (
  region_code       char(9)     not null,
  fiscal_year       int         not null,
  id                bigint      not null,
  scenario          text        not null,
  business_date     date        not null,
  command_id        text,
  reverses_entry_id bigint,
  debit_fen         bigint      not null check (debit_fen > 0),
  credit_fen        bigint      not null,
  recorded_at       timestamptz not null default now(),
  primary key (region_code, fiscal_year, id),
  check (debit_fen = credit_fen)
);
create sequence ledger.entry_id_seq;
-- An entry is reversed at most once.
create unique index entry_reversed_once on ledger.entry (region_code, fiscal_year, reverses_entry_id)
  where reverses_entry_id is not null;

create table ledger.line (
  region_code    char(9) not null,
  fiscal_year    int     not null,
  entry_id       bigint  not null,
  line_no        int     not null,
  account        text    not null,
  side           text    not null check (side in ('debit', 'credit')),
  amount_fen     bigint  not null check (amount_fen > 0),
  element_key_id bigint  not null,
  business_date  date    not null,
  primary key (region_code, fiscal_year, entry_id, line_no),
  foreign key (region_code, fiscal_year, entry_id) references ledger.entry (region_code, fiscal_year, id),
  foreign key (region_code, fiscal_year, element_key_id) references ledger.element_key (region_code, fiscal_year, id)
);
create index line_by_key on ledger.line (region_code, fiscal_year, element_key_id, account);

-- Invariant 1 in the database: at commit, every entry's lines balance and match its header.
create function ledger.check_entry_balanced() returns trigger language plpgsql as $$
declare d bigint; c bigint; hd bigint;
begin
  if new.line_no <> 1 then return null; end if;
  select coalesce(sum(amount_fen) filter (where side = 'debit'), 0),
         coalesce(sum(amount_fen) filter (where side = 'credit'), 0)
    into d, c
    from ledger.line where region_code = new.region_code and fiscal_year = new.fiscal_year and entry_id = new.entry_id;
  select debit_fen into hd from ledger.entry
   where region_code = new.region_code and fiscal_year = new.fiscal_year and id = new.entry_id;
  if d <> c or d <> hd then
    raise exception 'entry %/%/% does not balance: debit %, credit %, header %', new.region_code, new.fiscal_year, new.entry_id, d, c, hd
      using errcode = '23514';
  end if;
  return null;
end $$;
create constraint trigger line_balanced after insert on ledger.line
  deferrable initially deferred for each row execute function ledger.check_entry_balanced();

create trigger entry_append_only before update or delete on ledger.entry
  for each row execute function platform.forbid_change();
create trigger line_append_only before update or delete on ledger.line
  for each row execute function platform.forbid_change();
create trigger element_key_append_only before update or delete on ledger.element_key
  for each row execute function platform.forbid_change();

-- Running totals: the row the engine locks (SELECT … FOR UPDATE) to serialize writers per balance.
create table ledger.balance (
  region_code    char(9) not null,
  fiscal_year    int     not null,
  account        text    not null,
  element_key_id bigint  not null,
  debit_fen      bigint  not null default 0,
  credit_fen     bigint  not null default 0,
  primary key (region_code, fiscal_year, account, element_key_id)
);

-- Movements per month: "as of a date" reads these plus one month of lines, never the year's.
create table ledger.balance_month (
  region_code    char(9) not null,
  fiscal_year    int     not null,
  account        text    not null,
  element_key_id bigint  not null,
  month          int     not null check (month between 1 and 12),
  debit_fen      bigint  not null default 0,
  credit_fen     bigint  not null default 0,
  primary key (region_code, fiscal_year, account, element_key_id, month)
);

create table ledger.control_rule (
  region_code char(9) not null,
  code        text    not null,
  version     int     not null,
  kind        text    not null,
  name_zh     text    not null,
  name_en     text    not null,
  scope       jsonb   not null,
  action      text    not null check (action in ('block', 'warn')),
  tolerance   jsonb,
  params      jsonb   not null,
  enabled     boolean not null,
  created_by  text    not null,
  created_at  timestamptz not null default now(),
  primary key (region_code, code, version)
);
create trigger control_rule_append_only before update or delete on ledger.control_rule
  for each row execute function platform.forbid_change();

create table ledger.setting (
  region_code char(9) primary key,
  use_plans   boolean not null default false
);

-- 以收定支: receipts credited per fund type and agency (fed by non-tax revenue later).
create table ledger.receipt (
  region_code    char(9) not null,
  fiscal_year    int     not null,
  fund_type_code text    not null,
  agency_code    text    not null default '',
  amount_fen     bigint  not null default 0,
  primary key (region_code, fiscal_year, fund_type_code, agency_code)
);
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop schema if exists ledger cascade`.execute(db);
}
