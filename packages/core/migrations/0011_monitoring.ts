import { type Kysely, sql } from 'kysely';

/**
 * 动态监控: rule versions (never edited in place), warnings with their disposition trail, and what
 * payments need for monitoring: the held state (拦截/冻结 waiting for a reviewer), the business date
 * of submission and the economic class the history windows group by.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create schema if not exists monitor;

create table monitor.rule_version (
  region_code  char(9)     not null,
  code         text        not null,
  version      int         not null check (version >= 1),
  -- The whole MonitorRule as saved (money parameters as {"fen": "…"}).
  definition   jsonb       not null,
  created_by   text        not null,
  created_at   timestamptz not null,
  primary key (region_code, code, version)
);

-- A random token per region that every rule save replaces: the evaluator caches compiled rules
-- under it. Random, not a counter, so a token seen in a transaction that rolled back never returns.
create table monitor.rule_revision (
  region_code  char(9) primary key,
  revision     uuid    not null
);

create sequence monitor.warning_seq;

create table monitor.warning (
  region_code     char(9)     not null,
  fiscal_year     int         not null,
  warning_id      text        not null,
  rule_code       text        not null,
  rule_version    int         not null,
  level           text        not null check (level in ('yellow', 'orange', 'red', 'grey', 'blue')),
  action          text        not null check (action in ('warn', 'warnExplain', 'hold', 'freeze', 'forbid', 'record')),
  trigger         text        not null check (trigger in ('submit', 'approve', 'scheduled')),
  application_id  text,
  indicator_id    text,
  agency_code     text        not null,
  amount_fen      bigint      not null,
  message         jsonb       not null,
  explanation     text,
  -- What the rule saw, so a warning can be judged later even after the payment changed.
  subject         jsonb       not null,
  status          text        not null check (status in ('recorded', 'pending', 'closedNormal', 'suspected',
                    'inquiryIssued', 'feedbackReceived', 'closedVerified', 'rectifying', 'rectified', 'closedRectified')),
  violation       boolean     not null default false,
  inquiry_no      text,
  deadline        date,
  escalation      int         not null default 0,
  identified_by   text,
  feedback_by     text,
  rectified_by    text,
  raised_on       date        not null,
  raised_at       timestamptz not null,
  closed_on       date,
  -- A scheduled rule raises once per subject and day, however often the job runs.
  dedupe_key      text,
  primary key (region_code, fiscal_year, warning_id),
  unique (region_code, fiscal_year, dedupe_key),
  foreign key (region_code, rule_code, rule_version) references monitor.rule_version
);
create index warning_status on monitor.warning (region_code, fiscal_year, status);
create index warning_application on monitor.warning (region_code, fiscal_year, application_id);
create index warning_agency on monitor.warning (region_code, fiscal_year, agency_code);

create table monitor.warning_event (
  region_code   char(9)     not null,
  fiscal_year   int         not null,
  warning_id    text        not null,
  seq           int         not null,
  action        text        not null,
  actor         text        not null,
  from_status   text,
  to_status     text        not null,
  opinion       text,
  attachments   jsonb       not null default '[]',
  on_date       date        not null,
  at            timestamptz not null,
  primary key (region_code, fiscal_year, warning_id, seq),
  foreign key (region_code, fiscal_year, warning_id) references monitor.warning
);

alter table payments.application drop constraint application_state_check;
alter table payments.application add constraint application_state_check
  check (state in ('draft', 'submitted', 'unitApproved', 'approved', 'held', 'voucherSigned', 'paid', 'bankReturned',
                   'refunded', 'returned', 'refused', 'voided'));
-- Held: the step monitoring stopped (submit or approve) and who took it; a release completes that step.
alter table payments.application add column held_action text check (held_action in ('submit', 'approve'));
alter table payments.application add column held_by text;
-- Business date of submission (the history windows of monitoring count from it) and the paying
-- indicator's departmental economic class (they group by it).
alter table payments.application add column submitted_on date;
alter table payments.application add column dep_eco_code text;
update payments.application a set dep_eco_code = i.dep_eco_code
  from indicators.indicator i
  where i.region_code = a.region_code and i.fiscal_year = a.fiscal_year and i.indicator_id = a.indicator_id;
update payments.application set submitted_on = created_at::date where submitted_by is not null;
create index application_history on payments.application (region_code, fiscal_year, agency_code, submitted_on);
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
drop schema monitor cascade;
drop index payments.application_history;
alter table payments.application drop column held_action, drop column held_by, drop column submitted_on,
  drop column dep_eco_code;
alter table payments.application drop constraint application_state_check;
alter table payments.application add constraint application_state_check
  check (state in ('draft', 'submitted', 'unitApproved', 'approved', 'voucherSigned', 'paid', 'bankReturned',
                   'refunded', 'returned', 'refused', 'voided'));
`.execute(db);
}
