import { type Kysely, type RawBuilder, sql } from 'kysely';
import { parseYuan } from '../kernel/money';
import type { DB } from '../platform/db/schema';

/**
 * 直达资金跟踪: what each direct-reach fund (直达资金) did in a region — received, allocated to
 * units, issued to lower levels, paid — and whom it reached (惠企利民), with a drill-down to every
 * paid payment and its beneficiary records. Read-only; every figure is summed at read time from
 * the ledger (ledger.balance) and from payments.application, so it agrees with the ledger reports.
 *
 * **Fund (资金).** A finance bureau follows a direct-reach fund by the line it arrived on: the 指标
 * a 下达 from above became here (接收上级下达 / 提前下达), or the 批复 line it approved itself.
 * So a fund is a direct-reach indicator with no direct-reach indicator above it in its origin
 * chain (origin_indicator_id, within the region and year), together with every indicator made
 * from it (分配 to units, 调剂, …) whatever their own flag. Its key (`fundKey`) is that root
 * indicator's id; it is shown with its 文号 (本级 doc_no, or the upper level's as 上级文号), the title
 * of the document or transfer message that created it, and its elements. Year-end carry-forwards
 * (结转) start a new fund in the next year (their origin lies in the year before).
 *
 * **Figures** (fen, over the fund's indicators in the region and year, net of reversals):
 * - `receivedFen` 到位: everything the fund's indicators took in — approved here (批复), received from
 *   the upper level (下达, 提前下达 and its 核销), adjusted (追加/追减), or put into it from an
 *   indicator outside the fund — net of what went back up (退回) or was moved out to indicators
 *   outside the fund; = the normal balances of all holding accounts (2xxx) of its indicators.
 * - `allocatedFen` 已分配: the part put at units' disposal, i.e. held by its executable (可执行)
 *   indicators: available, frozen, in a use plan, in payment, paid, and what was carried forward
 *   to next year (2101, 2102, 2301, 2401, 2501, 2601); recalled or lapsed amounts (2602) are not.
 *   A 批复 straight into an executable indicator counts as allocated at once.
 * - `issuedFen` 已下达: the part passed on to lower regions (转移支付下达, 2201; a returned transfer
 *   drops out).
 * - `unallocatedFen` 待分配: what its unallocated (待分) indicators still hold (2001, 2002).
 * - `paidFen` 已支付: Σ of its payment applications in state `paid` (bank receipt booked; refunded
 *   ones are not); `payments` counts them.
 * - `beneficiaries` 惠及对象: distinct id numbers (身份证号 / 统一社会信用代码) in those payments'
 *   beneficiary records; `beneficiaryAmountFen` the Σ of those records' amounts.
 *
 * **Totals** consolidate the report: a transfer from one region of the report to another is
 * counted once (receivedFen leaves out what came from a region in the report, issuedFen keeps only
 * what went to regions outside it), and beneficiaries are distinct over the whole report.
 */

export interface DirectReachQuery {
  region: string;
  year: number;
  /** Also every region below `region` (one row per fund and region). */
  includeSubRegions?: boolean | undefined;
}

export interface DirectReachFigures {
  receivedFen: bigint;
  allocatedFen: bigint;
  issuedFen: bigint;
  unallocatedFen: bigint;
  paidFen: bigint;
  payments: number;
  beneficiaries: number;
  beneficiaryAmountFen: bigint;
}

export interface DirectReachFund extends DirectReachFigures {
  fundKey: string;
  region: string;
  regionName: string;
  /** 本级指标文号 (null for a receipt from above: see supDocNo). */
  docNo: string | null;
  /** 上级指标文号. */
  supDocNo: string | null;
  /** Title of the creating document or transfer message. */
  title: string | null;
  /** How the root indicator came about: approve, receipt, advanceReceipt, allocate, transfer, carryForward. */
  originKind: string;
  pool: 'executable' | 'unallocated';
  agencyCode: string | null;
  fundTypeCode: string;
  fundTypeName: string | null;
  expFuncCode: string | null;
  expFuncName: string | null;
  projectCode: string | null;
  /** 需要追踪项目 track_pro_code. */
  trackProjectCode: string | null;
  /** The fund's indicators (root included). */
  indicators: number;
  /** Where a received fund came from; `fundKey` when that region is in the report too. */
  upper: { region: string; docNo: string; indicatorId: string | null; fundKey: string | null } | null;
}

