import { type Kysely, sql } from 'kysely';
import type { CommandContext } from '../../commands/handler';
import { FiscusError } from '../../kernel/errors';
import type { DB } from '../../platform/db/schema';
import type { PaymentSnapshot } from '../domain/application';

export interface CheckedPayee {
  payeeCode: string | null;
  name: string;
  accountNo: string;
  accountName: string;
  bankName: string;
  bankNo: string | null;
  /** 单位 or 个人: monitoring treats transfers to persons apart, so the entered kind is kept. */
  kind: 'organization' | 'person';
}

export interface ApplicationRow extends PaymentSnapshot {
  agencyCode: string;
  indicatorId: string;
  amountFen: bigint;
  contractNo: string | null;
  payeeAccountKind: 'payroll' | 'other';
  beneficiaryCount: number;
}

/** 支付申请编号: ZF + year + a number from one sequence. */
export async function nextApplicationId(trx: Kysely<DB>, year: number): Promise<string> {
  const r = await sql<{ n: string }>`select nextval('payments.application_seq')::text as n`.execute(trx);
  return `ZF${year}${r.rows[0]!.n.padStart(8, '0')}`;
}

export async function lockApplication(
  trx: Kysely<DB>,
  region: string,
  year: number,
  id: string,
): Promise<ApplicationRow | null> {
  const r = await trx
    .selectFrom('payments.application')
    .selectAll()
    .where('region_code', '=', region)
    .where('fiscal_year', '=', year)
    .where('application_id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!r) return null;
  return {
    applicationId: r.application_id,
    state: r.state,
    preparedBy: r.prepared_by,
    submittedBy: r.submitted_by,
    cosignedBy: r.cosigned_by,
    unitApprovedBy: r.unit_approved_by,
    reviewedBy: r.reviewed_by,
    heldAction: r.held_action,
    heldBy: r.held_by,
    agencyCode: r.agency_code ?? '',
    indicatorId: r.indicator_id,
    amountFen: r.amount_fen,
    contractNo: r.contract_no,
    payeeAccountKind: r.payee_account_kind,
    beneficiaryCount: (r.beneficiaries as unknown[]).length,
  };
}

/**
 * The payee as it will be paid: a registered, enabled payee of the region, or the entered one
 * (its account and bank number already passed the schema's format checks).
 */
export async function resolvePayee(
  trx: Kysely<DB>,
  region: string,
  payee:
    | { payeeCode: string }
    | {
        name: string;
        accountNo: string;
        accountName?: string | undefined;
        bankName: string;
        bankNo: string;
        kind?: 'organization' | 'person' | undefined;
      },
): Promise<CheckedPayee> {
  if ('payeeCode' in payee) {
    const r = await trx
      .selectFrom('basedata.payee')
      .selectAll()
      .where('region_code', '=', region)
      .where('code', '=', payee.payeeCode)
      .executeTakeFirst();
    if (!r?.enabled) throw new FiscusError('NOT_FOUND', { entity: '收款人 payee', key: payee.payeeCode });
    return {
      payeeCode: r.code,
      name: r.name,
      accountNo: r.account_no,
      accountName: r.account_name,
      bankName: r.bank_name,
      bankNo: r.bank_no,
      kind: r.kind === 'person' ? 'person' : 'organization',
    };
  }
  return {
    payeeCode: null,
    name: payee.name,
    accountNo: payee.accountNo,
    accountName: payee.accountName ?? payee.name,
    bankName: payee.bankName,
    bankNo: payee.bankNo,
    kind: payee.kind ?? 'organization',
  };
}

/** One line of the application's trail (payments.application_action), numbered after the last. */
export async function addApplicationAction(
  ctx: CommandContext<unknown>,
  id: string,
  action: string,
  opinion: string | null,
): Promise<void> {
  await sql`insert into payments.application_action (region_code, fiscal_year, application_id, seq, action, actor, opinion, at)
    select ${ctx.region}, ${ctx.year}, ${id}, coalesce(max(seq), 0) + 1, ${action}, ${ctx.actor.username}, ${opinion}, ${ctx.now}
    from payments.application_action
    where region_code = ${ctx.region} and fiscal_year = ${ctx.year} and application_id = ${id}`.execute(
    ctx.trx,
  );
}
