import { type Kysely, sql } from 'kysely';

/**
 * A token per region that changes whenever something the posting engine reads as configuration
 * changes (chart, control rules, ledger settings, code sets, agencies). Caches key on it: a batch
 * reads the token with its other facts in one statement and reuses what it already knows. The
 * token is random, so a value seen inside a transaction that rolls back is never seen again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table platform.config_token (
  region_code char(9) primary key,
  token       uuid    not null
);

create function platform.bump_config_token() returns trigger language plpgsql as $$
begin
  insert into platform.config_token (region_code, token)
  select region_code, gen_random_uuid() from (select distinct region_code from changed) c
  on conflict (region_code) do update set token = excluded.token;
  return null;
end $$;
`.execute(db);
  for (const table of [
    'ledger.account',
    'ledger.control_rule',
    'ledger.setting',
    'basedata.code_item',
    'basedata.agency',
  ]) {
    const name = table.replace('.', '_');
    for (const [event, ref] of [
      ['insert', 'new table as changed'],
      ['update', 'new table as changed'],
      ['delete', 'old table as changed'],
    ] as const) {
      await sql
        .raw(
          `create trigger ${name}_token_${event} after ${event} on ${table}
           referencing ${ref} for each statement execute function platform.bump_config_token()`,
        )
        .execute(db);
    }
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop function platform.bump_config_token() cascade; drop table platform.config_token;`.execute(
    db,
  );
}
