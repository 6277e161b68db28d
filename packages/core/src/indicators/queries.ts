import { type Kysely, type RawBuilder, sql } from 'kysely';
import { type Actor, authorize } from '../auth/domain/access';
import { regionAncestry } from '../basedata/store/scope';
import { formatYuan } from '../kernel/money';
import type { DB } from '../platform/db/schema';
import type { DocState, RouteStep } from './domain/workflow';

/**
 * Read models of 指标管理: the indicator ledger list (台账), one indicator with its lines and
 * lineage, indicator documents with their history, and the approval inbox. Amounts are never
 * stored on an indicator: every figure here is summed from ledger.balance at read time, so the
 * list always agrees with `fiscus ledger verify` and the reports.
 */

// ───────────────────────── amounts ─────────────────────────

/** Holding accounts of an indicator's life: 待分/可执行 (available, frozen), 用款计划 + 在途 (in use), 已支付. */
const ACCOUNTS = ['2001', '2002', '2101', '2102', '2301', '2401', '2501'] as const;

export interface Amounts {
  total: string;
  available: string;
  frozen: string;
  inUse: string;
  paid: string;
}

interface AmountFen {
  available: bigint;
  frozen: bigint;
  inUse: bigint;
  paid: bigint;
}

/** The normal (credit) balances of an indicator's element keys, split into the five figures. */
const amountColumns = sql`
  coalesce(sum(b.credit_fen - b.debit_fen) filter (where b.account in ('2001', '2101')), 0)::bigint as available_fen,
  coalesce(sum(b.credit_fen - b.debit_fen) filter (where b.account in ('2002', '2102')), 0)::bigint as frozen_fen,
  coalesce(sum(b.credit_fen - b.debit_fen) filter (where b.account in ('2301', '2401')), 0)::bigint as in_use_fen,
  coalesce(sum(b.credit_fen - b.debit_fen) filter (where b.account = '2501'), 0)::bigint as paid_fen`;

/** One lateral row of amounts for the indicator `i` of the enclosing query. */
export const amountLateral = sql`left join lateral (
    select ${amountColumns}
    from ledger.element_key k
    join ledger.balance b on b.region_code = k.region_code and b.fiscal_year = k.fiscal_year and b.element_key_id = k.id
    where k.region_code = i.region_code and k.fiscal_year = i.fiscal_year and k.indicator_id = i.indicator_id
      and b.account in (${sql.join([...ACCOUNTS])})
  ) a on true`;

interface AmountRow {
  available_fen: bigint;
  frozen_fen: bigint;
  in_use_fen: bigint;
  paid_fen: bigint;
}

const fenOf = (r: Partial<AmountRow>): AmountFen => ({
  available: BigInt(r.available_fen ?? 0n),
  frozen: BigInt(r.frozen_fen ?? 0n),
  inUse: BigInt(r.in_use_fen ?? 0n),
  paid: BigInt(r.paid_fen ?? 0n),
});

/** Yuan strings of the five figures; total = available + frozen + in use + paid. */
export function toAmounts(f: AmountFen): Amounts {
  return {
    total: formatYuan(f.available + f.frozen + f.inUse + f.paid),
    available: formatYuan(f.available),
    frozen: formatYuan(f.frozen),
    inUse: formatYuan(f.inUse),
    paid: formatYuan(f.paid),
  };
}

// ───────────────────────── indicator list ─────────────────────────

export interface IndicatorFilter {
  region: string;
  year: number;
  /** Agency-scoped readers: only indicators of these agency subtrees; null = the whole region. */
  agencies?: readonly string[] | null;
  /** Codes match by prefix (a department finds its agencies, 205 finds 2050203). */
  agency?: string | undefined;
  dept?: string | undefined;
  project?: string | undefined;
  expFunc?: string | undefined;
  govEco?: string | undefined;
  depEco?: string | undefined;
  fundType?: string | undefined;
  sourceType?: string | undefined;
  indicatorType?: string | undefined;
  /** 文号 match anywhere in the text. */
  docNo?: string | undefined;
  supDocNo?: string | undefined;
  pool?: 'executable' | 'unallocated' | undefined;
  directReach?: boolean | undefined;
  /** Keyword: indicator id, 文号, 上级文号, creating document, agency name. */
  q?: string | undefined;
  page: number;
  pageSize: number;
}

