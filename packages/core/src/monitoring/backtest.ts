import type { RuleDefinition } from '@fiscus/contracts';
import { type Kysely, sql, type Transaction } from 'kysely';
import { FiscusError } from '../kernel/errors';
import { formatYuan } from '../kernel/money';
import type { DB } from '../platform/db/schema';
import { evaluateCompiled, type Finding } from './domain/evaluate';
import type { MonitorAggregates } from './domain/functions';
import { isIsoDate, type MonitorRule, type RuleAction, type WarningLevel } from './domain/rules';
import type { PaymentSubject } from './domain/subject';
import type { LocalizedText } from './domain/types';
import { checkedRule, parseRuleDefinition } from './rule-input';
import { judge } from './service';
import {
  type DayRow,
  historyAggregates,
  loadHistory,
  type PayeeRow,
  SPENDING_STATES,
  type StatRow,
} from './store/history';
import { type CompiledRule, compiledOf, latestVersion, ruleFromStored } from './store/rules';
import { paymentSubject } from './store/subject';

/*
 * 规则回测 (backtesting): a draft rule, or a changed version of a stored one, replayed over the
 * applications of a past period before it is switched on. Read-only: it runs in one READ ONLY
 * transaction, so it cannot write a warning even by mistake.
 *
 * What a replay honours and what it ignores:
 * - the rule is checked exactly as `monitorRule.save` checks it (same refusals);
 * - `enabled` is ignored (a draft is normally saved disabled) and so are `effectiveFrom`/`effectiveTo`
 *   (the point is to try the rule on dates before it takes effect);
 * - `scope.regions` is honoured: a rule that does not cover the region scans and hits nothing
 *   (`inScope: false`);
 * - every application submitted in the period counts, whatever became of it later (returned,
 *   refused, paid …), judged as at its (last) submission: business date = `submitted_on`, time of
 *   day = its last `submit` action; the trigger (`submit`/`approve`) does not move the date;
 * - history aggregates are those the live check would have seen then: the unit's applications
 *   submitted before this one (by date, then by time of submission) that are in a spending state
 *   (`SPENDING_STATES`, their state today — an application withdrawn later no longer counts as
 *   spending, as it does not count live today);
 * - the indicator's figures (`indicator.amount`, `indicator.used`) are taken from the ledger as it
 *   stood just before the application's reservation (or at the end of its submission day when it
 *   has none); everything else (payee account registry, settlement mode names, the application's
 *   own fields) is read as it is now;
 * - failures are fail-closed as in live monitoring (`judge`): a rule that cannot be evaluated
 *   counts as a (grey) hit and is reported in `failures`;
 * - scheduled rules judge indicators, not payments, and are refused here.
 */

/** A stored version to replay instead of a draft: the newest one when `version` is left out. */
export interface StoredRuleRef {
  code: string;
  version?: number;
}

export interface BacktestQuery {
  region: string;
  year: number;
  /** A draft (the editor's wire definition) or a stored version. */
  rule: RuleDefinition | StoredRuleRef;
  /** Submission dates, YYYY-MM-DD, both inclusive. */
  from: string;
  to: string;
  /** How many hits to list in `samples` (default 50, at most 1 000). */
  limit?: number;
}

export interface BacktestSample {
  applicationId: string;
  agencyCode: string;
  submittedOn: string;
  amountFen: bigint;
  payeeName: string;
  /** The application's state today. */
  state: string;
  action: RuleAction;
  level: WarningLevel;
  message: LocalizedText;
  /** The rule could not be evaluated: this hit is the fail-closed grey warning. */
  failed: boolean;
}

