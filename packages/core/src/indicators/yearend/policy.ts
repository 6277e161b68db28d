import type { YearendPolicy, YearendRule } from '@fiscus/contracts';
import type { Elements } from '../../ledger/domain/elements';
import { credit, debit, type Posting } from '../../ledger/domain/posting';
import { type Pool, postingsFor } from '../../ledger/domain/scenarios';
import { sm3Hex } from '../../platform/gm/sm3';

export type YearendAction = 'carry' | 'lapse';

/** What the policy looks at in one balance. */
export interface BalanceFacts {
  pool: Pool;
  fundTypeCode: string;
  indicatorTypeCode: string | null;
  sourceTypeCode: string | null;
  directReach: boolean;
}

/** An unspent balance of year Y: the normal (credit) balance of 2101 or 2001 of one element set. */
export interface UnspentBalance extends BalanceFacts {
  amount: bigint;
}

const starts = (value: string | null, prefix: string | undefined) =>
  prefix === undefined || value?.startsWith(prefix) === true;

export function ruleMatches(rule: YearendRule, f: BalanceFacts): boolean {
  return (
    (rule.pool === undefined || rule.pool === f.pool) &&
    starts(f.fundTypeCode, rule.fundTypeCode) &&
    starts(f.indicatorTypeCode, rule.indicatorTypeCode) &&
    starts(f.sourceTypeCode, rule.sourceTypeCode) &&
    (rule.directReach === undefined || rule.directReach === f.directReach)
  );
}

/** The first matching rule decides; `otherwise` when none does. */
export function decide(
  policy: YearendPolicy,
  f: BalanceFacts,
): { action: YearendAction; rule: number | null } {
  const i = policy.rules.findIndex((r) => ruleMatches(r, f));
  return i < 0 ? { action: policy.otherwise, rule: null } : { action: policy.rules[i]!.action, rule: i };
}

export interface ActionTotals {
  count: number;
  /** fen */
  amount: bigint;
}

/** Totals per action, and per action and fund type: what `--dry-run` prints and a run plans. */
export interface YearendPlan {
  carry: ActionTotals;
  lapse: ActionTotals;
  byFundType: { action: YearendAction; pool: Pool; fundTypeCode: string; count: number; amount: bigint }[];
}

/**
 * Plan over balances (or groups of balances with a count): every positive balance lands in
 * exactly one action, so Σ carried + Σ lapsed = Σ unspent.
 */
export function plan(
  balances: Iterable<UnspentBalance & { count?: number }>,
  policy: YearendPolicy,
): YearendPlan {
  const out: YearendPlan = {
    carry: { count: 0, amount: 0n },
    lapse: { count: 0, amount: 0n },
    byFundType: [],
  };
  const by = new Map<string, YearendPlan['byFundType'][number]>();
  for (const b of balances) {
    if (b.amount <= 0n) continue;
    const n = b.count ?? 1;
    const { action } = decide(policy, b);
    out[action].count += n;
    out[action].amount += b.amount;
    const k = `${action}|${b.pool}|${b.fundTypeCode}`;
    const row = by.get(k) ?? { action, pool: b.pool, fundTypeCode: b.fundTypeCode, count: 0, amount: 0n };
    row.count += n;
    row.amount += b.amount;
    by.set(k, row);
  }
  out.byFundType = [...by.values()].sort(
    (a, b) =>
      a.action.localeCompare(b.action) ||
      a.pool.localeCompare(b.pool) ||
      a.fundTypeCode.localeCompare(b.fundTypeCode),
  );
  return out;
}

const MAX_ID = 38;

/**
 * The next year's indicator of a carried one: `JZ<Y+1>-<old id>`, the same on every retry and
 * rerun; an id too long for 38 characters is replaced by a digest of it.
 */
export function carriedIndicatorId(oldId: string, nextYear: number): string {
  const id = `JZ${nextYear}-${oldId}`;
  return id.length <= MAX_ID ? id : `JZ${nextYear}-${sm3Hex(oldId).slice(0, MAX_ID - 7)}`;
}

/** The next year's element set: same dimensions, the new id, the old one as origin, 上年结转. */
export function nextYearElements(from: Elements, nextId: string): Elements {
  return { ...from, indicatorId: nextId, originIndicatorId: from.indicatorId, sourceTypeCode: '3' };
}

/**
 * The entries of one decision, split by year (the caller dates them: 12-31 of Y, 01-01 of Y+1).
 * Executable: scenarios 17/18 (借2101/贷2601, next year 借1003/贷2101; 借2101/贷2602). Unallocated
 * follows the same pattern on 2001: 借2001/贷2601, next year 借1003/贷2001; 借2001/贷2602.
 */
export function yearendPostings(
  action: YearendAction,
  pool: Pool,
  year: number,
  amount: bigint,
  from: Elements,
  nextYear: Elements | null,
): { thisYear: Posting; nextYear: Posting | null } {
  if (pool === 'executable') {
    if (action === 'lapse') {
      const [p] = postingsFor({ scenario: 'lapse', year, amount, from });
      return { thisYear: p!, nextYear: null };
    }
    const [p, q] = postingsFor({ scenario: 'carryForward', year, amount, from, nextYear: nextYear! });
    return { thisYear: p!, nextYear: q! };
  }
  if (action === 'lapse')
    return {
      thisYear: {
        scenario: 'lapse',
        year,
        lines: [debit('2001', amount, from), credit('2602', amount, from)],
      },
      nextYear: null,
    };
  const next = nextYear!;
  return {
    thisYear: {
      scenario: 'carryForward',
      year,
      lines: [debit('2001', amount, from), credit('2601', amount, from)],
    },
    nextYear: {
      scenario: 'carryForward',
      year: year + 1,
      lines: [debit('1003', amount, next), credit('2001', amount, next)],
    },
  };
}