export interface DirectReachReport {
  region: string;
  year: number;
  includeSubRegions: boolean;
  funds: DirectReachFund[];
  totals: DirectReachFigures & { funds: number };
}

/** The regions of a query: the region, and with subRegions its whole subtree. */
function scopeRegions(region: string, sub: boolean): RawBuilder<unknown> {
  return sub
    ? sql`select r.region_code from basedata.region r, basedata.region p
          where p.region_code = ${region} and (r.region_code = p.region_code or r.path like p.path || '/%')`
    : sql`select region_code from basedata.region where region_code = ${region}`;
}

/**
 * The CTEs `scope`, `ind` (indicators of the scope and year), `fm` (fund member → fund root) and
 * `fund` (the roots). Recursion goes down from every direct-reach indicator; an indicator under
 * two direct-reach ones belongs to the highest (the longest path), so nothing counts twice.
 */
function fundCtes(region: string, year: number, sub: boolean): RawBuilder<unknown> {
  return sql`
    scope as (${scopeRegions(region, sub)}),
    ind as (
      select i.region_code, i.indicator_id, i.origin_indicator_id, i.origin_kind, i.direct_reach, i.pool
      from indicators.indicator i
      where i.fiscal_year = ${year} and i.region_code in (select region_code from scope)
    ),
    walk as (
      select d.region_code, d.indicator_id as root_id, d.indicator_id, 0 as depth
      from ind d where d.direct_reach
      union all
      select c.region_code, w.root_id, c.indicator_id, w.depth + 1
      from walk w
      join ind c on c.region_code = w.region_code and c.origin_indicator_id = w.indicator_id
        and c.origin_kind <> 'carryForward'
      where w.depth < 30
    ),
    fm as (
      select distinct on (w.region_code, w.indicator_id) w.region_code, w.indicator_id, w.root_id
      from walk w order by w.region_code, w.indicator_id, w.depth desc, w.root_id
    ),
    fund as (select distinct region_code, root_id from fm where indicator_id = root_id)`;
}

interface FundRow {
  region_code: string;
  region_name: string;
  region_path: string;
  root_id: string;
  doc_no: string | null;
  sup_doc_no: string | null;
  title: string | null;
  origin_kind: string;
  pool: 'executable' | 'unallocated';
  agency_code: string | null;
  fund_type_code: string;
  fund_type_name: string | null;
  exp_func_code: string | null;
  exp_func_name: string | null;
  project_code: string | null;
  track_project_code: string | null;
  members: number;
  from_region: string | null;
  from_doc_no: string | null;
  from_indicator_id: string | null;
  upper_fund: string | null;
  internal_received_fen: bigint;
  received_fen: bigint;
  allocated_fen: bigint;
  issued_fen: bigint;
  issued_external_fen: bigint;
  unallocated_fen: bigint;
  paid_fen: bigint;
  payments: number;
  beneficiaries: number;
  beneficiary_amount_fen: bigint;
}

/**
 * 直达资金跟踪表: one row per fund and region (region order, then 文号), and the consolidated
 * totals. Four statements at most: the funds with their ledger and payment figures, and the
 * distinct beneficiaries of the whole report.
 */