export interface BacktestReport {
  rule: {
    code: string;
    version: 'draft' | number;
    name: string;
    trigger: string;
    action: RuleAction;
    warningLevel: WarningLevel;
  };
  region: string;
  year: number;
  period: { from: string; to: string };
  /** Whether the rule's scope covers the region; when not, nothing was judged. */
  inScope: boolean;
  /** Applications submitted in the period. */
  scanned: number;
  /** Applications the rule would have warned on (including fail-closed ones). */
  hits: number;
  amountFen: bigint;
  /** Hits where the rule could not be evaluated. */
  failures: number;
  byAgency: { agencyCode: string; count: number; amountFen: bigint }[];
  byMonth: { month: string; count: number; amountFen: bigint }[];
  byAction: { action: RuleAction; count: number }[];
  byLevel: { level: WarningLevel; count: number }[];
  samples: BacktestSample[];
  /**
   * Other rules that already warned on the hit applications: `count` hit applications with at
   * least one of its warnings, `warnings` how many warnings.
   */
  overlap: { ruleCode: string; count: number; warnings: number }[];
  /** What became of every existing warning (any rule, this code included) on the hit applications. */
  dispositions: {
    byStatus: { status: string; count: number }[];
    /** 认定正常 / 核实无误. */
    normal: number;
    /** 认定违规: 待整改 / 已整改 / 整改通过. */
    violation: number;
    /** Still being disposed of: 待认定 / 疑似违规 / 已下发问询 / 单位已反馈. */
    open: number;
    /** 记录 only, never disposed of. */
    recorded: number;
  };
  /**
   * The version of the same code stored now (when the code exists): warnings it raised on the hit
   * applications, on how many of them, on how many applications of the period in all, and how
   * many of those the draft would no longer warn on.
   */
  sameCodeBefore: null | {
    version: number;
    warnings: number;
    applications: number;
    inPeriod: number;
    droppedByDraft: number;
  };
}

const NORMAL = new Set(['closedNormal', 'closedVerified']);
const VIOLATION = new Set(['rectifying', 'rectified', 'closedRectified']);
const RECORDED = new Set(['recorded']);
/** The indicator accounts of `amountLateral` (indicators/queries.ts): total and used. */
const TOTAL_ACCOUNTS = ['2001', '2101', '2002', '2102', '2301', '2401', '2501'];
const USED_ACCOUNTS = ['2301', '2401', '2501'];

/** History is read only when the rule needs it; an aggregate called without it is a bug. */
const noHistory = new Proxy({} as MonitorAggregates, {
  get() {
    throw new Error('history aggregates were not loaded');
  },
});

/** `{code}` or `{code, version}` only: a stored version; anything else is read as a definition. */
function storedRef(r: unknown): StoredRuleRef | null {
  if (typeof r !== 'object' || r === null || Array.isArray(r)) return null;
  const keys = Object.keys(r);
  if (!keys.includes('code') || keys.some((k) => k !== 'code' && k !== 'version')) return null;
  const { code, version } = r as { code: unknown; version?: unknown };
  if (typeof code !== 'string' || !/^[A-Z][A-Z0-9_]{1,47}$/.test(code))
    throw bad('规则编码应为大写字母、数字和下划线', 'rule code must be UPPER_SNAKE');
  if (version !== undefined && (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1))
    throw bad('版本号应为正整数', 'version must be a positive integer');
  return version === undefined ? { code } : { code, version };
}

const bad = (zh: string, en: string) => new FiscusError('VALIDATION_FAILED', { detail: `${zh} ${en}` });

function inScope(rule: MonitorRule, region: string): boolean {
  return rule.scope.regions.some((p) => region.startsWith(p));
}

/** The rule to replay, compiled: a draft checked as a save checks it, or a stored version. */
async function ruleToReplay(
  db: Kysely<DB>,
  region: string,
  input: unknown,
): Promise<{ compiled: CompiledRule; draft: boolean; stored: number }> {
  const ref = storedRef(input);
  let rule: MonitorRule;
  let stored: number;
  if (ref === null) {
    const def = parseRuleDefinition(input);
    stored = await latestVersion(db, region, def.code);
    rule = checkedRule(def, stored + 1);
  } else {
    stored = await latestVersion(db, region, ref.code);
    const version = ref.version ?? stored;
    const row = await db
      .selectFrom('monitor.rule_version')
      .select('definition')
      .where('region_code', '=', region)
      .where('code', '=', ref.code)
      .where('version', '=', version)
      .executeTakeFirst();
    if (!row)
      throw new FiscusError('NOT_FOUND', {
        entity: '监控规则 monitoring rule',
        key: `${ref.code} v${version}`,
      });
    rule = ruleFromStored(row.definition);
  }
  if (rule.trigger === 'scheduled')
    throw new FiscusError(
      'MONITOR_RULE_INVALID',
      {
        detail:
          'trigger: 定时规则针对指标而非支付，不能按支付回测 scheduled rules judge indicators, not payments, and are not backtested over payments',
      },
      [
        {
          path: 'trigger',
          code: 'MONITOR_RULE_INVALID',
          message: 'scheduled rules judge indicators, not payments',
          messageZh: '定时规则针对指标而非支付',
        },
      ],
    );
  const empty = { revision: '', rules: [], compiled: new Map() };
  return { compiled: compiledOf(empty, rule), draft: ref === null, stored };
}