const likeText = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const prefix = (s: string) => `${likeText(s.trim())}%`;
const anywhere = (s: string) => `%${likeText(s.trim())}%`;

/** The where clause of a filter over `indicators.indicator i`. */
function indicatorWhere(f: IndicatorFilter): RawBuilder<unknown> {
  const c: RawBuilder<unknown>[] = [sql`i.region_code = ${f.region}`, sql`i.fiscal_year = ${f.year}`];
  const codes: [string | undefined, string][] = [
    [f.agency, 'agency_code'],
    [f.dept, 'dept_code'],
    [f.project, 'project_code'],
    [f.expFunc, 'exp_func_code'],
    [f.govEco, 'gov_eco_code'],
    [f.depEco, 'dep_eco_code'],
    [f.fundType, 'fund_type_code'],
    [f.sourceType, 'source_type_code'],
    [f.indicatorType, 'indicator_type_code'],
  ];
  for (const [v, col] of codes) if (v?.trim()) c.push(sql`${sql.ref(`i.${col}`)} like ${prefix(v)}`);
  if (f.docNo?.trim()) c.push(sql`i.doc_no like ${anywhere(f.docNo)}`);
  if (f.supDocNo?.trim()) c.push(sql`i.sup_doc_no like ${anywhere(f.supDocNo)}`);
  if (f.pool) c.push(sql`i.pool = ${f.pool}`);
  if (f.directReach !== undefined) c.push(sql`i.direct_reach = ${f.directReach}`);
  if (f.q?.trim()) {
    const q = anywhere(f.q);
    c.push(sql`(i.indicator_id ilike ${q} or i.doc_no ilike ${q} or i.sup_doc_no ilike ${q}
      or i.created_by_doc ilike ${q} or i.project_code ilike ${q}
      or exists (select 1 from basedata.agency g where g.region_code = i.region_code
        and g.fiscal_year = i.fiscal_year and g.code = i.agency_code and g.name ilike ${q}))`);
  }
  if (f.agencies) {
    // An agency scope covers its subtree: the agency's path names every ancestor.
    c.push(sql`exists (select 1 from basedata.agency g where g.region_code = i.region_code
      and g.fiscal_year = i.fiscal_year and g.code = i.agency_code
      and string_to_array(g.path, '/') && ${[...f.agencies, '']}::text[])`);
  }
  return sql.join(c, sql` and `);
}

interface IndicatorRow extends AmountRow {
  indicator_id: string;
  pool: 'executable' | 'unallocated';
  agency_code: string | null;
  agency_name: string | null;
  dept_code: string | null;
  project_code: string | null;
  exp_func_code: string | null;
  exp_func_name: string | null;
  gov_eco_code: string | null;
  dep_eco_code: string | null;
  fund_type_code: string;
  fund_type_name: string | null;
  source_type_code: string | null;
  indicator_type_code: string | null;
  doc_no: string | null;
  sup_doc_no: string | null;
  direct_reach: boolean;
  origin_indicator_id: string | null;
  origin_kind: string;
  created_by_doc: string;
  created_at: Date;
}

function indicatorItem(r: IndicatorRow) {
  return {
    indicatorId: r.indicator_id,
    pool: r.pool,
    agencyCode: r.agency_code,
    agencyName: r.agency_name,
    deptCode: r.dept_code,
    projectCode: r.project_code,
    expFuncCode: r.exp_func_code,
    expFuncName: r.exp_func_name,
    govEcoCode: r.gov_eco_code,
    depEcoCode: r.dep_eco_code,
    fundTypeCode: r.fund_type_code,
    fundTypeName: r.fund_type_name,
    sourceTypeCode: r.source_type_code,
    indicatorTypeCode: r.indicator_type_code,
    docNo: r.doc_no,
    supDocNo: r.sup_doc_no,
    directReach: r.direct_reach,
    originIndicatorId: r.origin_indicator_id,
    originKind: r.origin_kind,
    createdByDoc: r.created_by_doc,
    createdAt: r.created_at,
    ...toAmounts(fenOf(r)),
  };
}
export type IndicatorItem = ReturnType<typeof indicatorItem>;

