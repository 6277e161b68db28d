import { type Kysely, sql } from 'kysely';

/**
 * 电子凭证库 outbox: each voucher remembers its send attempts, when it may be sent next (backoff)
 * and the last error, so a sender that dies or a bank that is down loses nothing and sends again.
 * 退票 after payment: a 2203 refund notice per voucher (at most one: the primary key on the original
 * voucher), and the application state `refunded`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table payments.voucher add column send_attempt int not null default 0;
alter table payments.voucher add column next_send_at timestamptz;
alter table payments.voucher add column sent_at timestamptz;
alter table payments.voucher add column last_send_error text;
-- The outbox: vouchers still to (re)send, found without scanning answered ones.
create index voucher_outbox on payments.voucher (next_send_at)
  where library_status in (0, 2, 4) and answered_at is null;

alter table payments.application drop constraint application_state_check;
alter table payments.application add constraint application_state_check
  check (state in ('draft', 'submitted', 'unitApproved', 'approved', 'voucherSigned', 'paid', 'bankReturned',
                   'refunded', 'returned', 'refused', 'voided'));
alter table payments.application add column refund_entry_id bigint;

create table payments.refund_notice (
  region_code      char(9)     not null,
  fiscal_year      int         not null,
  ori_vt_code      char(4)     not null,
  ori_voucher_no   text        not null,
  vt_code          char(4)     not null,
  voucher_no       text        not null,
  application_id   text        not null,
  amount_fen       bigint      not null check (amount_fen > 0),
  agent_business_no text       not null,
  pay_date         text        not null,
  reason           text,
  entry_id         bigint      not null,
  received_at      timestamptz not null,
  -- A voucher is refunded at most once (DOMAIN.md §4.6: a detail may not be refunded twice).
  primary key (region_code, fiscal_year, ori_vt_code, ori_voucher_no),
  unique (region_code, fiscal_year, vt_code, voucher_no),
  foreign key (region_code, fiscal_year, ori_vt_code, ori_voucher_no) references payments.voucher
);
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
drop table payments.refund_notice;
alter table payments.application drop column refund_entry_id;
alter table payments.application drop constraint application_state_check;
alter table payments.application add constraint application_state_check
  check (state in ('draft', 'submitted', 'unitApproved', 'approved', 'voucherSigned', 'paid', 'bankReturned',
                   'returned', 'refused', 'voided'));
drop index payments.voucher_outbox;
alter table payments.voucher drop column send_attempt, drop column next_send_at, drop column sent_at,
  drop column last_send_error;
`.execute(db);
}