interface AppRow {
  application_id: string;
  agency_code: string;
  indicator_id: string;
  /** The reservation of the last submission, when it was posted on the submission day. */
  reserve_entry_id: string | null;
  state: string;
  on: string;
  submit_at: Date;
  eco: string | null;
  cash: boolean;
  payroll: boolean;
  account_no: string;
  amount_fen: string;
}

/**
 * Every application of the region-year submitted on or before `to`, in submission order, with
 * what history needs: the scanned ones (from `from`) and the history they are judged against.
 */
async function submittedUpTo(db: Transaction<DB>, region: string, year: number, to: string) {
  const r = await sql<AppRow>`
    select p.application_id, coalesce(p.agency_code, '') as agency_code, p.indicator_id,
      re.id::text as reserve_entry_id, p.state, p.submitted_on::text as on,
      coalesce(s.at, p.created_at) as submit_at, p.dep_eco_code as eco,
      -- 现金/提现 settlement modes, by name, exactly as loadHistory (store/history.ts) decides.
      p.settlement_mode in (select code from basedata.code_item c where c.region_code = ${region}
        and c.fiscal_year = ${year} and c.set_code = 'settlementMode'
        and (c.name like '%现金%' or c.name like '%提现%')) as cash,
      p.payee_account_kind = 'payroll' as payroll, coalesce(p.payee->>'accountNo', '') as account_no,
      p.amount_fen::text as amount_fen
    from payments.application p
    left join lateral (
      select max(a.at) as at from payments.application_action a
      where a.region_code = p.region_code and a.fiscal_year = p.fiscal_year
        and a.application_id = p.application_id and a.action = 'submit'
    ) s on true
    left join ledger.entry re on re.region_code = p.region_code and re.fiscal_year = p.fiscal_year
      and re.id = p.reserve_entry_id and re.business_date = p.submitted_on
    where p.region_code = ${region} and p.fiscal_year = ${year}
      and p.submitted_on is not null and p.submitted_on <= ${to}::date
    order by p.submitted_on, submit_at, p.application_id`.execute(db);
  return r.rows.map((x) => ({ ...x, submit_at: new Date(x.submit_at) }));
}

interface Movement {
  entryId: bigint;
  on: string;
  total: bigint;
  used: bigint;
}

/**
 * The indicator's total and used figures for each application as they stood just before its
 * reservation was posted (the reservation of its last submission; without one, at the end of the
 * submission day). One statement reads every ledger movement of the indicators involved, per
 * entry; the figures are running sums over them, so the cost grows with the entries, not with
 * entries × applications.
 */