/** Indicator rows with their names and amounts; `limit` null = every row (exports). */
async function indicatorRows(db: Kysely<DB>, f: IndicatorFilter, limit: number | null, offset: number) {
  const r = await sql<IndicatorRow>`
    select i.indicator_id, i.pool, i.agency_code, ag.name as agency_name, i.dept_code, i.project_code,
      i.exp_func_code, ef.name as exp_func_name, i.gov_eco_code, i.dep_eco_code, i.fund_type_code,
      ft.name as fund_type_name, i.source_type_code, i.indicator_type_code, i.doc_no, i.sup_doc_no,
      i.direct_reach, i.origin_indicator_id, i.origin_kind, i.created_by_doc, i.created_at,
      a.available_fen, a.frozen_fen, a.in_use_fen, a.paid_fen
    from indicators.indicator i
    left join basedata.agency ag on ag.region_code = i.region_code and ag.fiscal_year = i.fiscal_year and ag.code = i.agency_code
    left join basedata.code_item ef on ef.region_code = i.region_code and ef.fiscal_year = i.fiscal_year
      and ef.set_code = 'expFunc' and ef.code = i.exp_func_code
    left join basedata.code_item ft on ft.region_code = i.region_code and ft.fiscal_year = i.fiscal_year
      and ft.set_code = 'fundType' and ft.code = i.fund_type_code
    ${amountLateral}
    where ${indicatorWhere(f)}
    order by i.created_at desc, i.indicator_id
    ${limit === null ? sql`` : sql`limit ${limit} offset ${offset}`}`.execute(db);
  return r.rows.map(indicatorItem);
}

/**
 * 指标台账: one page of indicators with their five amounts, and the totals of the whole
 * filtered set (not only the page), as budget staff read the bottom line of a ledger.
 */
export async function listIndicators(db: Kysely<DB>, f: IndicatorFilter) {
  const totals = await sql<AmountRow & { n: bigint }>`
    select count(*)::bigint as n, ${sql.raw(
      ['available_fen', 'frozen_fen', 'in_use_fen', 'paid_fen']
        .map((c) => `coalesce(sum(a.${c}), 0)::bigint as ${c}`)
        .join(', '),
    )}
    from indicators.indicator i ${amountLateral}
    where ${indicatorWhere(f)}`.execute(db);
  const t = totals.rows[0]!;
  const items = await indicatorRows(db, f, f.pageSize, (f.page - 1) * f.pageSize);
  return { total: Number(t.n), page: f.page, pageSize: f.pageSize, totals: toAmounts(fenOf(t)), items };
}

/** Every indicator of a filter (capped), for the Excel export. */
export async function allIndicators(db: Kysely<DB>, f: Omit<IndicatorFilter, 'page' | 'pageSize'>) {
  return indicatorRows(db, { ...f, page: 1, pageSize: 0 }, 100_000, 0);
}

// ───────────────────────── one indicator ─────────────────────────

async function oneIndicator(db: Kysely<DB>, region: string, year: number, id: string) {
  return db
    .selectFrom('indicators.indicator')
    .selectAll()
    .where('region_code', '=', region)
    .where('fiscal_year', '=', year)
    .where('indicator_id', '=', id)
    .executeTakeFirst();
}

