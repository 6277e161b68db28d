import { type Kysely, sql } from 'kysely';

/**
 * 支付凭证: an approved application becomes a signed 5201 / 8202 / 5207 voucher, kept as the outer
 * MOF envelope that will be sent to the voucher library. Its numbers come from one sequence, so a
 * VoucherNo is unique per region, year and VtCode. The application gains the state
 * `voucherSigned`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table payments.application drop constraint application_state_check;
alter table payments.application add constraint application_state_check
  check (state in ('draft', 'submitted', 'unitApproved', 'approved', 'voucherSigned', 'returned', 'refused', 'voided'));

create sequence payments.voucher_seq;

create table payments.voucher (
  region_code     char(9)     not null,
  fiscal_year     int         not null,
  vt_code         char(4)     not null,
  voucher_no      text        not null,
  application_id  text        not null,
  amount_fen      bigint      not null check (amount_fen > 0),
  -- The <MOF> envelope (VoucherFlag 0) with the signed inner voucher, UTF-8 XML text.
  envelope        text        not null,
  signed_by       text        not null,
  key_id          text        not null,
  -- Sender's library status (0 未接收 … 6 被退回); nothing is sent yet.
  library_status  int         not null default 0 check (library_status between 0 and 6),
  created_at      timestamptz not null,
  primary key (region_code, fiscal_year, vt_code, voucher_no),
  foreign key (region_code, fiscal_year, application_id) references payments.application
);
create index voucher_application on payments.voucher (region_code, fiscal_year, application_id);
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
drop table payments.voucher;
drop sequence payments.voucher_seq;
alter table payments.application drop constraint application_state_check;
alter table payments.application add constraint application_state_check
  check (state in ('draft', 'submitted', 'unitApproved', 'approved', 'returned', 'refused', 'voided'));
`.execute(db);
}
