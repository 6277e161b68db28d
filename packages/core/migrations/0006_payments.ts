import { type Kysely, sql } from 'kysely';

/**
 * 国库集中支付: payment applications with their review history. The reservation and its release
 * are ledger entries (scenarios 12 and 14); the application keeps their ids.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create schema if not exists payments;

create table payments.application (
  region_code         char(9)     not null,
  fiscal_year         int         not null,
  application_id      text        not null,
  pay_type            text        not null check (pay_type in ('direct', 'authorized', 'allocation')),
  indicator_id        text        not null,
  agency_code         text,
  amount_fen          bigint      not null check (amount_fen > 0),
  purpose             text        not null,
  settlement_mode     text        not null,
  -- 收款人 as checked at drafting (from the registry or entered): name, account, bank, bank number.
  payee               jsonb       not null,
  payee_account_kind  text        not null check (payee_account_kind in ('payroll', 'other')),
  contract_no         text,
  beneficiaries       jsonb       not null,
  state               text        not null
    check (state in ('draft', 'submitted', 'unitApproved', 'approved', 'returned', 'refused', 'voided')),
  prepared_by         text        not null,
  submitted_by        text,
  cosigned_by         text,
  unit_approved_by    text,
  reviewed_by         text,
  reserve_entry_id    bigint,
  release_entry_id    bigint,
  created_at          timestamptz not null,
  updated_at          timestamptz not null,
  primary key (region_code, fiscal_year, application_id)
);
create index application_state on payments.application (region_code, fiscal_year, state);
create index application_indicator on payments.application (region_code, fiscal_year, indicator_id);

create sequence payments.application_seq;

create table payments.application_action (
  region_code     char(9)     not null,
  fiscal_year     int         not null,
  application_id  text        not null,
  seq             int         not null,
  action          text        not null,
  actor           text        not null,
  opinion         text,
  at              timestamptz not null,
  primary key (region_code, fiscal_year, application_id, seq),
  foreign key (region_code, fiscal_year, application_id) references payments.application
);

-- 用款计划: a unit's plan for a month or quarter, approved by the treasury division; its effect is
-- 借 2101 / 贷 2301 per line (the indicator's amount moves into the plan that payments then spend).
create table payments.use_plan (
  region_code   char(9)     not null,
  fiscal_year   int         not null,
  plan_id       text        not null,
  agency_code   text        not null,
  period        text        not null check (period ~ '^[0-9]{4}-(0[1-9]|1[0-2]|Q[1-4])$'),
  lines         jsonb       not null,
  amount_fen    bigint      not null,
  state         text        not null check (state in ('draft', 'submitted', 'approved', 'returned', 'voided')),
  step          int         not null default 0,
  route         jsonb       not null,
  prepared_by   text        not null,
  submitted_by  text,
  approved_by   text[]      not null default '{}',
  entry_ids     jsonb,
  created_at    timestamptz not null,
  updated_at    timestamptz not null,
  primary key (region_code, fiscal_year, plan_id)
);
create sequence payments.use_plan_seq;
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop schema payments cascade`.execute(db);
}