async function indicatorFiguresThen(
  db: Transaction<DB>,
  region: string,
  year: number,
  apps: readonly AppRow[],
): Promise<Map<string, { total: bigint; used: bigint }>> {
  const indicators = [...new Set(apps.map((a) => a.indicator_id))];
  const signed = sql`case when l.side = 'credit' then l.amount_fen else -l.amount_fen end`;
  const r = await sql<{ indicator_id: string; entry_id: string; on: string; total: string; used: string }>`
    select k.indicator_id, l.entry_id::text, min(l.business_date)::text as on,
      sum(${signed})::text as total,
      coalesce(sum(${signed}) filter (where l.account in (${sql.join(USED_ACCOUNTS)})), 0)::text as used
    from ledger.element_key k
    join ledger.line l on l.region_code = k.region_code and l.fiscal_year = k.fiscal_year
      and l.element_key_id = k.id and l.account in (${sql.join(TOTAL_ACCOUNTS)})
    where k.region_code = ${region} and k.fiscal_year = ${year} and k.indicator_id = any(${indicators}::text[])
    group by 1, 2`.execute(db);
  const moves = new Map<string, Movement[]>();
  for (const x of r.rows) {
    const m = { entryId: BigInt(x.entry_id), on: x.on, total: BigInt(x.total), used: BigInt(x.used) };
    const l = moves.get(x.indicator_id);
    if (l) l.push(m);
    else moves.set(x.indicator_id, [m]);
  }
  // Running sums in entry order: prefix[i] = the figures after the first i movements.
  const prefixes = new Map<string, { ids: bigint[]; total: bigint[]; used: bigint[] }>();
  for (const [id, l] of moves) {
    l.sort((a, b) => (a.entryId < b.entryId ? -1 : a.entryId > b.entryId ? 1 : 0));
    const p = { ids: l.map((m) => m.entryId), total: [0n], used: [0n] };
    for (const [i, m] of l.entries()) {
      p.total.push(p.total[i]! + m.total);
      p.used.push(p.used[i]! + m.used);
    }
    prefixes.set(id, p);
  }
  const out = new Map<string, { total: bigint; used: bigint }>();
  for (const a of apps) {
    const p = prefixes.get(a.indicator_id);
    const l = moves.get(a.indicator_id) ?? [];
    if (!p) {
      out.set(a.application_id, { total: 0n, used: 0n });
    } else if (a.reserve_entry_id !== null) {
      // Movements strictly before the reservation: binary search for the first id ≥ it.
      const r0 = BigInt(a.reserve_entry_id);
      let lo = 0;
      let hi = p.ids.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (p.ids[mid]! < r0) lo = mid + 1;
        else hi = mid;
      }
      out.set(a.application_id, { total: p.total[lo]!, used: p.used[lo]! });
    } else {
      const upTo = l.filter((m) => m.on <= a.on);
      out.set(a.application_id, {
        total: upTo.reduce((s, m) => s + m.total, 0n),
        used: upTo.reduce((s, m) => s + m.used, 0n),
      });
    }
  }
  return out;
}

/** The rows `historyAggregates` reads, built from the applications before this one (pure). */
function historyRows(
  before: readonly AppRow[],
  payeeAccountNo: string,
): { days: DayRow[]; payee: PayeeRow[]; stats: StatRow[] } {
  const days = new Map<string, DayRow & { total: bigint }>();
  const payee: PayeeRow[] = [];
  const byEco = new Map<string | null, number[]>();
  for (const h of before) {
    const k = JSON.stringify([h.on, h.eco, h.cash, h.payroll]);
    const d = days.get(k);
    if (d) d.total += BigInt(h.amount_fen);
    else
      days.set(k, {
        on: h.on,
        eco: h.eco,
        cash: h.cash,
        payroll: h.payroll,
        sum: '',
        total: BigInt(h.amount_fen),
      });
    if (h.account_no === payeeAccountNo) payee.push({ on: h.on, amt: h.amount_fen });
    const xs = byEco.get(h.eco);
    if (xs) xs.push(Number(h.amount_fen));
    else byEco.set(h.eco, [Number(h.amount_fen)]);
  }
  const stats: StatRow[] = [...byEco].map(([eco, xs]) => {
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
    return { eco, n: xs.length, mean, sd };
  });
  return {
    days: [...days.values()].map(({ total, ...d }) => ({ ...d, sum: total.toString() })),
    payee,
    stats,
  };
}

function tally<K extends string>(
  into: Map<K, { count: number; amountFen: bigint }>,
  key: K,
  amountFen: bigint,
): void {
  const e = into.get(key);
  if (e) {
    e.count += 1;
    e.amountFen += amountFen;
  } else into.set(key, { count: 1, amountFen });
}

