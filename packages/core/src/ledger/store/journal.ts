import { type Kysely, sql } from 'kysely';
import type { DB } from '../../platform/db/schema';
import { elementKey } from '../domain/elements';
import type { Posting } from '../domain/posting';
import { totals } from '../domain/posting';
import type { KeyIds } from './element-keys';

export interface NewEntry {
  id: bigint;
  posting: Posting;
  on: string;
  commandId: string | null;
  reversesEntryId: bigint | null;
}

/** Entry ids for a batch in one round trip. */
export async function nextEntryIds(trx: Kysely<DB>, n: number): Promise<bigint[]> {
  if (n === 0) return [];
  const r = await sql<{
    id: bigint;
  }>`select nextval('ledger.entry_id_seq') as id from generate_series(1, ${n})`.execute(trx);
  return r.rows.map((x) => x.id);
}

/** Headers and lines of a batch: two multi-row inserts, whatever the batch size. */
export async function writeEntries(
  trx: Kysely<DB>,
  region: string,
  entries: readonly NewEntry[],
  keys: KeyIds,
): Promise<void> {
  if (entries.length === 0) return;
  const e = {
    y: [] as number[],
    id: [] as string[],
    sc: [] as string[],
    on: [] as string[],
    cmd: [] as (string | null)[],
    rev: [] as (string | null)[],
    amt: [] as string[],
  };
  const l = {
    y: [] as number[],
    id: [] as string[],
    no: [] as number[],
    acct: [] as string[],
    side: [] as string[],
    amt: [] as string[],
    key: [] as string[],
    on: [] as string[],
  };
  for (const en of entries) {
    const t = totals(en.posting.lines).debit.toString();
    e.y.push(en.posting.year);
    e.id.push(en.id.toString());
    e.sc.push(en.posting.scenario);
    e.on.push(en.on);
    e.cmd.push(en.commandId);
    e.rev.push(en.reversesEntryId?.toString() ?? null);
    e.amt.push(t);
    en.posting.lines.forEach((line, i) => {
      const keyId = keys.get(`${en.posting.year}|${elementKey(line.elements)}`);
      if (keyId === undefined) throw new Error('element key not resolved');
      l.y.push(en.posting.year);
      l.id.push(en.id.toString());
      l.no.push(i + 1);
      l.acct.push(line.account);
      l.side.push(line.side);
      l.amt.push(line.amount.toString());
      l.key.push(keyId.toString());
      l.on.push(en.on);
    });
  }
  await sql`insert into ledger.entry (region_code, fiscal_year, id, scenario, business_date, command_id, reverses_entry_id, debit_fen, credit_fen)
    select ${region}, y, id, sc, d, cmd, rev, amt, amt from unnest(${e.y}::int[], ${e.id}::bigint[], ${e.sc}::text[], ${e.on}::date[],
      ${e.cmd}::text[], ${e.rev}::bigint[], ${e.amt}::bigint[]) as t(y, id, sc, d, cmd, rev, amt)`.execute(
    trx,
  );
  await sql`insert into ledger.line (region_code, fiscal_year, entry_id, line_no, account, side, amount_fen, element_key_id, business_date)
    select ${region}, * from unnest(${l.y}::int[], ${l.id}::bigint[], ${l.no}::int[], ${l.acct}::text[], ${l.side}::text[],
      ${l.amt}::bigint[], ${l.key}::bigint[], ${l.on}::date[])`.execute(trx);
}
