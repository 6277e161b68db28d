import type { Kysely } from 'kysely';
import { FiscusError, isFiscusError } from '../../kernel/errors';
import type { DB } from '../../platform/db/schema';
import { type LedgerAccount, normalBalance } from '../domain/chart';
import type { ControlContext, PaymentFacts, Violation } from '../domain/control-types';
import { evaluateControls } from '../domain/controls';
import { elementKey } from '../domain/elements';
import { assertBalanced, type Posting } from '../domain/posting';
import type { Scenario } from '../domain/scenarios';
import { type BalanceRows, balanceId, lockBalances } from '../store/balances';
import { loadEngineConfig, seedLedger } from '../store/config';
import { engineConfig } from '../store/config-cache';
import { resolveKeys } from '../store/element-keys';
import { type MonthlyMoves, type NewEntry, writeBatch } from '../store/journal';
import { ReceiptBook } from './receipts';
import { codeChecker, namedCodes } from './validate-codes';

export interface EngineItem {
  scenario: Scenario | 'reversal';
  postings: Posting[];
  /** Business date. */
  on: string;
  commandId: string | null;
  payment: PaymentFacts | null;
  reversesEntryId: bigint | null;
}

export type EngineOutcome =
  | { ok: true; entryIds: string[]; warnings: Violation[] }
  | { ok: false; error: FiscusError; violations: Violation[] };

/** A block violation becomes one refusal that names every rule that stopped the posting. */
export function refusal(violations: readonly Violation[]): FiscusError {
  const blocks = violations.filter((v) => v.action === 'block');
  return new FiscusError(
    'CONTROL_RULE_VIOLATED',
    { rules: blocks.map((v) => v.rule).join(', ') },
    blocks.map((v) => ({ path: v.rule, code: v.kind, message: v.message.en, messageZh: v.message['zh-CN'] })),
  );
}

/**
 * The posting engine: a batch of items in one region, checked against the balances they would
 * leave, written set-based. Reads: accounts, rules, settings, codes, keys, locked balances — a
 * fixed number of statements per batch; writes: entries, lines, balances, monthly rows — likewise.
 * Each item gets its own outcome; a refused item writes nothing.
 */