function checkPeriod(q: { region: string; year: number; from: string; to: string; limit?: number }): void {
  if (!/^\d{9}$/.test(q.region)) throw bad(`区划 ${q.region} 无效`, `region ${q.region} is invalid`);
  if (!Number.isSafeInteger(q.year)) throw bad('年度无效', 'year is invalid');
  if (!isIsoDate(q.from)) throw bad(`开始日期 ${q.from} 无效`, `from ${q.from} is not a date`);
  if (!isIsoDate(q.to)) throw bad(`结束日期 ${q.to} 无效`, `to ${q.to} is not a date`);
  if (q.to < q.from) throw bad('结束日期早于开始日期', 'to is before from');
  if (q.limit !== undefined && (!Number.isSafeInteger(q.limit) || q.limit < 0 || q.limit > 1000))
    throw bad('样例条数应为 0–1000', 'limit must be 0–1000');
}

const readOnly = <T>(db: Kysely<DB>, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> =>
  db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(fn);

/**
 * 规则回测: how many warnings the rule would have raised on the applications submitted in
 * [from, to], where (agency, month), and how they overlap the warnings other rules raised and
 * what became of those. Writes nothing. See the notes at the top of this file.
 */
export async function backtestRule(db: Kysely<DB>, q: BacktestQuery): Promise<BacktestReport> {
  checkPeriod(q);
  const limit = q.limit ?? 50;
  return readOnly(db, async (trx) => {
    const { compiled, draft, stored } = await ruleToReplay(trx, q.region, q.rule);
    const rule = compiled.rule;
    const apps = await submittedUpTo(trx, q.region, q.year, q.to);
    const scanned = apps.filter((a) => a.on >= q.from);
    const covered = inScope(rule, q.region);
    const hits: { app: AppRow; finding: Finding; failed: boolean; payeeName: string }[] = [];
    if (covered && scanned.length > 0) {
      const figures = await indicatorFiguresThen(trx, q.region, q.year, scanned);
      // Per unit, the applications in submission order: an application's history is what precedes it.
      const byAgency = new Map<string, AppRow[]>();
      const position = new Map<AppRow, number>();
      for (const a of apps) {
        const l = byAgency.get(a.agency_code);
        if (l) {
          position.set(a, l.length);
          l.push(a);
        } else {
          position.set(a, 0);
          byAgency.set(a.agency_code, [a]);
        }
      }
      const spending = new Set<string>(SPENDING_STATES);
      for (const app of scanned) {
        const loaded = await paymentSubject(
          trx,
          { region: q.region, year: q.year, on: app.on, now: app.submit_at },
          app.application_id,
        );
        if (!loaded) continue;
        const fig = figures.get(app.application_id);
        const subject = fig
          ? {
              ...loaded.subject,
              indicator: { ...loaded.subject.indicator, amountFen: fig.total, usedFen: fig.used },
            }
          : loaded.subject;
        let aggregates = noHistory;
        if (compiled.usesHistory) {
          const unit = byAgency.get(app.agency_code)!;
          const before = unit
            .slice(0, position.get(app))
            .filter((h) => spending.has(h.state) && h.application_id !== app.application_id);
          const rows = historyRows(before, subject.payee.accountNo);
          aggregates = historyAggregates(app.on, subject.amountFen, rows.days, rows.payee, rows.stats);
        }
        const { finding, error } = judgeOne(compiled, subject, aggregates);
        if (finding) hits.push({ app, finding, failed: error !== undefined, payeeName: subject.payee.name });
      }
    }

    // Existing warnings on the period's applications: overlap, dispositions, the stored version.
    const existing = await trx
      .selectFrom('monitor.warning as w')
      .innerJoin('payments.application as p', (j) =>
        j
          .onRef('p.region_code', '=', 'w.region_code')
          .onRef('p.fiscal_year', '=', 'w.fiscal_year')
          .onRef('p.application_id', '=', 'w.application_id'),
      )
      .select(['w.application_id', 'w.rule_code', 'w.rule_version', 'w.status'])
      .where('w.region_code', '=', q.region)
      .where('w.fiscal_year', '=', q.year)
      .where(sql<boolean>`p.submitted_on between ${q.from}::date and ${q.to}::date`)
      .execute();
    const hitIds = new Set(hits.map((h) => h.app.application_id));
    const overlap = new Map<string, { apps: Set<string>; warnings: number }>();
    const statuses = new Map<string, number>();
    let sameWarnings = 0;
    const sameApps = new Set<string>();
    const sameInPeriod = new Set<string>();
    for (const w of existing) {
      const id = w.application_id!;
      const hit = hitIds.has(id);
      const byStored = stored > 0 && w.rule_code === rule.code && w.rule_version === stored;
      if (byStored) sameInPeriod.add(id);
      if (!hit) continue;
      statuses.set(w.status, (statuses.get(w.status) ?? 0) + 1);
      if (byStored) {
        sameWarnings += 1;
        sameApps.add(id);
      }
      if (w.rule_code === rule.code) continue;
      const o = overlap.get(w.rule_code) ?? { apps: new Set<string>(), warnings: 0 };
      o.apps.add(id);
      o.warnings += 1;
      overlap.set(w.rule_code, o);
    }
    const countIn = (set: ReadonlySet<string>) =>
      [...statuses].filter(([s]) => set.has(s)).reduce((n, [, c]) => n + c, 0);
    const all = [...statuses].reduce((n, [, c]) => n + c, 0);

    const agencies = new Map<string, { count: number; amountFen: bigint }>();
    const months = new Map<string, { count: number; amountFen: bigint }>();
    const actions = new Map<RuleAction, { count: number; amountFen: bigint }>();
    const levels = new Map<WarningLevel, { count: number; amountFen: bigint }>();
    let amountFen = 0n;
    for (const h of hits) {
      const amt = BigInt(h.app.amount_fen);
      amountFen += amt;
      tally(agencies, h.app.agency_code, amt);
      tally(months, h.app.on.slice(0, 7), amt);
      tally(actions, h.finding.action, amt);
      tally(levels, h.finding.level, amt);
    }
    const byCount = <K extends string>(a: [K, { count: number }], b: [K, { count: number }]) =>
      b[1].count - a[1].count || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

    return {
      rule: {
        code: rule.code,
        version: draft ? 'draft' : rule.version,
        name: rule.name,
        trigger: rule.trigger,
        action: rule.action,
        warningLevel: rule.warningLevel,
      },
      region: q.region,
      year: q.year,
      period: { from: q.from, to: q.to },
      inScope: covered,
      scanned: scanned.length,
      hits: hits.length,
      amountFen,
      failures: hits.filter((h) => h.failed).length,
      byAgency: [...agencies]
        .sort(byCount)
        .map(([agencyCode, v]) => ({ agencyCode, count: v.count, amountFen: v.amountFen })),
      byMonth: [...months]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([month, v]) => ({ month, count: v.count, amountFen: v.amountFen })),
      byAction: [...actions].sort(byCount).map(([action, v]) => ({ action, count: v.count })),
      byLevel: [...levels].sort(byCount).map(([level, v]) => ({ level, count: v.count })),
      samples: hits.slice(0, limit).map((h) => ({
        applicationId: h.app.application_id,
        agencyCode: h.app.agency_code,
        submittedOn: h.app.on,
        amountFen: BigInt(h.app.amount_fen),
        payeeName: h.payeeName,
        state: h.app.state,
        action: h.finding.action,
        level: h.finding.level,
        message: h.finding.message,
        failed: h.failed,
      })),
      overlap: [...overlap]
        .map(([ruleCode, o]) => ({ ruleCode, count: o.apps.size, warnings: o.warnings }))
        .sort((a, b) => b.count - a.count || (a.ruleCode < b.ruleCode ? -1 : 1)),
      dispositions: {
        byStatus: [...statuses]
          .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
          .map(([status, count]) => ({ status, count })),
        normal: countIn(NORMAL),
        violation: countIn(VIOLATION),
        recorded: countIn(RECORDED),
        open: all - countIn(NORMAL) - countIn(VIOLATION) - countIn(RECORDED),
      },
      sameCodeBefore:
        stored === 0
          ? null
          : {
              version: stored,
              warnings: sameWarnings,
              applications: sameApps.size,
              inPeriod: sameInPeriod.size,
              droppedByDraft: [...sameInPeriod].filter((id) => !hitIds.has(id)).length,
            },
    };
  });
}