/** Amounts of several indicators of one region-year, by id. */
async function amountsOf(db: Kysely<DB>, region: string, year: number, ids: readonly string[]) {
  const out = new Map<string, Amounts>();
  if (ids.length === 0) return out;
  const r = await sql<AmountRow & { indicator_id: string }>`
    select k.indicator_id, ${amountColumns}
    from ledger.element_key k
    join ledger.balance b on b.region_code = k.region_code and b.fiscal_year = k.fiscal_year and b.element_key_id = k.id
    where k.region_code = ${region} and k.fiscal_year = ${year} and k.indicator_id = any(${[...ids]}::text[])
      and b.account in (${sql.join([...ACCOUNTS])})
    group by k.indicator_id`.execute(db);
  for (const id of ids) out.set(id, toAmounts(fenOf({})));
  for (const x of r.rows) out.set(x.indicator_id, toAmounts(fenOf(x)));
  return out;
}

/** The document that created an indicator (null when it was made by a year-end run, say). */
async function docRef(db: Kysely<DB>, region: string, year: number, docId: string) {
  const d = await db
    .selectFrom('indicators.document')
    .select(['doc_id', 'doc_type', 'doc_no', 'title', 'state'])
    .where('region_code', '=', region)
    .where('fiscal_year', '=', year)
    .where('doc_id', '=', docId)
    .executeTakeFirst();
  return d ? { docId: d.doc_id, docType: d.doc_type, docNo: d.doc_no, title: d.title, state: d.state } : null;
}

/**
 * 指标详情: elements, amounts, every ledger line with its entry (scenario, date, command) and the
 * lineage — up: the origin chain to the root (a carry-forward's origin is in the year before) with
 * each link's creating document and, for a receipt, the upper level's message; down: the
 * indicators made from it (recursively, into the next year for carry-forwards), the transfers it
 * issued to lower levels, and the payments (its 2401/2501 lines).
 */
