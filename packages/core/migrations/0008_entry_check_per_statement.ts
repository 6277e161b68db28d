import { type Kysely, sql } from 'kysely';

/**
 * The "every entry balances" guard, once per statement instead of once per line at commit: the
 * engine writes an entry's header and all its lines in one statement, so the statement's end is
 * as good a moment as the commit, and one set-based query over the statement's new lines replaces
 * a trigger call and two lookups per entry (the deferred check cost more than the insert itself
 * for large batches and year-end). An entry whose lines are added by several statements must
 * balance after each of them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
drop trigger line_balanced on ledger.line;
drop function ledger.check_entry_balanced();

create function ledger.check_entries_balanced() returns trigger language plpgsql as $$
declare bad record;
begin
  select n.region_code, n.fiscal_year, n.entry_id, s.d, s.c, e.debit_fen as hd into bad
  from (select distinct region_code, fiscal_year, entry_id from new_lines) n
  cross join lateral (
    select coalesce(sum(l.amount_fen) filter (where l.side = 'debit'), 0) as d,
           coalesce(sum(l.amount_fen) filter (where l.side = 'credit'), 0) as c
    from ledger.line l
    where l.region_code = n.region_code and l.fiscal_year = n.fiscal_year and l.entry_id = n.entry_id) s
  left join ledger.entry e on e.region_code = n.region_code and e.fiscal_year = n.fiscal_year and e.id = n.entry_id
  where s.d <> s.c or e.debit_fen is distinct from s.d
  limit 1;
  if found then
    raise exception 'entry %/%/% does not balance: debit %, credit %, header %',
      bad.region_code, bad.fiscal_year, bad.entry_id, bad.d, bad.c, bad.hd
      using errcode = '23514';
  end if;
  return null;
end $$;

create trigger lines_balanced after insert on ledger.line
  referencing new table as new_lines
  for each statement execute function ledger.check_entries_balanced();
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
drop trigger lines_balanced on ledger.line;
drop function ledger.check_entries_balanced();
create function ledger.check_entry_balanced() returns trigger language plpgsql as $$
declare d bigint; c bigint; hd bigint;
begin
  if new.line_no <> 1 then return null; end if;
  select coalesce(sum(amount_fen) filter (where side = 'debit'), 0),
         coalesce(sum(amount_fen) filter (where side = 'credit'), 0)
    into d, c
    from ledger.line where region_code = new.region_code and fiscal_year = new.fiscal_year and entry_id = new.entry_id;
  select debit_fen into hd from ledger.entry
   where region_code = new.region_code and fiscal_year = new.fiscal_year and id = new.entry_id;
  if d <> c or d <> hd then
    raise exception 'entry %/%/% does not balance: debit %, credit %, header %', new.region_code, new.fiscal_year, new.entry_id, d, c, hd
      using errcode = '23514';
  end if;
  return null;
end $$;
create constraint trigger line_balanced after insert on ledger.line
  deferrable initially deferred for each row execute function ledger.check_entry_balanced();
`.execute(db);
}
