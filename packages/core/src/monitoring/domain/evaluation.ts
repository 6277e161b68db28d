import { FiscusError } from '../../kernel/errors';
import { daysBetween, isClosed, type WarningStatus } from './disposition';
import { isIsoDate, type WarningLevel } from './rules';

/** 评价: one warning as the statistics see it. */
export interface WarningFact {
  warningId: string;
  ruleCode: string;
  agencyCode: string;
  level: WarningLevel;
  status: WarningStatus;
  /** YYYY-MM-DD */
  raisedOn: string;
  /** YYYY-MM-DD; null while open (and for a closed warning whose closing date was not kept). */
  closedOn: string | null;
  /** reached rectifying (认定违规) at some point */
  violation: boolean;
}

export interface EvaluationRow {
  key: string;
  total: number;
  open: number;
  closed: number;
  violations: number;
  /** Violations beyond the first for the same (agency, rule) pair: 屡查屡犯. */
  repeatOffences: number;
  /** Over the closed warnings with a closing date; null when there are none. */
  meanDaysToClose: number | null;
  maxDaysToClose: number | null;
}

interface Tally {
  total: number;
  open: number;
  violations: number;
  /** closed warnings with a closing date: how many, their summed and their longest days to close */
  timed: number;
  sumDays: number;
  maxDays: number;
}

/**
 * Facts come from our own store, so an inconsistent one (bad date, closed before raised, a closing
 * date on an open warning) is a bug to surface, not a number to average over.
 */
function daysToClose(f: WarningFact): number | null {
  const bad = (zh: string, en: string): FiscusError =>
    new FiscusError('VALIDATION_FAILED', {
      detail: `预警 ${f.warningId}：${zh} warning ${f.warningId}: ${en}`,
    });
  if (!isIsoDate(f.raisedOn))
    throw bad(`预警日期无效：${f.raisedOn}`, `raisedOn is not a date: ${f.raisedOn}`);
  if (f.closedOn === null) return null;
  if (!isIsoDate(f.closedOn))
    throw bad(`关闭日期无效：${f.closedOn}`, `closedOn is not a date: ${f.closedOn}`);
  if (!isClosed(f.status)) throw bad('未关闭却有关闭日期', 'is open but has a closing date');
  const d = daysBetween(f.raisedOn, f.closedOn);
  if (d < 0) throw bad('关闭日期早于预警日期', 'closed before it was raised');
  return d;
}

const pairKey = (f: WarningFact): string => JSON.stringify([f.agencyCode, f.ruleCode]);

/**
 * 按单位 or 按规则 statistics, one row per agency or rule, sorted by key (code-point order, so the
 * result does not depend on the locale or on the order of the facts).
 */
export function evaluateBy(facts: readonly WarningFact[], by: 'agency' | 'rule'): EvaluationRow[] {
  const keyOf = (f: WarningFact): string => (by === 'agency' ? f.agencyCode : f.ruleCode);
  const tallies = new Map<string, Tally>();
  // Violations per (agency, rule): every one past the first is a repeat, credited to that pair's row.
  const pairs = new Map<string, { key: string; violations: number }>();
  for (const f of facts) {
    const key = keyOf(f);
    let t = tallies.get(key);
    if (t === undefined) {
      t = { total: 0, open: 0, violations: 0, timed: 0, sumDays: 0, maxDays: 0 };
      tallies.set(key, t);
    }
    const d = daysToClose(f);
    t.total += 1;
    if (!isClosed(f.status)) t.open += 1;
    if (d !== null) {
      t.timed += 1;
      t.sumDays += d;
      t.maxDays = Math.max(t.maxDays, d);
    }
    if (f.violation) {
      t.violations += 1;
      const p = pairs.get(pairKey(f)) ?? { key, violations: 0 };
      p.violations += 1;
      pairs.set(pairKey(f), p);
    }
  }
  const repeats = new Map<string, number>();
  for (const p of pairs.values()) repeats.set(p.key, (repeats.get(p.key) ?? 0) + p.violations - 1);

  return [...tallies.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, t]) => ({
      key,
      total: t.total,
      open: t.open,
      closed: t.total - t.open,
      violations: t.violations,
      repeatOffences: repeats.get(key) ?? 0,
      // Whole days summed exactly, so the mean is the same whatever the order of the facts.
      meanDaysToClose: t.timed === 0 ? null : t.sumDays / t.timed,
      maxDaysToClose: t.timed === 0 ? null : t.maxDays,
    }));
}
