import { type Kysely, sql } from 'kysely';

/**
 * 年终结转/结余: the carry/lapse policy per region, the batch runs with their progress, and per
 * chunk the entries it posted (what a reversal takes back). Progress is written in the same
 * transaction as the chunk's postings, so a killed run resumes exactly where it stopped.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create schema if not exists yearend;

create table yearend.policy (
  region_code  char(9)     primary key,
  policy       jsonb       not null,
  version      int         not null,
  updated_by   text        not null,
  updated_at   timestamptz not null
);

create table yearend.run (
  region_code     char(9)     not null,
  run_id          text        not null,
  fiscal_year     int         not null,
  state           text        not null check (state in ('running', 'completed', 'reversing', 'reversed')),
  policy          jsonb       not null,
  chunk_size      int         not null,
  -- What the run found to do at its start: counts and fen per action and fund type.
  planned         jsonb       not null,
  planned_count   bigint      not null,
  -- Keyset cursor over ledger.balance (account, element_key_id) of the year: the last one done.
  cursor_account  text,
  cursor_key      bigint,
  next_chunk      int         not null default 0,
  processed       bigint      not null default 0,
  carried_fen     bigint      not null default 0,
  lapsed_fen      bigint      not null default 0,
  carried_count   bigint      not null default 0,
  lapsed_count    bigint      not null default 0,
  reverse_next    int         not null default 0,
  agencies_copied int         not null default 0,
  started_by      text        not null,
  created_at      timestamptz not null,
  updated_at      timestamptz not null,
  finished_at     timestamptz,
  reversed_at     timestamptz,
  primary key (region_code, run_id)
);
create index run_by_year on yearend.run (region_code, fiscal_year, created_at);
-- One unfinished run per region and year.
create unique index run_one_unfinished on yearend.run (region_code, fiscal_year)
  where state in ('running', 'reversing');

create table yearend.chunk (
  region_code  char(9)  not null,
  run_id       text     not null,
  chunk_no     int      not null,
  items        int      not null,
  carried_fen  bigint   not null,
  lapsed_fen   bigint   not null,
  entry_years  int[]    not null,
  entry_ids    bigint[] not null,
  reversed     boolean  not null default false,
  primary key (region_code, run_id, chunk_no),
  foreign key (region_code, run_id) references yearend.run
);
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop schema if exists yearend cascade`.execute(db);
}