/**
 * One rule over one subject with live (fail-closed) semantics: the finding live monitoring would
 * store, and why the rule could not run when that finding is the fail-closed one.
 */
function judgeOne(
  compiled: CompiledRule,
  subject: PaymentSubject,
  aggregates: MonitorAggregates,
): { finding?: Finding; error?: LocalizedText } {
  const ev = evaluateCompiled([compiled], subject, aggregates);
  const failure = ev.failures[0];
  if (!failure) return ev.findings[0] ? { finding: ev.findings[0] } : {};
  // Pure and deterministic: judging again yields the grey warning the live check would raise.
  const finding = judge([compiled], subject, aggregates)[0];
  return finding ? { finding, error: failure.error.message } : { error: failure.error.message };
}

export interface SampleRunResult {
  applicationId: string;
  /** Whether live monitoring would raise a warning (a rule that cannot run raises a grey one). */
  fired: boolean;
  action?: RuleAction;
  level?: WarningLevel;
  message?: LocalizedText;
  /** Why the rule could not be judged for this application (not found, out of scope, evaluation error). */
  error?: LocalizedText;
}

/**
 * 试运行: the editor's test-run of a rule on a few chosen applications, judged as live monitoring
 * would judge them now (history as of the application's submission date, or `on` — default
 * today — for one not submitted yet; the indicator's figures as they are). Writes nothing.
 */
