import { type Kysely, sql } from 'kysely';
import { formatYuan } from '../kernel/money';
import type { DB } from '../platform/db/schema';
import { type WarningStatus, warningStatusNames } from './domain/disposition';
import { evaluateBy, type WarningFact } from './domain/evaluation';
import type { MonitorRule, WarningLevel } from './domain/rules';
import type { RuleParam } from './domain/subject';
import { ruleFromStored } from './store/rules';

/** Parameters as the editor shows and sends them: money back to `{ yuan }`. */
export function paramsToWire(p: Readonly<Record<string, RuleParam>>) {
  const out: Record<string, number | string | boolean | string[] | { yuan: string }> = {};
  for (const [k, v] of Object.entries(p))
    out[k] = typeof v === 'bigint' ? { yuan: formatYuan(v) } : Array.isArray(v) ? [...v] : (v as string);
  return out;
}

/** One stored version in the editor's shape (the `RuleDefinition` it saves, plus the version). */
export function ruleView(r: MonitorRule, createdBy: string, createdAt: Date) {
  return {
    code: r.code,
    version: r.version,
    name: r.name,
    theme: r.theme,
    basis: r.basis,
    trigger: r.trigger,
    scope: { regions: [...r.scope.regions], level: r.scope.level },
    condition: r.condition,
    params: paramsToWire(r.params),
    warningLevel: r.warningLevel,
    action: r.action,
    prompt: r.prompt,
    effectiveFrom: r.effectiveFrom,
    ...(r.effectiveTo === undefined ? {} : { effectiveTo: r.effectiveTo }),
    enabled: r.enabled,
    createdBy,
    createdAt: createdAt.toISOString(),
  };
}

/** 规则列表: the newest version of every code of the region, with how many versions it has. */
export async function listRules(db: Kysely<DB>, region: string) {
  const rows = await sql<{ definition: unknown; created_by: string; created_at: Date; versions: number }>`
    select distinct on (code) definition, created_by, created_at, count(*) over (partition by code)::int as versions
    from monitor.rule_version where region_code = ${region}
    order by code, version desc`.execute(db);
  return rows.rows.map((r) => ({
    ...ruleView(ruleFromStored(r.definition), r.created_by, r.created_at),
    versions: r.versions,
  }));
}

/** Every version of one rule, newest first (a warning names the version that raised it). */
export async function ruleVersions(db: Kysely<DB>, region: string, code: string) {
  const rows = await db
    .selectFrom('monitor.rule_version')
    .select(['definition', 'created_by', 'created_at'])
    .where('region_code', '=', region)
    .where('code', '=', code)
    .orderBy('version', 'desc')
    .execute();
  return rows.map((r) => ruleView(ruleFromStored(r.definition), r.created_by, r.created_at));
}

export interface WarningFilter {
  region: string;
  year: number;
  status?: string | undefined;
  /** open = not closed; closed = closed or recorded */
  state?: 'open' | 'closed' | undefined;
  level?: string | undefined;
  ruleCode?: string | undefined;
  agencyCode?: string | undefined;
  applicationId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** Agency-scoped readers see their agencies only; null = the whole region. */
  agencies: readonly string[] | null;
  page: number;
  pageSize: number;
}

const CLOSED = ['recorded', 'closedNormal', 'closedVerified', 'closedRectified'];

function warningWhere(f: WarningFilter) {
  const c = [sql`w.region_code = ${f.region}`, sql`w.fiscal_year = ${f.year}`];
  if (f.status) c.push(sql`w.status = ${f.status}`);
  if (f.state === 'open') c.push(sql`w.status not in (${sql.join(CLOSED)})`);
  if (f.state === 'closed') c.push(sql`w.status in (${sql.join(CLOSED)})`);
  if (f.level) c.push(sql`w.level = ${f.level}`);
  if (f.ruleCode) c.push(sql`w.rule_code = ${f.ruleCode}`);
  if (f.agencyCode) c.push(sql`w.agency_code = ${f.agencyCode}`);
  if (f.applicationId) c.push(sql`w.application_id = ${f.applicationId}`);
  if (f.from) c.push(sql`w.raised_on >= ${f.from}::date`);
  if (f.to) c.push(sql`w.raised_on <= ${f.to}::date`);
  if (f.agencies !== null)
    c.push(f.agencies.length ? sql`w.agency_code in (${sql.join([...f.agencies])})` : sql`false`);
  return sql.join(c, sql` and `);
}