export async function directReachReport(db: Kysely<DB>, q: DirectReachQuery): Promise<DirectReachReport> {
  const sub = Boolean(q.includeSubRegions);
  const ctes = fundCtes(q.region, q.year, sub);
  const r = await sql<FundRow>`
    with recursive ${ctes},
    bal as (
      select fm.region_code, fm.root_id,
        coalesce(sum(b.credit_fen - b.debit_fen) filter (where b.account like '2%'), 0)::bigint as received_fen,
        coalesce(sum(b.credit_fen - b.debit_fen) filter (where i.pool = 'executable'
          and b.account in ('2101', '2102', '2301', '2401', '2501', '2601')), 0)::bigint as allocated_fen,
        coalesce(sum(b.credit_fen - b.debit_fen) filter (where b.account = '2201'), 0)::bigint as issued_fen,
        coalesce(sum(b.credit_fen - b.debit_fen) filter (where b.account = '2201'
          and k.receiving_region not in (select region_code from scope)), 0)::bigint as issued_external_fen,
        coalesce(sum(b.credit_fen - b.debit_fen) filter (where b.account in ('2001', '2002')), 0)::bigint
          as unallocated_fen
      from fm
      join ind i on i.region_code = fm.region_code and i.indicator_id = fm.indicator_id
      join ledger.element_key k on k.region_code = fm.region_code and k.fiscal_year = ${q.year}
        and k.indicator_id = fm.indicator_id
      join ledger.balance b on b.region_code = k.region_code and b.fiscal_year = k.fiscal_year
        and b.element_key_id = k.id
      group by fm.region_code, fm.root_id
    ),
    pay as (
      select fm.region_code, fm.root_id, count(*)::int as payments, sum(a.amount_fen)::bigint as paid_fen
      from fm
      join payments.application a on a.region_code = fm.region_code and a.fiscal_year = ${q.year}
        and a.indicator_id = fm.indicator_id and a.state = 'paid'
      group by fm.region_code, fm.root_id
    ),
    ben as (
      select fm.region_code, fm.root_id, count(distinct x.b->>'idNo')::int as beneficiaries,
        coalesce(sum(round((x.b->>'amount')::numeric * 100)), 0)::bigint as beneficiary_amount_fen
      from fm
      join payments.application a on a.region_code = fm.region_code and a.fiscal_year = ${q.year}
        and a.indicator_id = fm.indicator_id and a.state = 'paid'
      cross join lateral jsonb_array_elements(a.beneficiaries) as x(b)
      group by fm.region_code, fm.root_id
    ),
    members as (select region_code, root_id, count(*)::int as n from fm group by region_code, root_id),
    -- Transfers that made or topped up the root (not returned): where it came from.
    recv as (
      select t.region_code, t.indicator_id, min(t.from_region) as from_region, min(t.doc_no) as doc_no,
        min(t.message->>'sourceIndicatorId') as source_indicator_id,
        (array_agg(t.message->>'title' order by t.received_at))[1] as title,
        coalesce(sum(t.amount_fen) filter (where t.from_region in (select region_code from scope)), 0)::bigint
          as internal_fen
      from indicators.transfer_in t
      join fund f on f.region_code = t.region_code and f.root_id = t.indicator_id
      where t.fiscal_year = ${q.year} and t.state <> 'returned'
      group by t.region_code, t.indicator_id
    )
    select f.region_code, rg.name as region_name, rg.path as region_path, f.root_id,
      i.doc_no, i.sup_doc_no, coalesce(d.title, recv.title) as title, i.origin_kind, i.pool, i.agency_code,
      i.fund_type_code, ft.name as fund_type_name, i.exp_func_code, ef.name as exp_func_name, i.project_code,
      i.elements->>'trackProjectCode' as track_project_code, m.n as members,
      recv.from_region, recv.doc_no as from_doc_no, recv.source_indicator_id as from_indicator_id,
      up.root_id as upper_fund, coalesce(recv.internal_fen, 0)::bigint as internal_received_fen,
      coalesce(bal.received_fen, 0)::bigint as received_fen, coalesce(bal.allocated_fen, 0)::bigint as allocated_fen,
      coalesce(bal.issued_fen, 0)::bigint as issued_fen,
      coalesce(bal.issued_external_fen, 0)::bigint as issued_external_fen,
      coalesce(bal.unallocated_fen, 0)::bigint as unallocated_fen,
      coalesce(pay.paid_fen, 0)::bigint as paid_fen, coalesce(pay.payments, 0) as payments,
      coalesce(ben.beneficiaries, 0) as beneficiaries,
      coalesce(ben.beneficiary_amount_fen, 0)::bigint as beneficiary_amount_fen
    from fund f
    join basedata.region rg on rg.region_code = f.region_code
    join indicators.indicator i on i.region_code = f.region_code and i.fiscal_year = ${q.year}
      and i.indicator_id = f.root_id
    join members m on m.region_code = f.region_code and m.root_id = f.root_id
    left join indicators.document d on d.region_code = i.region_code and d.fiscal_year = i.fiscal_year
      and d.doc_id = i.created_by_doc
    left join recv on recv.region_code = f.region_code and recv.indicator_id = f.root_id
    left join fm up on up.region_code = recv.from_region and up.indicator_id = recv.source_indicator_id
    left join basedata.code_item ft on ft.region_code = i.region_code and ft.fiscal_year = i.fiscal_year
      and ft.set_code = 'fundType' and ft.code = i.fund_type_code
    left join basedata.code_item ef on ef.region_code = i.region_code and ef.fiscal_year = i.fiscal_year
      and ef.set_code = 'expFunc' and ef.code = i.exp_func_code
    left join bal on bal.region_code = f.region_code and bal.root_id = f.root_id
    left join pay on pay.region_code = f.region_code and pay.root_id = f.root_id
    left join ben on ben.region_code = f.region_code and ben.root_id = f.root_id
    order by rg.path, coalesce(i.doc_no, i.sup_doc_no, ''), f.root_id`.execute(db);

  const distinct = await sql<{ n: number }>`
    with recursive ${ctes}
    select count(distinct x.b->>'idNo')::int as n
    from fm
    join payments.application a on a.region_code = fm.region_code and a.fiscal_year = ${q.year}
      and a.indicator_id = fm.indicator_id and a.state = 'paid'
    cross join lateral jsonb_array_elements(a.beneficiaries) as x(b)`.execute(db);

  const funds = r.rows.map(fundOf);
  const sum = (f: (x: FundRow) => bigint) => r.rows.reduce((s, x) => s + BigInt(f(x)), 0n);
  return {
    region: q.region,
    year: q.year,
    includeSubRegions: sub,
    funds,
    totals: {
      funds: funds.length,
      receivedFen: sum((x) => BigInt(x.received_fen) - BigInt(x.internal_received_fen)),
      allocatedFen: sum((x) => x.allocated_fen),
      issuedFen: sum((x) => x.issued_external_fen),
      unallocatedFen: sum((x) => x.unallocated_fen),
      paidFen: sum((x) => x.paid_fen),
      payments: funds.reduce((s, x) => s + x.payments, 0),
      beneficiaries: Number(distinct.rows[0]?.n ?? 0),
      beneficiaryAmountFen: sum((x) => x.beneficiary_amount_fen),
    },
  };
}