export async function testRuleOnApplications(
  db: Kysely<DB>,
  q: {
    region: string;
    year: number;
    rule: RuleDefinition | StoredRuleRef;
    applicationIds: readonly string[];
    on?: string;
  },
): Promise<SampleRunResult[]> {
  if (q.applicationIds.length > 200)
    throw bad('试运行最多 200 笔支付', 'a test-run takes at most 200 applications');
  if (q.on !== undefined && !isIsoDate(q.on)) throw bad(`日期 ${q.on} 无效`, `on ${q.on} is not a date`);
  const now = new Date();
  const today = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  return readOnly(db, async (trx) => {
    const { compiled } = await ruleToReplay(trx, q.region, q.rule);
    const covered = inScope(compiled.rule, q.region);
    const out: SampleRunResult[] = [];
    for (const applicationId of q.applicationIds) {
      if (!covered) {
        out.push({
          applicationId,
          fired: false,
          error: {
            'zh-CN': `规则生效范围不含区划 ${q.region}`,
            en: `the rule's scope does not cover region ${q.region}`,
          },
        });
        continue;
      }
      const app = await trx
        .selectFrom('payments.application')
        .select(sql<string | null>`submitted_on::text`.as('submitted_on'))
        .where('region_code', '=', q.region)
        .where('fiscal_year', '=', q.year)
        .where('application_id', '=', applicationId)
        .executeTakeFirst();
      const on = app?.submitted_on ?? q.on ?? today;
      const loaded = app
        ? await paymentSubject(trx, { region: q.region, year: q.year, on, now }, applicationId)
        : null;
      if (!loaded) {
        out.push({
          applicationId,
          fired: false,
          error: {
            'zh-CN': `支付申请 ${applicationId} 不存在`,
            en: `payment application ${applicationId} not found`,
          },
        });
        continue;
      }
      const { subject } = loaded;
      const aggregates = compiled.usesHistory
        ? await loadHistory(trx, {
            region: q.region,
            year: q.year,
            agencyCode: subject.agencyCode,
            applicationId,
            payeeAccountNo: subject.payee.accountNo,
            on,
            amountFen: subject.amountFen,
          })
        : noHistory;
      const { finding: f, error } = judgeOne(compiled, subject, aggregates);
      out.push({
        applicationId,
        fired: f !== undefined,
        ...(f ? { action: f.action, level: f.level, message: f.message } : {}),
        ...(error ? { error } : {}),
      });
    }
    return out;
  });
}

/** The report with money as yuan strings, for the HTTP and CLI edges. */
export function backtestReportJson(r: BacktestReport) {
  const { amountFen, ...rest } = r;
  return {
    ...rest,
    amount: formatYuan(amountFen),
    byAgency: r.byAgency.map(({ amountFen: f, ...a }) => ({ ...a, amount: formatYuan(f) })),
    byMonth: r.byMonth.map(({ amountFen: f, ...m }) => ({ ...m, amount: formatYuan(f) })),
    samples: r.samples.map(({ amountFen: f, ...x }) => ({ ...x, amount: formatYuan(f) })),
  };
}
