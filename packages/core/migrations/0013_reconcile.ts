import { type Kysely, sql } from 'kysely';

/**
 * 对账 (issue 6, docs/design/clearing-protocol.md): the counterpart reports finance receives (2206
 * from the agent bank, 3410 / 3501 from the PBOC, 3513 from both) with their lines, the messages the
 * inbox refused for a bad signature, and the reconciliation runs of a date with their per layer ×
 * pair figures and every difference (with its disposition: open → assigned → explained → resolved).
 * A rerun of a date supersedes the earlier run (kept) and carries the dispositions of unchanged
 * differences. Indexes let a day's paid vouchers, refunds and paid ledger movement be read without
 * scanning the year.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create schema if not exists reconcile;

create sequence reconcile.report_seq;
create table reconcile.report (
  report_id     bigint      primary key default nextval('reconcile.report_seq'),
  region_code   char(9)     not null,
  fiscal_year   int         not null,
  sender        text        not null check (sender in ('bank', 'pboc')),
  -- PayBankCode / TreCode / BankCode of the header, else the signing key.
  sender_code   text        not null,
  key_id        text        not null,
  vt_code       char(4)     not null check (vt_code in ('2206', '3410', '3501', '3513')),
  voucher_no    text        not null,
  report_date   date        not null,
  -- PayAmt (2206, 3410), AllAmt (3501); null on 3513.
  amount_fen    bigint,
  pos_amt_fen   bigint,
  neg_amt_fen   bigint,
  fund_type_code text,
  pay_type_code text,
  pay_bank_code text,
  e_voucher_type text,
  acct_no       text,
  acct_name     text,
  acct_kind     text,
  open_fen      bigint,
  debit_fen     bigint,
  credit_fen    bigint,
  close_fen     bigint,
  line_count    int         not null,
  header        jsonb       not null,
  content_sha   char(64)    not null,
  received_at   timestamptz not null,
  -- VoucherNo is unique per sender and type: a resend is a duplicate, never counted twice.
  unique (region_code, sender, vt_code, voucher_no)
);
create index report_by_date on reconcile.report (region_code, report_date, vt_code);

create table reconcile.report_line (
  report_id      bigint  not null references reconcile.report on delete cascade,
  line_no        int     not null,
  -- Copied from the header, so a day's lines are read without joining the reports.
  region_code    char(9) not null,
  report_date    date    not null,
  vt_code        char(4) not null,
  voucher_no     text,
  ori_vt_code    text,
  sup_dep_code   text,
  agency_code    text,
  exp_func_code  text,
  fund_type_code text,
  pay_type_code  text,
  pay_bank_code  text,
  -- Signed: a 2206 refund line is negative; 3501 lines carry ProState (0 正常, 1 退回).
  amount_fen     bigint  not null,
  pro_state      smallint,
  primary key (report_id, line_no)
);
create index report_line_by_date on reconcile.report_line (region_code, report_date, vt_code);

create table reconcile.rejected_message (
  rejected_id   bigint      generated always as identity primary key,
  region_code   char(9)     not null,
  fiscal_year   int         not null,
  sender        text        not null check (sender in ('bank', 'pboc')),
  key_id        text,
  vt_code       char(4)     not null,
  voucher_no    text        not null,
  -- The business date the message speaks of (ReportDate, CheckDate, XPayDate …), else the day received.
  message_date  date        not null,
  reason        text        not null,
  received_at   timestamptz not null
);
create index rejected_by_date on reconcile.rejected_message (region_code, message_date);

create sequence reconcile.run_seq;
create table reconcile.run (
  run_id          text        primary key,
  region_code     char(9)     not null,
  fiscal_year     int         not null,
  run_date        date        not null,
  parties         text[]      not null,
  state           text        not null check (state in ('current', 'superseded')),
  supersedes      text        references reconcile.run,
  superseded_by   text        references reconcile.run,
  difference_count int        not null,
  -- Whether the L2 quota part (clearing.* quota notices) was compared.
  quota_checked   boolean     not null,
  run_by          text        not null,
  command_id      text        not null,
  ran_at          timestamptz not null,
  duration_ms     int         not null
);
create unique index run_current on reconcile.run (region_code, run_date) where state = 'current';
create index run_by_date on reconcile.run (region_code, run_date);

create table reconcile.run_pair (
  run_id           text    not null references reconcile.run,
  layer            text    not null check (layer in ('L1', 'L2', 'L3')),
  pair             text    not null check (pair in ('finance-bank', 'finance-pboc', 'bank-pboc', 'finance-ledger')),
  count_a          int     not null,
  count_b          int     not null,
  matched_count    int     not null,
  matched_fen      bigint  not null,
  difference_count int     not null,
  primary key (run_id, layer, pair)
);

create sequence reconcile.difference_seq;
create table reconcile.difference (
  difference_id  text        primary key,
  run_id         text        not null references reconcile.run,
  region_code    char(9)     not null,
  fiscal_year    int         not null,
  run_date       date        not null,
  layer          text        not null check (layer in ('L1', 'L2', 'L3')),
  -- The pair the difference is filed under, and every compared pair it makes red.
  pair           text        not null,
  pairs          text[]      not null,
  kind           text        not null check (kind in ('missing', 'duplicated', 'amount', 'element', 'signature', 'identity')),
  -- The party whose record differs (lacks it, has it twice, says another amount …).
  party          text        not null check (party in ('finance', 'bank', 'pboc')),
  item_key       text        not null,
  vt_code        text,
  voucher_no     text,
  expected_fen   bigint,
  actual_fen     bigint,
  detail_zh      text        not null,
  detail_en      text        not null,
  -- Layer, kind, party, key and amounts: equal fingerprints on a rerun = the same difference.
  fingerprint    text        not null,
  state          text        not null check (state in ('open', 'assigned', 'explained', 'resolved')),
  assignee       text,
  assigned_by    text,
  explanation    text,
  explained_by   text,
  resolution     text,
  note           text,
  resolved_by    text,
  carried_from   text        references reconcile.difference,
  updated_at     timestamptz not null,
  unique (run_id, fingerprint)
);
create index difference_by_run on reconcile.difference (run_id, layer, state);

create table reconcile.difference_event (
  difference_id  text        not null references reconcile.difference,
  seq            int         not null,
  action         text        not null,
  actor          text        not null,
  from_state     text        not null,
  to_state       text        not null,
  text           text,
  on_date        date        not null,
  at             timestamptz not null,
  primary key (difference_id, seq)
);

create index voucher_paid_on on payments.voucher (region_code, x_pay_date) where x_pay_date is not null;
create index refund_notice_paid_on on payments.refund_notice (region_code, pay_date);
create index line_paid_by_date on ledger.line (region_code, business_date) where account = '2501';
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
drop index ledger.line_paid_by_date;
drop index payments.refund_notice_paid_on;
drop index payments.voucher_paid_on;
drop schema reconcile cascade;
`.execute(db);
}