function fundOf(x: FundRow): DirectReachFund {
  return {
    fundKey: x.root_id,
    region: x.region_code,
    regionName: x.region_name,
    docNo: x.doc_no,
    supDocNo: x.sup_doc_no,
    title: x.title,
    originKind: x.origin_kind,
    pool: x.pool,
    agencyCode: x.agency_code,
    fundTypeCode: x.fund_type_code,
    fundTypeName: x.fund_type_name,
    expFuncCode: x.exp_func_code,
    expFuncName: x.exp_func_name,
    projectCode: x.project_code,
    trackProjectCode: x.track_project_code,
    indicators: Number(x.members),
    upper: x.from_region
      ? {
          region: x.from_region,
          docNo: x.from_doc_no ?? '',
          indicatorId: x.from_indicator_id,
          fundKey: x.upper_fund,
        }
      : null,
    receivedFen: BigInt(x.received_fen),
    allocatedFen: BigInt(x.allocated_fen),
    issuedFen: BigInt(x.issued_fen),
    unallocatedFen: BigInt(x.unallocated_fen),
    paidFen: BigInt(x.paid_fen),
    payments: Number(x.payments),
    beneficiaries: Number(x.beneficiaries),
    beneficiaryAmountFen: BigInt(x.beneficiary_amount_fen),
  };
}

// ───────────────────────── drill-down ─────────────────────────

export interface DirectReachPaymentsQuery {
  region: string;
  year: number;
  fundKey: string;
  page: number;
  pageSize: number;
}

/** 惠企利民 beneficiary record as stored on the payment, amount in fen. */
export interface BeneficiaryRecord {
  kind: 'person' | 'enterprise';
  name: string;
  idNo: string;
  amountFen: bigint;
  payMonth: string | null;
  townCode: string | null;
  villageCode: string | null;
}

export interface DirectReachPayment {
  applicationId: string;
  indicatorId: string;
  agencyCode: string | null;
  agencyName: string | null;
  payType: string;
  amountFen: bigint;
  purpose: string;
  payeeName: string | null;
  payeeAccountNo: string | null;
  /** Business date of the bank receipt's entry (支付日期). */
  paidOn: string | null;
  vtCode: string | null;
  voucherNo: string | null;
  beneficiaries: BeneficiaryRecord[];
}

export interface DirectReachPayments {
  region: string;
  year: number;
  fundKey: string;
  total: number;
  page: number;
  pageSize: number;
  /** Σ of every paid payment of the fund (not only the page). */
  paidFen: bigint;
  items: DirectReachPayment[];
}