interface WarningRow {
  warning_id: string;
  rule_code: string;
  rule_version: number;
  rule_name: string | null;
  level: WarningLevel;
  action: string;
  trigger: string;
  application_id: string | null;
  indicator_id: string | null;
  agency_code: string;
  agency_name: string | null;
  amount_fen: bigint;
  message: { 'zh-CN': string; en: string };
  explanation: string | null;
  status: WarningStatus;
  violation: boolean;
  inquiry_no: string | null;
  deadline: string | null;
  escalation: number;
  raised_on: string;
  raised_at: Date;
  closed_on: string | null;
}

const warningItem = (r: WarningRow, today: string) => ({
  warningId: r.warning_id,
  ruleCode: r.rule_code,
  ruleVersion: r.rule_version,
  ruleName: r.rule_name,
  level: r.level,
  action: r.action,
  trigger: r.trigger,
  applicationId: r.application_id,
  indicatorId: r.indicator_id,
  agencyCode: r.agency_code,
  agencyName: r.agency_name,
  amount: formatYuan(BigInt(r.amount_fen)),
  message: r.message,
  explanation: r.explanation,
  status: r.status,
  statusName: warningStatusNames[r.status],
  violation: r.violation,
  inquiryNo: r.inquiry_no,
  deadline: r.deadline,
  overdue: r.deadline !== null && ['inquiryIssued', 'rectifying'].includes(r.status) && today > r.deadline,
  escalation: r.escalation,
  raisedOn: r.raised_on,
  raisedAt: r.raised_at.toISOString(),
  closedOn: r.closed_on,
});

const warningSelect = sql`
  select w.warning_id, w.rule_code, w.rule_version, rv.definition->>'name' as rule_name, w.level, w.action,
    w.trigger, w.application_id, w.indicator_id, w.agency_code, ag.name as agency_name, w.amount_fen,
    w.message, w.explanation, w.status, w.violation, w.inquiry_no, w.deadline::text as deadline, w.escalation,
    w.raised_on::text as raised_on, w.raised_at, w.closed_on::text as closed_on
  from monitor.warning w
  join monitor.rule_version rv on rv.region_code = w.region_code and rv.code = w.rule_code
    and rv.version = w.rule_version
  left join basedata.agency ag on ag.region_code = w.region_code and ag.fiscal_year = w.fiscal_year
    and ag.code = w.agency_code`;

const todayOf = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

/** 预警列表: one page, newest first, with the filtered total. */
export async function listWarnings(db: Kysely<DB>, f: WarningFilter) {
  const where = warningWhere(f);
  const [total, rows] = await Promise.all([
    sql<{ n: number }>`select count(*)::int as n from monitor.warning w where ${where}`.execute(db),
    sql<WarningRow>`${warningSelect} where ${where}
      order by w.raised_at desc, w.warning_id desc
      limit ${f.pageSize} offset ${(f.page - 1) * f.pageSize}`.execute(db),
  ]);
  const today = todayOf();
  return {
    total: total.rows[0]?.n ?? 0,
    page: f.page,
    pageSize: f.pageSize,
    rows: rows.rows.map((r) => warningItem(r, today)),
  };
}

