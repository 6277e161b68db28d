import {
  approveBankAccount,
  closeBankAccount,
  registerBankAccount,
  saveAgentBank,
  savePayee,
} from '@fiscus/contracts';
import type { Kysely, Updateable } from 'kysely';
import { assertSeparateActors } from '../../auth/domain/separation';
import { defineHandler } from '../../commands/handler';
import { FiscusError } from '../../kernel/errors';
import type { BankAccountTable, DB } from '../../platform/db/schema';

async function findAccount(trx: Kysely<DB>, region: string, accountNo: string) {
  return trx
    .selectFrom('basedata.bank_account')
    .selectAll()
    .where('region_code', '=', region)
    .where('account_no', '=', accountNo)
    .executeTakeFirst();
}

/** The account, which must exist and be in `state` for `action`. */
async function accountInState(
  trx: Kysely<DB>,
  region: string,
  accountNo: string,
  state: string,
  action: string,
) {
  const acct = await findAccount(trx, region, accountNo);
  if (!acct) throw new FiscusError('NOT_FOUND', { entity: '银行账户 bank account', key: accountNo });
  if (acct.status !== state) {
    throw new FiscusError('STATE_INVALID', {
      entity: '银行账户 bank account',
      key: accountNo,
      state: acct.status,
      action,
    });
  }
  return acct;
}

async function setAccount(
  trx: Kysely<DB>,
  region: string,
  accountNo: string,
  set: Updateable<BankAccountTable>,
): Promise<void> {
  await trx
    .updateTable('basedata.bank_account')
    .set(set)
    .where('region_code', '=', region)
    .where('account_no', '=', accountNo)
    .execute();
}

function statusChange(accountNo: string, before: string, after: Record<string, unknown>) {
  return { entity: 'bankAccount', key: accountNo, before: { status: before }, after };
}

export const saveAgentBankHandler = defineHandler({
  def: saveAgentBank,
  async handle({ trx, payload: p, region, changes }) {
    const before = await trx
      .selectFrom('basedata.agent_bank')
      .selectAll()
      .where('region_code', '=', region)
      .where('code', '=', p.code)
      .executeTakeFirst();
    const row = { region_code: region, code: p.code, name: p.name, bank_no: p.bankNo, enabled: p.enabled };
    await trx
      .insertInto('basedata.agent_bank')
      .values(row)
      .onConflict((oc) => oc.columns(['region_code', 'code']).doUpdateSet({ ...row, updated_at: new Date() }))
      .execute();
    changes.push({ entity: 'agentBank', key: p.code, before: before ?? null, after: row });
    return { code: p.code, created: !before };
  },
});

const unitKinds = new Set(['unitZeroBalance', 'unitOwn']);

export const registerBankAccountHandler = defineHandler({
  def: registerBankAccount,
  agencyOf: (p) => p.agencyCode,
  async handle({ trx, payload: p, region, year, actor, changes }) {
    if (unitKinds.has(p.kind) && !p.agencyCode) {
      throw new FiscusError('VALIDATION_FAILED', {
        detail: `a ${p.kind} account belongs to an agency: agencyCode is required`,
      });
    }
    if (!unitKinds.has(p.kind) && p.agencyCode) {
      throw new FiscusError('VALIDATION_FAILED', {
        detail: `a ${p.kind} account belongs to the finance bureau: agencyCode must be null`,
      });
    }
    if (p.agencyCode) {
      const agency = await trx
        .selectFrom('basedata.agency')
        .select('code')
        .where('region_code', '=', region)
        .where('fiscal_year', '=', year)
        .where('code', '=', p.agencyCode)
        .executeTakeFirst();
      if (!agency) throw new FiscusError('AGENCY_UNKNOWN', { agency: p.agencyCode });
    }
    if (p.bankCode) {
      const bank = await trx
        .selectFrom('basedata.agent_bank')
        .select('code')
        .where('region_code', '=', region)
        .where('code', '=', p.bankCode)
        .where('enabled', '=', true)
        .executeTakeFirst();
      if (!bank) throw new FiscusError('BANK_UNKNOWN', { bank: p.bankCode });
    }
    const before = await findAccount(trx, region, p.accountNo);
    if (before && (before.status !== 'pending' || before.prepared_by !== actor.username)) {
      throw new FiscusError('ALREADY_EXISTS', { entity: '银行账户 bank account', key: p.accountNo });
    }
    const row = {
      region_code: region,
      account_no: p.accountNo,
      account_name: p.accountName,
      kind: p.kind,
      agency_code: p.agencyCode,
      bank_code: p.bankCode,
      bank_name: p.bankName,
      opened_on: p.openedOn,
      status: 'pending' as const,
      prepared_by: actor.username,
    };
    await trx
      .insertInto('basedata.bank_account')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['region_code', 'account_no']).doUpdateSet({ ...row, updated_at: new Date() }),
      )
      .execute();
    changes.push({ entity: 'bankAccount', key: p.accountNo, before: before ?? null, after: row });
    return { accountNo: p.accountNo, status: 'pending' };
  },
});

export const approveBankAccountHandler = defineHandler({
  def: approveBankAccount,
  async handle({ trx, payload: p, region, actor, now, changes }) {
    const acct = await accountInState(trx, region, p.accountNo, 'pending', '审核 approve');
    assertSeparateActors({
      earlier: acct.prepared_by,
      actor: actor.username,
      earlierRole: '经办人',
      actorRole: '审核人',
    });
    await setAccount(trx, region, p.accountNo, {
      status: 'active',
      approved_by: actor.username,
      approved_at: now,
      updated_at: now,
    });
    changes.push(statusChange(p.accountNo, 'pending', { status: 'active', approvedBy: actor.username }));
    return { accountNo: p.accountNo, status: 'active' };
  },
});

export const closeBankAccountHandler = defineHandler({
  def: closeBankAccount,
  async handle({ trx, payload: p, region, now, changes }) {
    await accountInState(trx, region, p.accountNo, 'active', '撤销 close');
    await setAccount(trx, region, p.accountNo, {
      status: 'closed',
      closed_reason: p.reason,
      updated_at: now,
    });
    changes.push(statusChange(p.accountNo, 'active', { status: 'closed', reason: p.reason }));
    return { accountNo: p.accountNo, status: 'closed' };
  },
});

export const savePayeeHandler = defineHandler({
  def: savePayee,
  async handle({ trx, payload: p, region, changes }) {
    const before = await trx
      .selectFrom('basedata.payee')
      .selectAll()
      .where('region_code', '=', region)
      .where('code', '=', p.code)
      .executeTakeFirst();
    const row = {
      region_code: region,
      code: p.code,
      name: p.name,
      kind: p.kind,
      account_no: p.accountNo,
      account_name: p.accountName,
      bank_name: p.bankName,
      bank_no: p.bankNo,
      enabled: p.enabled,
    };
    await trx
      .insertInto('basedata.payee')
      .values(row)
      .onConflict((oc) => oc.columns(['region_code', 'code']).doUpdateSet({ ...row, updated_at: new Date() }))
      .execute();
    changes.push({ entity: 'payee', key: p.code, before: before ?? null, after: row });
    return { code: p.code, created: !before };
  },
});