export async function indicatorDetail(
  db: Kysely<DB>,
  region: string,
  year: number,
  id: string,
  /** Agency-scoped readers: an indicator outside these agency subtrees is not found. */
  agencies: readonly string[] | null = null,
) {
  const row = await oneIndicator(db, region, year, id);
  if (!row) return null;
  if (agencies) {
    const path = await db
      .selectFrom('basedata.agency')
      .select('path')
      .where('region_code', '=', region)
      .where('fiscal_year', '=', year)
      .where('code', '=', row.agency_code ?? '')
      .executeTakeFirst();
    if (!path?.path.split('/').some((a) => agencies.includes(a))) return null;
  }
  const amounts = (await amountsOf(db, region, year, [id])).get(id)!;

  const lines = await sql<{
    entry_id: bigint;
    line_no: number;
    account: string;
    account_name: string | null;
    side: 'debit' | 'credit';
    amount_fen: bigint;
    business_date: string;
    scenario: string;
    command_id: string | null;
    command_type: string | null;
    actor: string | null;
    reverses_entry_id: bigint | null;
  }>`
    select l.entry_id, l.line_no, l.account, acc.name as account_name, l.side, l.amount_fen, l.business_date,
      e.scenario, e.command_id, c.command_type, c.actor, e.reverses_entry_id
    from ledger.element_key k
    join ledger.line l on l.region_code = k.region_code and l.fiscal_year = k.fiscal_year and l.element_key_id = k.id
    join ledger.entry e on e.region_code = l.region_code and e.fiscal_year = l.fiscal_year and e.id = l.entry_id
    left join platform.command_log c on c.region_code = e.region_code and c.command_id = e.command_id
    left join ledger.account acc on acc.region_code = l.region_code and acc.fiscal_year = l.fiscal_year and acc.code = l.account
    where k.region_code = ${region} and k.fiscal_year = ${year} and k.indicator_id = ${id}
    order by l.business_date, l.entry_id, l.line_no`.execute(db);
  const ledgerLines = lines.rows.map((l) => ({
    entryId: l.entry_id.toString(),
    lineNo: l.line_no,
    account: l.account,
    accountName: l.account_name,
    side: l.side,
    amount: formatYuan(l.amount_fen),
    businessDate: l.business_date,
    scenario: l.scenario,
    commandId: l.command_id,
    commandType: l.command_type,
    actor: l.actor,
    reversesEntryId: l.reverses_entry_id?.toString() ?? null,
  }));

  // Up: follow origin_indicator_id; a carry-forward's origin lives in the year before.
  const up: {
    indicatorId: string;
    year: number;
    pool: string;
    originKind: string;
    createdByDoc: string;
    docNo: string | null;
  }[] = [];
  const seen = new Set([`${year}:${id}`]);
  let cursor = { origin: row.origin_indicator_id, kind: row.origin_kind, year };
  while (cursor.origin && up.length < 50) {
    const y = cursor.kind === 'carryForward' ? cursor.year - 1 : cursor.year;
    if (seen.has(`${y}:${cursor.origin}`)) break;
    seen.add(`${y}:${cursor.origin}`);
    const p = await oneIndicator(db, region, y, cursor.origin);
    if (!p) break;
    up.push({
      indicatorId: p.indicator_id,
      year: y,
      pool: p.pool,
      originKind: p.origin_kind,
      createdByDoc: p.created_by_doc,
      docNo: p.doc_no,
    });
    cursor = { origin: p.origin_indicator_id, kind: p.origin_kind, year: y };
  }
  // The root of the chain may have come from the upper level: its message says from where.
  const root = up.length > 0 ? up[up.length - 1]! : { indicatorId: id, year };
  const received = await db
    .selectFrom('indicators.transfer_in')
    .select(['message_id', 'from_region', 'doc_no', 'amount_fen', 'state', 'message'])
    .where('region_code', '=', region)
    .where('fiscal_year', '=', root.year)
    .where('indicator_id', '=', root.indicatorId)
    .orderBy('received_at')
    .execute();

  const down = await sql<{
    indicator_id: string;
    fiscal_year: number;
    origin_indicator_id: string;
    pool: string;
    origin_kind: string;
    created_by_doc: string;
    agency_code: string | null;
    depth: number;
  }>`
    with recursive down as (
      select c.indicator_id, c.fiscal_year, c.origin_indicator_id, c.pool, c.origin_kind, c.created_by_doc,
        c.agency_code, 1 as depth
      from indicators.indicator c
      where c.region_code = ${region} and c.origin_indicator_id = ${id}
        and (c.fiscal_year = ${year} or (c.fiscal_year = ${year + 1} and c.origin_kind = 'carryForward'))
      union
      select c.indicator_id, c.fiscal_year, c.origin_indicator_id, c.pool, c.origin_kind, c.created_by_doc,
        c.agency_code, d.depth + 1
      from indicators.indicator c
      join down d on c.region_code = ${region} and c.origin_indicator_id = d.indicator_id
        and (c.fiscal_year = d.fiscal_year or (c.fiscal_year = d.fiscal_year + 1 and c.origin_kind = 'carryForward'))
      where d.depth < 20
    )
    select * from down order by depth, fiscal_year, indicator_id limit 1000`.execute(db);
  const downAmounts = new Map<string, Amounts>();
  for (const y of new Set(down.rows.map((d) => d.fiscal_year))) {
    const ids = down.rows.filter((d) => d.fiscal_year === y).map((d) => d.indicator_id);
    for (const [k, v] of await amountsOf(db, region, y, ids)) downAmounts.set(`${y}:${k}`, v);
  }
  const issued = await db
    .selectFrom('indicators.transfer_out')
    .select(['message_id', 'to_region', 'kind', 'doc_id', 'doc_no', 'amount_fen', 'state'])
    .where('region_code', '=', region)
    .where('fiscal_year', '=', year)
    .where('source_indicator_id', '=', id)
    .orderBy('created_at')
    .execute();

  return {
    indicator: {
      indicatorId: row.indicator_id,
      year,
      pool: row.pool,
      elements: row.elements,
      directReach: row.direct_reach,
      originIndicatorId: row.origin_indicator_id,
      originKind: row.origin_kind,
      createdByDoc: row.created_by_doc,
      createdAt: row.created_at,
    },
    amounts,
    lines: ledgerLines,
    lineage: {
      createdBy: await docRef(db, region, year, row.created_by_doc),
      up,
      received: received.map((m) => ({
        messageId: m.message_id,
        fromRegion: m.from_region,
        docNo: m.doc_no,
        amount: formatYuan(m.amount_fen),
        state: m.state,
        sourceIndicatorId: (m.message as { sourceIndicatorId?: string }).sourceIndicatorId ?? null,
      })),
      down: down.rows.map((d) => ({
        indicatorId: d.indicator_id,
        year: d.fiscal_year,
        originIndicatorId: d.origin_indicator_id,
        pool: d.pool,
        originKind: d.origin_kind,
        createdByDoc: d.created_by_doc,
        agencyCode: d.agency_code,
        depth: d.depth,
        amounts: downAmounts.get(`${d.fiscal_year}:${d.indicator_id}`)!,
      })),
      issued: issued.map((o) => ({
        messageId: o.message_id,
        toRegion: o.to_region,
        kind: o.kind,
        docId: o.doc_id,
        docNo: o.doc_no,
        amount: formatYuan(o.amount_fen),
        state: o.state,
      })),
      payments: ledgerLines.filter((l) => l.account === '2401' || l.account === '2501'),
    },
  };
}
export type IndicatorDetail = NonNullable<Awaited<ReturnType<typeof indicatorDetail>>>;