/** 预警详情: the warning, what the rule saw, and its whole trail. */
export async function warningDetail(db: Kysely<DB>, region: string, year: number, id: string) {
  const r = await sql<WarningRow & { subject: unknown; condition: string }>`
    select x.*, w.subject, rv.definition->>'condition' as condition
    from (${warningSelect} where w.region_code = ${region} and w.fiscal_year = ${year}
      and w.warning_id = ${id}) x
    join monitor.warning w on w.region_code = ${region} and w.fiscal_year = ${year} and w.warning_id = x.warning_id
    join monitor.rule_version rv on rv.region_code = w.region_code and rv.code = w.rule_code
      and rv.version = w.rule_version`.execute(db);
  const row = r.rows[0];
  if (!row) return null;
  const events = await db
    .selectFrom('monitor.warning_event')
    .selectAll()
    .where('region_code', '=', region)
    .where('fiscal_year', '=', year)
    .where('warning_id', '=', id)
    .orderBy('seq')
    .execute();
  return {
    ...warningItem(row, todayOf()),
    condition: row.condition,
    subject: row.subject,
    events: events.map((e) => ({
      seq: e.seq,
      action: e.action,
      actor: e.actor,
      fromStatus: e.from_status,
      toStatus: e.to_status,
      opinion: e.opinion,
      attachments: e.attachments,
      on: e.on_date,
      at: e.at.toISOString(),
    })),
  };
}

interface FactRow {
  warning_id: string;
  rule_code: string;
  agency_code: string;
  level: WarningLevel;
  status: WarningStatus;
  raised_on: string;
  closed_on: string | null;
  violation: boolean;
  amount_fen: bigint;
}

/**
 * 监控看板 and 评价: warnings by level, rule, unit, month and status, and the evaluation per unit
 * and per rule (counts, time to close, repeat offences) — all from one read of the year's facts.
 */
export async function monitorStats(
  db: Kysely<DB>,
  f: { region: string; year: number; agencies: readonly string[] | null },
) {
  const where = warningWhere({ ...f, page: 1, pageSize: 1 });
  const [facts, names] = await Promise.all([
    sql<FactRow>`select w.warning_id, w.rule_code, w.agency_code, w.level, w.status, w.raised_on::text as raised_on,
        w.closed_on::text as closed_on, w.violation, w.amount_fen
      from monitor.warning w where ${where}`.execute(db),
    sql<{ kind: string; code: string; name: string }>`
      select 'rule' as kind, code, definition->>'name' as name from (
        select distinct on (code) code, definition from monitor.rule_version where region_code = ${f.region}
        order by code, version desc) r
      union all
      select 'agency', code, name from basedata.agency where region_code = ${f.region} and fiscal_year = ${f.year}`.execute(
      db,
    ),
  ]);
  const nameOf = new Map(names.rows.map((n) => [`${n.kind}:${n.code}`, n.name]));
  const count = (key: (r: FactRow) => string) => {
    const m = new Map<string, { n: number; fen: bigint }>();
    for (const r of facts.rows) {
      const k = key(r);
      const t = m.get(k) ?? { n: 0, fen: 0n };
      t.n++;
      t.fen += BigInt(r.amount_fen);
      m.set(k, t);
    }
    return [...m.entries()]
      .sort((a, b) => b[1].n - a[1].n || a[0].localeCompare(b[0]))
      .map(([key, t]) => ({ key, count: t.n, amount: formatYuan(t.fen) }));
  };
  const named = (kind: string, rows: ReturnType<typeof count>) =>
    rows.map((r) => ({ ...r, name: nameOf.get(`${kind}:${r.key}`) ?? r.key }));
  const wf: WarningFact[] = facts.rows.map((r) => ({
    warningId: r.warning_id,
    ruleCode: r.rule_code,
    agencyCode: r.agency_code,
    level: r.level,
    status: r.status,
    raisedOn: r.raised_on,
    closedOn: r.closed_on,
    violation: r.violation,
  }));
  return {
    total: facts.rows.length,
    byLevel: count((r) => r.level),
    byStatus: count((r) => r.status).map((r) => ({
      ...r,
      name: warningStatusNames[r.key as WarningStatus] ?? r.key,
    })),
    byRule: named(
      'rule',
      count((r) => r.rule_code),
    ),
    byAgency: named(
      'agency',
      count((r) => r.agency_code),
    ),
    byMonth: count((r) => r.raised_on.slice(0, 7)).sort((a, b) => a.key.localeCompare(b.key)),
    evaluation: {
      byAgency: evaluateBy(wf, 'agency').map((e) => ({ ...e, name: nameOf.get(`agency:${e.key}`) ?? e.key })),
      byRule: evaluateBy(wf, 'rule').map((e) => ({ ...e, name: nameOf.get(`rule:${e.key}`) ?? e.key })),
    },
  };
}
