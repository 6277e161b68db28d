import { type Kysely, sql } from 'kysely';

/**
 * 回单 and 退回 from the agent bank: the application is paid (scenario 13) or returned by the bank
 * (scenario 14); the voucher keeps what the bank reported (X-fields) and the sender's status.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table payments.application drop constraint application_state_check;
alter table payments.application add constraint application_state_check
  check (state in ('draft', 'submitted', 'unitApproved', 'approved', 'voucherSigned', 'paid', 'bankReturned',
                   'returned', 'refused', 'voided'));
alter table payments.application add column paid_entry_id bigint;
alter table payments.voucher add column x_pay_date text;
alter table payments.voucher add column x_pay_amt_fen bigint;
alter table payments.voucher add column x_agent_business_no text;
alter table payments.voucher add column return_reason text;
alter table payments.voucher add column answered_at timestamptz;
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table payments.voucher drop column x_pay_date, drop column x_pay_amt_fen, drop column x_agent_business_no,
  drop column return_reason, drop column answered_at;
alter table payments.application drop column paid_entry_id;
alter table payments.application drop constraint application_state_check;
alter table payments.application add constraint application_state_check
  check (state in ('draft', 'submitted', 'unitApproved', 'approved', 'voucherSigned', 'returned', 'refused', 'voided'));
`.execute(db);
}
