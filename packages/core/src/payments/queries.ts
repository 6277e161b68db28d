import type { Kysely } from 'kysely';
import { formatYuan } from '../kernel/money';
import type { DB } from '../platform/db/schema';

export interface PaymentListFilter {
  region: string;
  year: number;
  /** Only these agencies (an agency-scoped reader); null = the whole region. */
  agencies: readonly string[] | null;
  state?: string | undefined;
  agencyCode?: string | undefined;
  indicatorId?: string | undefined;
  page: number;
  pageSize: number;
}

/** 支付申请 list with amounts as yuan strings, newest first. */
export async function listPayments(db: Kysely<DB>, f: PaymentListFilter) {
  let q = db
    .selectFrom('payments.application')
    .where('region_code', '=', f.region)
    .where('fiscal_year', '=', f.year);
  if (f.agencies) q = q.where('agency_code', 'in', f.agencies.length ? [...f.agencies] : ['']);
  if (f.state) q = q.where('state', '=', f.state as 'draft');
  if (f.agencyCode) q = q.where('agency_code', '=', f.agencyCode);
  if (f.indicatorId) q = q.where('indicator_id', '=', f.indicatorId);
  const total = await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll()
    // The voucher's status in the bank's library, as the sender sees it (null before signing).
    .select((eb) =>
      eb
        .selectFrom('payments.voucher as v')
        .select('v.library_status')
        .whereRef('v.region_code', '=', 'payments.application.region_code')
        .whereRef('v.fiscal_year', '=', 'payments.application.fiscal_year')
        .whereRef('v.application_id', '=', 'payments.application.application_id')
        .limit(1)
        .as('library_status'),
    )
    .orderBy('created_at', 'desc')
    .orderBy('application_id', 'desc')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  return {
    total: Number(total.n),
    page: f.page,
    pageSize: f.pageSize,
    items: rows.map((r) => ({
      applicationId: r.application_id,
      payType: r.pay_type,
      agencyCode: r.agency_code,
      indicatorId: r.indicator_id,
      amount: formatYuan(r.amount_fen),
      purpose: r.purpose,
      payee: r.payee,
      state: r.state,
      libraryStatus: r.library_status,
      preparedBy: r.prepared_by,
      updatedAt: r.updated_at,
    })),
  };
}

/** One application with its whole trail: every action, and the ledger entries it posted. */
export async function paymentDetail(db: Kysely<DB>, region: string, year: number, id: string) {
  const r = await db
    .selectFrom('payments.application')
    .selectAll()
    .where('region_code', '=', region)
    .where('fiscal_year', '=', year)
    .where('application_id', '=', id)
    .executeTakeFirst();
  if (!r) return null;
  const actions = await db
    .selectFrom('payments.application_action')
    .select(['seq', 'action', 'actor', 'opinion', 'at'])
    .where('region_code', '=', region)
    .where('fiscal_year', '=', year)
    .where('application_id', '=', id)
    .orderBy('seq')
    .execute();
  const entries = await db
    .selectFrom('ledger.entry as e')
    .innerJoin('platform.command_log as c', (j) =>
      j.onRef('c.region_code', '=', 'e.region_code').onRef('c.command_id', '=', 'e.command_id'),
    )
    .select(['e.id', 'e.scenario', 'e.business_date', 'e.debit_fen', 'c.command_type'])
    .where('e.region_code', '=', region)
    .where('e.fiscal_year', '=', year)
    .where('e.id', 'in', [
      r.reserve_entry_id ?? -1n,
      r.release_entry_id ?? -1n,
      r.paid_entry_id ?? -1n,
      r.refund_entry_id ?? -1n,
    ])
    .orderBy('e.id')
    .execute();
  return {
    applicationId: r.application_id,
    payType: r.pay_type,
    agencyCode: r.agency_code,
    indicatorId: r.indicator_id,
    amount: formatYuan(r.amount_fen),
    purpose: r.purpose,
    settlementMode: r.settlement_mode,
    payee: r.payee,
    payeeAccountKind: r.payee_account_kind,
    contractNo: r.contract_no,
    beneficiaries: r.beneficiaries,
    state: r.state,
    preparedBy: r.prepared_by,
    submittedBy: r.submitted_by,
    cosignedBy: r.cosigned_by,
    unitApprovedBy: r.unit_approved_by,
    reviewedBy: r.reviewed_by,
    actions,
    ledger: entries.map((e) => ({
      entryId: e.id.toString(),
      scenario: e.scenario,
      date: e.business_date,
      amount: formatYuan(e.debit_fen),
      command: e.command_type,
    })),
  };
}