interface PaymentRow {
  application_id: string;
  indicator_id: string;
  agency_code: string | null;
  agency_name: string | null;
  pay_type: string;
  amount_fen: bigint;
  purpose: string;
  payee: { name?: string; accountNo?: string } | null;
  paid_on: string | null;
  vt_code: string | null;
  voucher_no: string | null;
  beneficiaries: {
    kind?: 'person' | 'enterprise';
    name: string;
    idNo: string;
    amount: string;
    payMonth?: string;
    townCode?: string;
    villageCode?: string;
  }[];
  total: bigint;
  paid_total_fen: bigint;
}

/**
 * The paid payments of one fund in one region (payment date, then id), each with its beneficiary
 * records: the drill-down of the tracking report. Null when `fundKey` is not a fund there.
 */
export async function directReachPayments(
  db: Kysely<DB>,
  q: DirectReachPaymentsQuery,
): Promise<DirectReachPayments | null> {
  const ctes = fundCtes(q.region, q.year, false);
  const exists = await sql<{ n: number }>`
    with recursive ${ctes}
    select count(*)::int as n from fund where root_id = ${q.fundKey}`.execute(db);
  if (Number(exists.rows[0]?.n ?? 0) === 0) return null;
  const r = await sql<PaymentRow>`
    with recursive ${ctes},
    paid as (
      select a.*, e.business_date::text as paid_on
      from fm
      join payments.application a on a.region_code = fm.region_code and a.fiscal_year = ${q.year}
        and a.indicator_id = fm.indicator_id and a.state = 'paid'
      left join ledger.entry e on e.region_code = a.region_code and e.fiscal_year = a.fiscal_year
        and e.id = a.paid_entry_id
      where fm.root_id = ${q.fundKey}
    )
    select p.application_id, p.indicator_id, p.agency_code, ag.name as agency_name, p.pay_type, p.amount_fen,
      p.purpose, p.payee, p.paid_on, v.vt_code, v.voucher_no, p.beneficiaries,
      count(*) over ()::bigint as total, sum(p.amount_fen) over ()::bigint as paid_total_fen
    from paid p
    left join basedata.agency ag on ag.region_code = p.region_code and ag.fiscal_year = p.fiscal_year
      and ag.code = p.agency_code
    left join lateral (
      select v.vt_code, v.voucher_no from payments.voucher v
      where v.region_code = p.region_code and v.fiscal_year = p.fiscal_year and v.application_id = p.application_id
      order by (v.x_pay_amt_fen is not null) desc, v.created_at desc limit 1
    ) v on true
    order by p.paid_on nulls last, p.application_id
    limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`.execute(db);
  let total = Number(r.rows[0]?.total ?? 0);
  let paidFen = BigInt(r.rows[0]?.paid_total_fen ?? 0n);
  if (r.rows.length === 0 && q.page > 1) {
    // A page past the end still tells how many there are.
    const t = await sql<{ n: number; fen: bigint }>`
      with recursive ${ctes}
      select count(*)::int as n, coalesce(sum(a.amount_fen), 0)::bigint as fen
      from fm join payments.application a on a.region_code = fm.region_code and a.fiscal_year = ${q.year}
        and a.indicator_id = fm.indicator_id and a.state = 'paid'
      where fm.root_id = ${q.fundKey}`.execute(db);
    total = Number(t.rows[0]?.n ?? 0);
    paidFen = BigInt(t.rows[0]?.fen ?? 0n);
  }
  return {
    region: q.region,
    year: q.year,
    fundKey: q.fundKey,
    total,
    page: q.page,
    pageSize: q.pageSize,
    paidFen,
    items: r.rows.map((x) => ({
      applicationId: x.application_id,
      indicatorId: x.indicator_id,
      agencyCode: x.agency_code,
      agencyName: x.agency_name,
      payType: x.pay_type,
      amountFen: BigInt(x.amount_fen),
      purpose: x.purpose,
      payeeName: x.payee?.name ?? null,
      payeeAccountNo: x.payee?.accountNo ?? null,
      paidOn: x.paid_on,
      vtCode: x.vt_code,
      voucherNo: x.voucher_no,
      beneficiaries: (x.beneficiaries ?? []).map((b) => ({
        kind: b.kind ?? 'person',
        name: b.name,
        idNo: b.idNo,
        amountFen: parseYuan(b.amount),
        payMonth: b.payMonth ?? null,
        townCode: b.townCode ?? null,
        villageCode: b.villageCode ?? null,
      })),
    })),
  };
}
