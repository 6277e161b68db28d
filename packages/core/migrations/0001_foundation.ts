import { type Kysely, sql } from 'kysely';

/**
 * The spine: command log (idempotency), audit chain, outbox; people and permissions; base data.
 * Every fiscal row carries region_code and every key includes it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create schema if not exists platform;
create schema if not exists auth;
create schema if not exists basedata;

-- A rejected or accepted command, by the caller's idempotency key.
create table platform.command_log (
  region_code   char(9)     not null,
  command_id    text        not null,
  command_type  text        not null,
  request_hash  text        not null,
  actor         text        not null,
  status        text        not null check (status in ('accepted', 'rejected')),
  result        jsonb       not null,
  created_at    timestamptz not null default now(),
  primary key (region_code, command_id)
);

-- Tamper-evident audit trail: one SM3 hash chain per region.
create table platform.audit_record (
  region_code    char(9)     not null,
  seq            bigint      not null,
  recorded_at    timestamptz not null,
  actor          text        not null,
  command_id     text,
  command_type   text        not null,
  fiscal_year    int,
  business_date  date,
  outcome        text        not null check (outcome in ('accepted', 'rejected')),
  error_code     text,
  detail         jsonb       not null,
  prev_hash      char(64)    not null,
  hash           char(64)    not null,
  primary key (region_code, seq)
);
create index audit_record_command on platform.audit_record (region_code, command_id);

create table platform.audit_chain (
  region_code char(9)  primary key,
  last_seq    bigint   not null,
  last_hash   char(64) not null
);

create function platform.forbid_change() returns trigger language plpgsql as $$
begin
  raise exception 'table %.% is append-only', tg_table_schema, tg_table_name using errcode = '55000';
end $$;
create trigger audit_record_append_only before update or delete on platform.audit_record
  for each row execute function platform.forbid_change();

-- Transactional outbox: written with the change, drained by workers.
create table platform.outbox (
  id           bigserial   primary key,
  region_code  char(9)     not null,
  topic        text        not null,
  payload      jsonb       not null,
  created_at   timestamptz not null default now(),
  processed_at timestamptz
);
create index outbox_pending on platform.outbox (id) where processed_at is null;

-- People and permissions.
create table auth.role (
  code        text   primary key,
  name_zh     text   not null,
  name_en     text   not null,
  admin_kind  text   check (admin_kind in ('system', 'security', 'audit')),
  permissions text[] not null
);

create table auth.app_user (
  username       text        primary key,
  display_name   text        not null,
  password_hash  text        not null,
  agency_code    text,
  enabled        boolean     not null default true,
  failed_logins  int         not null default 0,
  locked_until   timestamptz,
  created_at     timestamptz not null default now()
);

create table auth.user_role (
  username            text    not null references auth.app_user (username),
  role                text    not null references auth.role (code),
  scope_region        char(9) not null,
  include_descendants boolean not null,
  scope_agency        text,
  granted_by          text    not null,
  granted_at          timestamptz not null default now(),
  primary key (username, role, scope_region)
);

create table auth.session (
  token_hash   char(64)    primary key,
  username     text        not null references auth.app_user (username),
  created_at   timestamptz not null default now(),
  expires_at   timestamptz not null,
  last_seen_at timestamptz not null default now(),
  ip           text
);
create index session_by_user on auth.session (username);

-- 基础信息.
create table basedata.region (
  region_code  char(9)     primary key,
  adm_div_code char(6)     not null,
  name         text        not null,
  level        text        not null check (level in ('province', 'city', 'county', 'township')),
  parent_code  char(9)     references basedata.region (region_code),
  path         text        not null,
  updated_at   timestamptz not null default now(),
  check (parent_code is distinct from region_code)
);
create index region_path on basedata.region (path text_pattern_ops);

create table basedata.fiscal_year (
  region_code char(9)     not null references basedata.region (region_code),
  fiscal_year int         not null,
  state       text        not null check (state in ('open', 'closed')),
  opened_at   timestamptz not null default now(),
  closed_at   timestamptz,
  primary key (region_code, fiscal_year)
);

create table basedata.agency (
  region_code char(9) not null,
  fiscal_year int     not null,
  code        text    not null,
  name        text    not null,
  kind        text    not null,
  parent_code text,
  dept_code   text    not null,
  path        text    not null,
  enabled     boolean not null default true,
  updated_at  timestamptz not null default now(),
  primary key (region_code, fiscal_year, code),
  foreign key (region_code, fiscal_year) references basedata.fiscal_year (region_code, fiscal_year),
  foreign key (region_code, fiscal_year, parent_code) references basedata.agency (region_code, fiscal_year, code)
);

create table basedata.code_item (
  region_code char(9) not null,
  fiscal_year int     not null,
  set_code    text    not null,
  code        text    not null,
  name        text    not null,
  parent_code text,
  level       int     not null,
  enabled     boolean not null default true,
  version     text,
  updated_at  timestamptz not null default now(),
  primary key (region_code, fiscal_year, set_code, code),
  foreign key (region_code, fiscal_year) references basedata.fiscal_year (region_code, fiscal_year),
  foreign key (region_code, fiscal_year, set_code, parent_code)
    references basedata.code_item (region_code, fiscal_year, set_code, code)
);

create table basedata.economic_mapping (
  region_code  char(9) not null,
  fiscal_year  int     not null,
  dep_eco_code text    not null,
  agency_kind  text    not null,
  gov_eco_code text    not null,
  primary key (region_code, fiscal_year, dep_eco_code, agency_kind)
);

create table basedata.agent_bank (
  region_code char(9) not null references basedata.region (region_code),
  code        text    not null,
  name        text    not null,
  bank_no     char(12) not null,
  enabled     boolean not null default true,
  updated_at  timestamptz not null default now(),
  primary key (region_code, code)
);

create table basedata.bank_account (
  region_code  char(9) not null references basedata.region (region_code),
  account_no   text    not null,
  account_name text    not null,
  kind         text    not null,
  agency_code  text,
  bank_code    text,
  bank_name    text    not null,
  opened_on    date    not null,
  status       text    not null check (status in ('pending', 'active', 'closed')),
  prepared_by  text    not null,
  approved_by  text,
  approved_at  timestamptz,
  closed_reason text,
  updated_at   timestamptz not null default now(),
  primary key (region_code, account_no),
  check (approved_by is null or approved_by <> prepared_by)
);

create table basedata.payee (
  region_code  char(9) not null references basedata.region (region_code),
  code         text    not null,
  name         text    not null,
  kind         text    not null,
  account_no   text    not null,
  account_name text    not null,
  bank_name    text    not null,
  bank_no      char(12),
  enabled      boolean not null default true,
  updated_at   timestamptz not null default now(),
  primary key (region_code, code)
);
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop schema if exists basedata cascade; drop schema if exists auth cascade; drop schema if exists platform cascade;`.execute(
    db,
  );
}
