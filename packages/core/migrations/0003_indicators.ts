import { type Kysely, sql } from 'kysely';

/**
 * 指标管理: indicators (an element set with an id and its lineage), indicator documents with
 * their approval history and routes, and the transfer messages between government levels.
 * Amounts live in the ledger only: an indicator's total, frozen, in-use, paid and available
 * figures are its ledger balances.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create schema if not exists indicators;

create table indicators.indicator (
  region_code          char(9)     not null,
  fiscal_year          int         not null,
  indicator_id         text        not null,
  pool                 text        not null check (pool in ('executable', 'unallocated')),
  -- The ledger element set (domain form, with indicatorId and originIndicatorId).
  elements             jsonb       not null,
  agency_code          text,
  dept_code            text,
  project_code         text,
  exp_func_code        text,
  gov_eco_code         text,
  dep_eco_code         text,
  fund_type_code       text        not null,
  source_type_code     text,
  indicator_type_code  text,
  doc_no               text,
  sup_doc_no           text,
  direct_reach         boolean     not null default false,
  origin_indicator_id  text,
  origin_kind          text        not null,
  created_by_doc       text        not null,
  created_at           timestamptz not null default now(),
  primary key (region_code, fiscal_year, indicator_id)
);
create index indicator_origin on indicators.indicator (region_code, fiscal_year, origin_indicator_id);
create index indicator_agency on indicators.indicator (region_code, fiscal_year, agency_code);

create sequence indicators.doc_seq;

create table indicators.document (
  region_code   char(9)     not null,
  fiscal_year   int         not null,
  doc_id        text        not null,
  doc_type      text        not null,
  doc_no        text        not null,
  title         text        not null,
  summary       text,
  body          jsonb       not null,
  amount_fen    bigint      not null,
  state         text        not null check (state in ('draft', 'submitted', 'approved', 'returned', 'voided')),
  -- While submitted: the index of the step waiting for approval in route.
  step          int         not null default 0,
  route         jsonb       not null,
  prepared_by   text        not null,
  submitted_by  text,
  effect        jsonb,
  created_at    timestamptz not null,
  updated_at    timestamptz not null,
  primary key (region_code, fiscal_year, doc_id)
);
create index document_state on indicators.document (region_code, fiscal_year, state);

create table indicators.document_action (
  region_code  char(9)     not null,
  fiscal_year  int         not null,
  doc_id       text        not null,
  seq          int         not null,
  action       text        not null,
  step         int,
  actor        text        not null,
  opinion      text,
  at           timestamptz not null,
  primary key (region_code, fiscal_year, doc_id, seq),
  foreign key (region_code, fiscal_year, doc_id) references indicators.document
);

create table indicators.route (
  region_code  char(9)     not null,
  doc_type     text        not null,
  steps        jsonb       not null,
  version      int         not null,
  updated_by   text        not null,
  updated_at   timestamptz not null,
  primary key (region_code, doc_type)
);

-- The upper level's side of a transfer payment: one message per receiving region and document.
create table indicators.transfer_out (
  region_code          char(9)     not null,
  message_id           text        not null,
  fiscal_year          int         not null,
  to_region            char(9)     not null,
  kind                 text        not null,
  doc_id               text        not null,
  doc_no               text        not null,
  amount_fen           bigint      not null,
  source_indicator_id  text        not null,
  -- The issuing entry in this level's ledger (reversed if the lower level returns the transfer);
  -- none when a formal issue only confirms its advance (核销 with no difference).
  entry_id             bigint,
  -- 核销: the formal issue's message that offset this advance issue.
  offset_by            text,
  message              jsonb       not null,
  state                text        not null check (state in ('pending', 'delivered', 'returned')),
  attempts             int         not null default 0,
  last_error           text,
  created_at           timestamptz not null,
  delivered_at         timestamptz,
  primary key (region_code, message_id)
);
create index transfer_out_pending on indicators.transfer_out (created_at) where state = 'pending';

-- The lower level's side: what arrived, the indicator it became, and what the level did with it.
create table indicators.transfer_in (
  region_code          char(9)     not null,
  message_id           text        not null,
  fiscal_year          int         not null,
  from_region          char(9)     not null,
  kind                 text        not null,
  doc_no               text        not null,
  amount_fen           bigint      not null,
  indicator_id         text        not null,
  message              jsonb       not null,
  state                text        not null check (state in ('received', 'acknowledged', 'returned')),
  acted_by             text,
  reason               text,
  received_at          timestamptz not null,
  -- A return travels back up: set when the upper level has booked it.
  return_delivered_at  timestamptz,
  -- 核销: the formal issue's message that offset this advance.
  offset_by            text,
  primary key (region_code, message_id)
);
create index transfer_in_return_pending on indicators.transfer_in (received_at)
  where state = 'returned' and return_delivered_at is null;
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop schema indicators cascade`.execute(db);
}
