import { type Kysely, sql } from 'kysely';
import type { DB } from '../../platform/db/schema';

/** `${year}|${account}|${keyId}` → running debit/credit totals. */
export type BalanceRows = Map<string, { debit: bigint; credit: bigint }>;

export const balanceId = (year: number, account: string, keyId: bigint) => `${year}|${account}|${keyId}`;

/**
 * Lock the running-total rows a batch touches, creating missing ones, in one sorted order so that
 * concurrent batches queue instead of deadlocking. Held until commit: this is what makes two
 * concurrent payments on one indicator see each other.
 */
export async function lockBalances(
  trx: Kysely<DB>,
  region: string,
  keys: readonly { year: number; account: string; keyId: bigint }[],
): Promise<BalanceRows> {
  const uniq = new Map(keys.map((k) => [balanceId(k.year, k.account, k.keyId), k]));
  const rows = [...uniq.values()].sort(
    (a, b) =>
      a.year - b.year || (a.account < b.account ? -1 : a.account > b.account ? 1 : Number(a.keyId - b.keyId)),
  );
  const years = rows.map((r) => r.year);
  const accounts = rows.map((r) => r.account);
  const ids = rows.map((r) => r.keyId.toString());
  type Row = {
    fiscal_year: number;
    account: string;
    element_key_id: bigint;
    debit_fen: bigint;
    credit_fen: bigint;
  };
  // One statement in the usual case: rows this insert creates are new (zero) and ours; existing
  // ones are locked by the select, which waits for a concurrent writer and reads its committed
  // totals. A row a concurrent batch created after this statement's snapshot is in neither: it
  // is committed by then (the insert waited for it), so a second locking select takes it.
  const first = await sql<Row>`
    with w as (select * from unnest(${years}::int[], ${accounts}::text[], ${ids}::bigint[]) as w(y, a, k)),
    ins as (
      insert into ledger.balance (region_code, fiscal_year, account, element_key_id)
      select ${region}, y, a, k from w
      on conflict do nothing
      returning fiscal_year, account, element_key_id, debit_fen, credit_fen
    ),
    locked as (
      select b.fiscal_year, b.account, b.element_key_id, b.debit_fen, b.credit_fen
      from ledger.balance b join w on b.fiscal_year = w.y and b.account = w.a and b.element_key_id = w.k
      where b.region_code = ${region}
      order by b.fiscal_year, b.account, b.element_key_id
      for update of b
    )
    select * from ins union all select * from locked`.execute(trx);
  let locked = first.rows;
  if (locked.length < rows.length) {
    const again = await sql<Row>`
      select b.fiscal_year, b.account, b.element_key_id, b.debit_fen, b.credit_fen
      from ledger.balance b
      join unnest(${years}::int[], ${accounts}::text[], ${ids}::bigint[]) as w(y, a, k)
        on b.fiscal_year = w.y and b.account = w.a and b.element_key_id = w.k
      where b.region_code = ${region}
      order by b.fiscal_year, b.account, b.element_key_id
      for update of b`.execute(trx);
    locked = again.rows;
  }
  const out: BalanceRows = new Map();
  for (const r of locked)
    out.set(balanceId(r.fiscal_year, r.account, r.element_key_id), {
      debit: r.debit_fen,
      credit: r.credit_fen,
    });
  return out;
}