export async function postBatch(
  trx: Kysely<DB>,
  region: string,
  regionAncestry: readonly string[],
  items: readonly EngineItem[],
  actor: string,
  /** The region's configuration token (from the command context), for the configuration cache. */
  configToken: string | null = null,
): Promise<EngineOutcome[]> {
  const outcomes: (EngineOutcome | null)[] = items.map(() => null);
  const years = [...new Set(items.flatMap((i) => i.postings.map((p) => p.year)))];
  const named = namedCodes(items.flatMap((i) => i.postings));
  let config = await engineConfig(trx, region, years, named, configToken);
  const unseeded = years.filter((y) => !config.seededYears.has(y));
  if (unseeded.length > 0) {
    // The first posting to a region-year seeds its chart (and the region's default rules).
    for (const y of unseeded) await seedLedger(trx, region, y, actor);
    config = await loadEngineConfig(trx, region, years, named.codes, named.agencies);
  }
  const { accounts, rules, settings } = config;
  const checkCodes = codeChecker(config);
  items.forEach((item, i) => {
    try {
      for (const p of item.postings) {
        assertBalanced(p);
        for (const l of p.lines) {
          if (!accounts.has(`${p.year}|${l.account}`))
            throw new FiscusError('LEDGER_ACCOUNT_UNKNOWN', { account: l.account });
        }
        checkCodes(p);
      }
    } catch (e) {
      if (!isFiscusError(e)) throw e;
      outcomes[i] = { ok: false, error: e, violations: [] };
    }
  });
  const live = items.filter((_, i) => outcomes[i] === null);
  const sets = live.flatMap((it) =>
    it.postings.flatMap((p) => p.lines.map((l) => ({ year: p.year, elements: l.elements }))),
  );
  const keys = sets.length ? await resolveKeys(trx, region, sets) : new Map<string, bigint>();
  const keyId = (year: number, e: Parameters<typeof elementKey>[0]) => keys.get(`${year}|${elementKey(e)}`)!;
  const touched = live.flatMap((it) =>
    it.postings.flatMap((p) =>
      p.lines.map((l) => ({ year: p.year, account: l.account, keyId: keyId(p.year, l.elements) })),
    ),
  );
  const balances: BalanceRows = touched.length ? await lockBalances(trx, region, touched) : new Map();
  const receipts = await ReceiptBook.load(trx, region, live, rules);

  const charts = new Map<number, Map<string, LedgerAccount>>();
  const chartOf = (year: number) => {
    let chart = charts.get(year);
    if (!chart) {
      chart = new Map();
      for (const [k, a] of accounts) if (k.startsWith(`${year}|`)) chart.set(a.code, a);
      charts.set(year, chart);
    }
    return chart;
  };
  const changed: BalanceRows = new Map();
  const monthly: MonthlyMoves = new Map();
  const accepted: { index: number; postings: Posting[]; warnings: Violation[] }[] = [];
  items.forEach((item, i) => {
    if (outcomes[i] !== null) return;
    const scratch: BalanceRows = new Map();
    const get = (id: string) => scratch.get(id) ?? balances.get(id) ?? { debit: 0n, credit: 0n };
    const violations: Violation[] = [];
    for (const p of item.postings) {
      const accountsOfYear = chartOf(p.year);
      const beforeOf = new Map<string, bigint>();
      for (const l of p.lines) {
        const id = balanceId(p.year, l.account, keyId(p.year, l.elements));
        const b = get(id);
        const acct = accountsOfYear.get(l.account)!;
        if (!beforeOf.has(id)) beforeOf.set(id, normalBalance(acct, b.debit, b.credit));
        scratch.set(
          id,
          l.side === 'debit' ? { ...b, debit: b.debit + l.amount } : { ...b, credit: b.credit + l.amount },
        );
      }
      const lookup = (account: string, key: string, after: boolean): bigint => {
        const kid = keys.get(`${p.year}|${key}`);
        const acct = accountsOfYear.get(account);
        if (kid === undefined || !acct) return 0n;
        const id = balanceId(p.year, account, kid);
        if (!after && beforeOf.has(id)) return beforeOf.get(id)!;
        const b = after ? get(id) : (balances.get(id) ?? changed.get(id) ?? { debit: 0n, credit: 0n });
        return normalBalance(acct, b.debit, b.credit);
      };
      const ctx: ControlContext = {
        regionAncestry,
        on: item.on,
        scenario: item.scenario,
        posting: p,
        accounts: accountsOfYear,
        before: (a, k) => lookup(a, k, false),
        after: (a, k) => lookup(a, k, true),
        payment: item.payment,
        receipts: (f, ag) => receipts.receipts(p.year, f, ag),
        spent: (f, ag) => receipts.spent(p.year, f, ag),
        settings,
      };
      violations.push(...evaluateControls(rules, ctx));
    }
    if (violations.some((v) => v.action === 'block')) {
      outcomes[i] = { ok: false, error: refusal(violations), violations };
      return;
    }
    // Accepted: its scratch balances become the batch's running balances.
    for (const [id, v] of scratch) {
      balances.set(id, v);
      changed.set(id, v);
    }
    for (const p of item.postings) {
      const month = Number(item.on.slice(5, 7));
      receipts.record(p);
      for (const l of p.lines) {
        const mid = `${balanceId(p.year, l.account, keyId(p.year, l.elements))}|${month}`;
        const m = monthly.get(mid) ?? { debit: 0n, credit: 0n };
        monthly.set(
          mid,
          l.side === 'debit' ? { ...m, debit: m.debit + l.amount } : { ...m, credit: m.credit + l.amount },
        );
      }
    }
    accepted.push({ index: i, postings: item.postings, warnings: violations });
  });

  const entries: NewEntry[] = [];
  for (const a of accepted) {
    const item = items[a.index]!;
    for (const p of a.postings)
      entries.push({
        posting: p,
        on: item.on,
        commandId: item.commandId,
        reversesEntryId: item.reversesEntryId,
      });
  }
  const ids = await writeBatch(trx, region, entries, keys, changed, monthly);
  let next = 0;
  for (const a of accepted) {
    const entryIds = a.postings.map(() => ids[next++]!.toString());
    outcomes[a.index] = { ok: true, entryIds, warnings: a.warnings };
  }
  return outcomes as EngineOutcome[];
}
