import { FiscusError } from '../../kernel/errors';
import type { LedgerAccount } from './chart';
import { elementKey } from './elements';
import type { Posting } from './posting';

/**
 * In-memory balances: normal-side amounts keyed by account and element key. The engine keeps the
 * real balances in the database; this is the same arithmetic for the domain, the tests and
 * what-if previews.
 */
export type Balances = ReadonlyMap<string, bigint>;

/** The map key of one balance. Account codes never contain '|', so the first '|' splits. */
export function balanceKey(account: string, key: string): string {
  return `${account}|${key}`;
}

/** A balance never posted to is zero. */
export function balanceOf(balances: Balances, account: string, key: string): bigint {
  return balances.get(balanceKey(account, key)) ?? 0n;
}

/**
 * The balances after `posting`: each line moves its (account, elements) balance up when it is on
 * the account's normal side and down otherwise. Returns a new map; `before` is left untouched so
 * a refused posting needs no undo.
 */
export function applyPosting(
  before: Balances,
  posting: Posting,
  accounts: ReadonlyMap<string, LedgerAccount>,
): Map<string, bigint> {
  const after = new Map(before);
  for (const line of posting.lines) {
    const account = accounts.get(line.account);
    if (account === undefined) throw new FiscusError('LEDGER_ACCOUNT_UNKNOWN', { account: line.account });
    const k = balanceKey(line.account, elementKey(line.elements));
    const delta = line.side === account.normalSide ? line.amount : -line.amount;
    after.set(k, (after.get(k) ?? 0n) + delta);
  }
  return after;
}
