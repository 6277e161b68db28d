import { type Kysely, sql } from 'kysely';
import type { DB } from '../../platform/db/schema';
import { elementKey } from '../domain/elements';
import type { Posting } from '../domain/posting';
import { totals } from '../domain/posting';
import type { BalanceRows } from './balances';
import type { KeyIds } from './element-keys';

export interface NewEntry {
  posting: Posting;
  on: string;
  commandId: string | null;
  reversesEntryId: bigint | null;
}

/** `${year}|${account}|${keyId}|${month}` → the batch's movements in that month. */
export type MonthlyMoves = Map<string, { debit: bigint; credit: bigint }>;

function entryArrays(entries: readonly NewEntry[], keys: KeyIds) {
  const e = {
    y: [] as number[],
    sc: [] as string[],
    on: [] as string[],
    cmd: [] as (string | null)[],
    rev: [] as (string | null)[],
    amt: [] as string[],
  };
  const l = {
    ord: [] as number[],
    y: [] as number[],
    no: [] as number[],
    acct: [] as string[],
    side: [] as string[],
    amt: [] as string[],
    key: [] as string[],
    on: [] as string[],
  };
  entries.forEach((en, ord) => {
    e.y.push(en.posting.year);
    e.sc.push(en.posting.scenario);
    e.on.push(en.on);
    e.cmd.push(en.commandId);
    e.rev.push(en.reversesEntryId?.toString() ?? null);
    e.amt.push(totals(en.posting.lines).debit.toString());
    en.posting.lines.forEach((line, i) => {
      const keyId = keys.get(`${en.posting.year}|${elementKey(line.elements)}`);
      if (keyId === undefined) throw new Error('element key not resolved');
      l.ord.push(ord + 1);
      l.y.push(en.posting.year);
      l.no.push(i + 1);
      l.acct.push(line.account);
      l.side.push(line.side);
      l.amt.push(line.amount.toString());
      l.key.push(keyId.toString());
      l.on.push(en.on);
    });
  });
  return { e, l };
}

function balanceArrays(changed: BalanceRows) {
  const b = { y: [] as number[], a: [] as string[], k: [] as string[], d: [] as string[], c: [] as string[] };
  for (const [id, v] of changed) {
    const [y, a, k] = id.split('|') as [string, string, string];
    b.y.push(Number(y));
    b.a.push(a);
    b.k.push(k);
    b.d.push(v.debit.toString());
    b.c.push(v.credit.toString());
  }
  return b;
}

function monthArrays(moves: MonthlyMoves) {
  const m = {
    y: [] as number[],
    a: [] as string[],
    k: [] as string[],
    m: [] as number[],
    d: [] as string[],
    c: [] as string[],
  };
  for (const [id, v] of moves) {
    const [y, a, k, mo] = id.split('|') as [string, string, string, string];
    m.y.push(Number(y));
    m.a.push(a);
    m.k.push(k);
    m.m.push(Number(mo));
    m.d.push(v.debit.toString());
    m.c.push(v.credit.toString());
  }
  return m;
}

/**
 * Everything a batch writes in one statement, whatever its size: entry ids drawn from the
 * sequence, headers, lines, the new running totals (absolute values: the rows are locked) and
 * the monthly movements. Returns the entry ids in the order of `entries`.
 */
export async function writeBatch(
  trx: Kysely<DB>,
  region: string,
  entries: readonly NewEntry[],
  keys: KeyIds,
  changed: BalanceRows,
  monthly: MonthlyMoves,
): Promise<bigint[]> {
  if (entries.length === 0) return [];
  const { e, l } = entryArrays(entries, keys);
  const b = balanceArrays(changed);
  const m = monthArrays(monthly);
  const r = await sql<{ id: bigint }>`
    with ids as materialized (
      select ord, nextval('ledger.entry_id_seq') as id
      from generate_series(1, ${entries.length}::int) as ord
    ),
    e as (
      insert into ledger.entry (region_code, fiscal_year, id, scenario, business_date, command_id, reverses_entry_id, debit_fen, credit_fen)
      select ${region}, t.y, ids.id, t.sc, t.d, t.cmd, t.rev, t.amt, t.amt
      from unnest(${e.y}::int[], ${e.sc}::text[], ${e.on}::date[], ${e.cmd}::text[], ${e.rev}::bigint[], ${e.amt}::bigint[])
        with ordinality as t(y, sc, d, cmd, rev, amt, ord)
      join ids using (ord)
    ),
    l as (
      insert into ledger.line (region_code, fiscal_year, entry_id, line_no, account, side, amount_fen, element_key_id, business_date)
      select ${region}, t.y, ids.id, t.no, t.acct, t.side, t.amt, t.key, t.d
      from unnest(${l.ord}::int[], ${l.y}::int[], ${l.no}::int[], ${l.acct}::text[], ${l.side}::text[], ${l.amt}::bigint[],
                  ${l.key}::bigint[], ${l.on}::date[]) as t(ord, y, no, acct, side, amt, key, d)
      join ids using (ord)
    ),
    b as (
      update ledger.balance x set debit_fen = w.d, credit_fen = w.c
      from unnest(${b.y}::int[], ${b.a}::text[], ${b.k}::bigint[], ${b.d}::bigint[], ${b.c}::bigint[]) as w(y, a, k, d, c)
      where x.region_code = ${region} and x.fiscal_year = w.y and x.account = w.a and x.element_key_id = w.k
    ),
    m as (
      insert into ledger.balance_month (region_code, fiscal_year, account, element_key_id, month, debit_fen, credit_fen)
      select ${region}, * from unnest(${m.y}::int[], ${m.a}::text[], ${m.k}::bigint[], ${m.m}::int[], ${m.d}::bigint[], ${m.c}::bigint[])
      on conflict (region_code, fiscal_year, account, element_key_id, month) do update
        set debit_fen = ledger.balance_month.debit_fen + excluded.debit_fen,
            credit_fen = ledger.balance_month.credit_fen + excluded.credit_fen
    )
    select id from ids order by ord`.execute(trx);
  return r.rows.map((x) => BigInt(x.id));
}