// ───────────────────────── documents ─────────────────────────

export interface DocumentFilter {
  region: string;
  year: number;
  state?: DocState | undefined;
  docType?: string | undefined;
  /** Keyword: 单号, 文号, 标题. */
  q?: string | undefined;
  preparedBy?: string | undefined;
  page: number;
  pageSize: number;
}

type DocRow = {
  doc_id: string;
  doc_type: string;
  doc_no: string;
  title: string;
  amount_fen: bigint;
  state: DocState;
  step: number;
  route: unknown;
  prepared_by: string;
  submitted_by: string | null;
  created_at: Date;
  updated_at: Date;
};

/** The step a submitted document waits on (null otherwise). */
function currentStep(state: DocState, route: unknown, step: number): RouteStep | null {
  if (state !== 'submitted') return null;
  return (route as RouteStep[])[step] ?? null;
}

function docItem(r: DocRow) {
  return {
    docId: r.doc_id,
    docType: r.doc_type,
    docNo: r.doc_no,
    title: r.title,
    amount: formatYuan(r.amount_fen),
    state: r.state,
    step: r.step,
    currentStep: currentStep(r.state, r.route, r.step),
    preparedBy: r.prepared_by,
    submittedBy: r.submitted_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
export type DocumentItem = ReturnType<typeof docItem>;

const docColumns = [
  'doc_id',
  'doc_type',
  'doc_no',
  'title',
  'amount_fen',
  'state',
  'step',
  'route',
  'prepared_by',
  'submitted_by',
  'created_at',
  'updated_at',
] as const;

function documentQuery(db: Kysely<DB>, f: Omit<DocumentFilter, 'page' | 'pageSize'>) {
  let q = db
    .selectFrom('indicators.document')
    .where('region_code', '=', f.region)
    .where('fiscal_year', '=', f.year);
  if (f.state) q = q.where('state', '=', f.state);
  if (f.docType) q = q.where('doc_type', '=', f.docType);
  if (f.preparedBy) q = q.where('prepared_by', '=', f.preparedBy);
  if (f.q?.trim()) {
    const k = anywhere(f.q);
    q = q.where((eb) => eb.or([eb('doc_id', 'ilike', k), eb('doc_no', 'ilike', k), eb('title', 'ilike', k)]));
  }
  return q;
}

/** 指标单 list, newest change first, with the step each submitted document waits on. */
export async function listDocuments(db: Kysely<DB>, f: DocumentFilter) {
  const q = documentQuery(db, f);
  const n = await q.select((eb) => eb.fn.countAll<bigint>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .select(docColumns)
    .orderBy('updated_at', 'desc')
    .orderBy('doc_id', 'desc')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  return { total: Number(n.n), page: f.page, pageSize: f.pageSize, items: rows.map(docItem) };
}

/** Every document of a filter (capped), for the Excel export. */
export async function allDocuments(db: Kysely<DB>, f: Omit<DocumentFilter, 'page' | 'pageSize'>) {
  const rows = await documentQuery(db, f)
    .select(docColumns)
    .orderBy('updated_at', 'desc')
    .orderBy('doc_id', 'desc')
    .limit(100_000)
    .execute();
  return rows.map(docItem);
}

/** One document: its body, route, effect and the whole history of actions. */
export async function documentDetail(db: Kysely<DB>, region: string, year: number, docId: string) {
  const d = await db
    .selectFrom('indicators.document')
    .selectAll()
    .where('region_code', '=', region)
    .where('fiscal_year', '=', year)
    .where('doc_id', '=', docId)
    .executeTakeFirst();
  if (!d) return null;
  const actions = await db
    .selectFrom('indicators.document_action')
    .select(['seq', 'action', 'step', 'actor', 'opinion', 'at'])
    .where('region_code', '=', region)
    .where('fiscal_year', '=', year)
    .where('doc_id', '=', docId)
    .orderBy('seq')
    .execute();
  const route = d.route as RouteStep[];
  const effect = d.effect as { entryIds?: string[]; indicators?: string[]; messages?: string[] } | null;
  const created = effect?.indicators ?? [];
  const amounts = await amountsOf(db, region, year, created);
  return {
    ...docItem(d),
    summary: d.summary,
    body: d.body,
    route,
    effect: effect
      ? {
          entryIds: effect.entryIds ?? [],
          messages: effect.messages ?? [],
          indicators: created.map((id) => ({ indicatorId: id, ...amounts.get(id)! })),
        }
      : null,
    actions: actions.map((a) => ({
      ...a,
      stepName: a.step === null ? null : (route[a.step]?.name ?? null),
    })),
  };
}
export type DocumentDetail = NonNullable<Awaited<ReturnType<typeof documentDetail>>>;

// ───────────────────────── approval inbox ─────────────────────────

/**
 * 审批待办: submitted documents of the region whose current step needs a permission the actor
 * holds there, which the actor neither prepared nor submitted nor approved at an earlier step
 * since the last submission — exactly what `indicatorDoc.approve` would accept from them
 * (不相容职务分离), so the inbox never offers a button that can only be refused.
 */
export async function approvalInbox(db: Kysely<DB>, actor: Actor, region: string, year: number) {
  const ancestry = await regionAncestry(db, region);
  if (!ancestry) return [];
  const rows = await sql<DocRow>`
    select ${sql.join(docColumns.map((c) => sql.ref(`d.${c}`)))}
    from indicators.document d
    where d.region_code = ${region} and d.fiscal_year = ${year} and d.state = 'submitted'
      and d.prepared_by <> ${actor.username} and coalesce(d.submitted_by, '') <> ${actor.username}
      and not exists (
        select 1 from indicators.document_action a
        where a.region_code = d.region_code and a.fiscal_year = d.fiscal_year and a.doc_id = d.doc_id
          and a.action = 'approve' and a.actor = ${actor.username}
          and a.seq > (select coalesce(max(s.seq), 0) from indicators.document_action s
                       where s.region_code = d.region_code and s.fiscal_year = d.fiscal_year
                         and s.doc_id = d.doc_id and s.action = 'submit'))
    order by d.updated_at, d.doc_id
    limit 2000`.execute(db);
  const held = new Map<string, boolean>();
  const holds = (permission: string) => {
    if (!held.has(permission)) {
      try {
        authorize(actor, permission, ancestry);
        held.set(permission, true);
      } catch {
        held.set(permission, false);
      }
    }
    return held.get(permission)!;
  };
  return rows.rows.map(docItem).filter((d) => d.currentStep && holds(d.currentStep.permission));
}
