import { type Kysely, sql } from 'kysely';

/**
 * Clearing on the finance side (docs/design/clearing-protocol.md): quota notices (5108 / 5106) with
 * one line per voucher they cover — a voucher, a refund or a correction is on at most one notice —,
 * corrections (5253 / 5351), deliveries of clearing vouchers to the PBOC and the bank, the region's
 * clearing policy, and cross-year refunds (booked in a later year, possibly without an entry).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create schema if not exists clearing;

create table clearing.policy (
  region_code   char(9)     primary key,
  cross_year_refund text    not null
    check (cross_year_refund in ('restoreToCarriedIndicator', 'toRevenue', 'refuse')),
  version       int         not null,
  updated_by    text        not null,
  updated_at    timestamptz not null
);

create table clearing.quota_notice (
  region_code   char(9)     not null,
  fiscal_year   int         not null,
  vt_code       char(4)     not null check (vt_code in ('5106', '5108')),
  voucher_no    text        not null,
  pay_date      date        not null,
  bank_code     text        not null,
  pay_type_code text        not null,
  seq           int         not null,
  amount_fen    bigint      not null,
  line_count    int         not null,
  envelope      text        not null,
  state         text        not null default 'unsent' check (state in ('unsent', 'sent', 'receipted')),
  receipts      jsonb       not null default '{}',
  issued_by     text        not null,
  command_id    text        not null,
  created_at    timestamptz not null,
  sent_at       timestamptz,
  receipted_at  timestamptz,
  primary key (region_code, fiscal_year, vt_code, voucher_no),
  unique (region_code, fiscal_year, vt_code, pay_date, bank_code, seq)
);

create table clearing.quota_line (
  region_code    char(9)  not null,
  fiscal_year    int      not null,
  vt_code        char(4)  not null,
  voucher_no     text     not null,
  line_no        int      not null,
  kind           text     not null check (kind in ('payment', 'refund', 'correction')),
  -- What the line covers: the paid voucher (5201/8202), the 2203 refund notice or the correction.
  source_year    int      not null,
  source_vt_code char(4)  not null,
  source_no      text     not null,
  pay_voucher_no text     not null,
  ori_vt_code    char(4)  not null,
  amount_fen     bigint   not null,
  coding         jsonb    not null,
  primary key (region_code, fiscal_year, vt_code, voucher_no, line_no),
  foreign key (region_code, fiscal_year, vt_code, voucher_no) references clearing.quota_notice,
  -- A voucher (refund, correction) is on at most one notice.
  unique (region_code, source_year, source_vt_code, source_no)
);
create index quota_line_pay_voucher on clearing.quota_line (region_code, pay_voucher_no);

create table clearing.correction (
  region_code     char(9)     not null,
  fiscal_year     int         not null,
  correction_id   text        not null,
  application_id  text        not null,
  ori_vt_code     char(4)     not null,
  ori_voucher_no  text        not null,
  amount_fen      bigint      not null check (amount_fen > 0),
  from_indicator_id text      not null,
  to_indicator_id text        not null,
  from_coding     jsonb       not null,
  to_coding       jsonb       not null,
  reason          text        not null,
  state           text        not null check (state in ('prepared', 'approved')),
  prepared_by     text        not null,
  prepared_on     date        not null,
  approved_by     text,
  approved_on     date,
  opinion         text,
  entry_id        bigint,
  vt_code         char(4)     check (vt_code in ('5253', '5351')),
  voucher_no      text,
  envelope        text,
  send_state      text        check (send_state in ('unsent', 'sent', 'receipted')),
  receipts        jsonb       not null default '{}',
  created_at      timestamptz not null,
  updated_at      timestamptz not null,
  primary key (region_code, fiscal_year, correction_id),
  unique (region_code, fiscal_year, vt_code, voucher_no)
);
-- At most one correction of an application waits for approval.
create unique index correction_pending on clearing.correction (region_code, fiscal_year, application_id)
  where state = 'prepared';

-- Deliveries of clearing vouchers: quota notices and corrections to both parties, and the PBOC's
-- copy of each 5201/8202 (the row appears with its first send; the envelope is the voucher's).
create table clearing.delivery (
  region_code   char(9)     not null,
  fiscal_year   int         not null,
  vt_code       char(4)     not null,
  voucher_no    text        not null,
  destination   text        not null check (destination in ('pboc', 'bank')),
  status        text        not null default 'pending' check (status in ('pending', 'received', 'receiveFailed')),
  attempt       int         not null default 0,
  next_send_at  timestamptz,
  sent_at       timestamptz,
  last_error    text,
  created_at    timestamptz not null,
  primary key (region_code, fiscal_year, vt_code, voucher_no, destination)
);
create index delivery_due on clearing.delivery (next_send_at) where status <> 'received';

-- Cross-year refunds: booked in a later year (booked_year), by the policy in force; 'toRevenue'
-- posts nothing to the indicators.
alter table payments.refund_notice alter column entry_id drop not null;
alter table payments.refund_notice add column booked_year int;
alter table payments.refund_notice add column cross_year_policy text;
alter table payments.refund_notice add column restored_indicator_id text;
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table payments.refund_notice drop column booked_year, drop column cross_year_policy,
  drop column restored_indicator_id;
drop table clearing.delivery;
drop table clearing.correction;
drop table clearing.quota_line;
drop table clearing.quota_notice;
drop table clearing.policy;
drop schema clearing;
`.execute(db);
}
