import { signPaymentVoucher } from '@fiscus/contracts';
import { sql } from 'kysely';
import { type CommandContext, defineHandler } from '../../commands/handler';
import { LibraryStatus } from '../../exchange/library/status';
import { encodeEnvelope } from '../../exchange/voucher/envelope';
import { signVoucher } from '../../exchange/voucher/signing';
import { loadIndicators } from '../../indicators/store/indicators';
import { FiscusError } from '../../kernel/errors';
import { formatYuan } from '../../kernel/money';
import { codingIds, codingText } from '../../reconcile/coding';
import { paymentTransition } from '../domain/application';
import { addApplicationAction, type CheckedPayee, lockApplication } from '../store/applications';
import {
  buildPaymentVoucher,
  PAY_TYPE_CODES,
  PAYER_ACCOUNT_KINDS,
  type PayType,
  type VoucherNames,
  type VoucherPayer,
  VT_CODES,
} from './build';
import { financeSigner } from './keys';

/** Where the finance bureau signs (盖章位置) and the e-seal it applies there (业务专用章). */
export const FINANCE_POSITION = 'finance';
export const FINANCE_SEAL = 'ywzyz' as const;

type Ctx = CommandContext<{ applicationId: string; agencyCode: string }>;

/** The account the bank pays from: the region's for direct and allocation, the agency's for authorized. */
async function payerAccount(ctx: Ctx, payType: PayType, agencyCode: string): Promise<VoucherPayer> {
  const { kind, name } = PAYER_ACCOUNT_KINDS[payType];
  let q = ctx.trx
    .selectFrom('basedata.bank_account')
    .select(['account_no', 'account_name', 'bank_code', 'bank_name'])
    .where('region_code', '=', ctx.region)
    .where('kind', '=', kind)
    .where('status', '=', 'active');
  if (payType === 'authorized') q = q.where('agency_code', '=', agencyCode);
  const r = await q.orderBy('opened_on').orderBy('account_no').executeTakeFirst();
  if (!r)
    throw new FiscusError('PAYER_ACCOUNT_MISSING', {
      owner: payType === 'authorized' ? `单位 agency ${agencyCode}` : `财政区划 region ${ctx.region}`,
      kind: name,
      voucher: `${VT_CODES[payType]} 支付凭证 payment voucher`,
    });
  return {
    accountNo: r.account_no,
    accountName: r.account_name,
    bankCode: r.bank_code,
    bankName: r.bank_name,
  };
}

/** Names of the voucher's codes from the region-year's code sets and agencies ('' when unknown). */
async function codeNames(
  ctx: Ctx,
  wanted: { set: string; code: string | null }[],
  agencies: (string | null)[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const pairs = wanted.filter((w): w is { set: string; code: string } => w.code !== null);
  if (pairs.length > 0) {
    const rows = await ctx.trx
      .selectFrom('basedata.code_item')
      .select(['set_code', 'code', 'name'])
      .where('region_code', '=', ctx.region)
      .where('fiscal_year', '=', ctx.year)
      .where((eb) => eb.or(pairs.map((p) => eb.and([eb('set_code', '=', p.set), eb('code', '=', p.code)]))))
      .execute();
    for (const r of rows) out.set(`${r.set_code}:${r.code}`, r.name);
  }
  const codes = agencies.filter((a): a is string => a !== null);
  if (codes.length > 0) {
    const rows = await ctx.trx
      .selectFrom('basedata.agency')
      .select(['code', 'name'])
      .where('region_code', '=', ctx.region)
      .where('fiscal_year', '=', ctx.year)
      .where('code', 'in', codes)
      .execute();
    for (const r of rows) out.set(`agency:${r.code}`, r.name);
  }
  return out;
}

export const signPaymentVoucherHandler = defineHandler({
  def: signPaymentVoucher,
  agencyOf: (p) => p.agencyCode,
  async handle(ctx) {
    const { trx, region, year, actor, now } = ctx;
    const app = await lockApplication(trx, region, year, ctx.payload.applicationId);
    if (!app || app.agencyCode !== ctx.payload.agencyCode)
      throw new FiscusError('NOT_FOUND', {
        entity: '支付申请 payment application',
        key: ctx.payload.applicationId,
      });
    const t = paymentTransition(app, 'sign', actor.username);
    const row = await trx
      .selectFrom('payments.application')
      .select(['pay_type', 'purpose', 'settlement_mode', 'payee'])
      .where('region_code', '=', region)
      .where('fiscal_year', '=', year)
      .where('application_id', '=', app.applicationId)
      .executeTakeFirstOrThrow();
    const payType = row.pay_type;
    const ind = (await loadIndicators(trx, region, year, [app.indicatorId])).get(app.indicatorId);
    if (!ind) throw new FiscusError('NOT_FOUND', { entity: '指标 indicator', key: app.indicatorId });
    const e = ind.elements;
    const payer = await payerAccount(ctx, payType, app.agencyCode);
    const reg = await trx
      .selectFrom('basedata.region')
      .select(['adm_div_code'])
      .where('region_code', '=', region)
      .executeTakeFirstOrThrow();
    const clear = await trx
      .selectFrom('basedata.agent_bank')
      .select(['code', 'name'])
      .where('region_code', '=', region)
      .where('code', '=', 'PBOC')
      .where('enabled', '=', true)
      .executeTakeFirst();
    const known = await codeNames(
      ctx,
      [
        { set: 'fundType', code: e.fundTypeCode },
        { set: 'indicatorType', code: e.indicatorTypeCode },
        { set: 'payType', code: PAY_TYPE_CODES[payType] },
        { set: 'expFunc', code: e.expFuncCode },
        { set: 'depEco', code: e.depEcoCode },
        { set: 'settlementMode', code: row.settlement_mode },
      ],
      [app.agencyCode, e.deptCode],
    );
    const name = (key: string) => known.get(key) ?? '';
    const names: VoucherNames = {
      fundType: name(`fundType:${e.fundTypeCode}`),
      indicatorType: name(`indicatorType:${e.indicatorTypeCode}`),
      payType: name(`payType:${PAY_TYPE_CODES[payType]}`),
      expFunc: name(`expFunc:${e.expFuncCode}`),
      depEco: name(`depEco:${e.depEcoCode}`),
      settlementMode: name(`settlementMode:${row.settlement_mode}`),
      agency: name(`agency:${app.agencyCode}`),
      dept: name(`agency:${e.deptCode}`),
    };
    const serial = await sql<{ n: string }>`select nextval('payments.voucher_seq')::text as n`.execute(trx);
    const payee = row.payee as CheckedPayee;
    const unsigned = buildPaymentVoucher({
      payType,
      admDivCode: reg.adm_div_code,
      year,
      on: ctx.on,
      serial: BigInt(serial.rows[0]!.n),
      applicationId: app.applicationId,
      agencyCode: app.agencyCode,
      amountFen: app.amountFen,
      purpose: row.purpose,
      contractNo: app.contractNo,
      settlementMode: row.settlement_mode,
      elements: e,
      names,
      payee: {
        name: payee.name,
        accountNo: payee.accountNo,
        accountName: payee.accountName,
        bankName: payee.bankName,
        bankNo: payee.bankNo,
      },
      payer,
      clearBank: clear ?? null,
    });
    const signer = await financeSigner(region);
    const signed = await signVoucher(unsigned, signer, FINANCE_POSITION, {
      scope: 'voucher',
      stamp: { stampId: `${region}-${FINANCE_SEAL}`, sealType: FINANCE_SEAL },
    });
    const envelope = new TextDecoder().decode(
      encodeEnvelope([{ flag: 'send', returnReason: '', attach: '', voucher: signed }], {
        encoding: 'UTF-8',
      }),
    );
    const vtCode = VT_CODES[payType];
    const voucherNo = String(signed.header.VoucherNo);
    // The coding it is cleared under, as one id for reconciliation (reconcile/coding.ts).
    const coding = {
      agency: app.agencyCode,
      expFunc: e.expFuncCode,
      supDep: e.deptCode,
      fundType: e.fundTypeCode,
      payType: PAY_TYPE_CODES[payType],
    };
    const codingId = (await codingIds(trx, region, [codingText(coding)])).get(codingText(coding))!;
    await trx
      .insertInto('payments.voucher')
      .values({
        region_code: region,
        fiscal_year: year,
        vt_code: vtCode,
        voucher_no: voucherNo,
        application_id: app.applicationId,
        amount_fen: app.amountFen,
        envelope,
        signed_by: actor.username,
        key_id: signer.keyId,
        library_status: LibraryStatus.notReceived,
        created_at: now,
        agency_code: coding.agency,
        exp_func_code: coding.expFunc,
        sup_dep_code: coding.supDep,
        fund_type_code: coding.fundType,
        pay_type_code: coding.payType,
        coding_id: codingId,
      })
      .execute();
    await trx
      .updateTable('payments.application')
      .set({ state: t.state, updated_at: now })
      .where('region_code', '=', region)
      .where('fiscal_year', '=', year)
      .where('application_id', '=', app.applicationId)
      .execute();
    await addApplicationAction(ctx, app.applicationId, 'sign', `${vtCode} ${voucherNo}`);
    ctx.changes.push(
      {
        entity: 'paymentApplication',
        key: app.applicationId,
        before: { state: app.state },
        after: { state: t.state, vtCode, voucherNo },
      },
      {
        entity: 'paymentVoucher',
        key: `${vtCode}:${voucherNo}`,
        before: null,
        after: {
          applicationId: app.applicationId,
          amount: formatYuan(app.amountFen),
          payer: payer.accountNo,
          payee: payee.accountNo,
          keyId: signer.keyId,
          position: FINANCE_POSITION,
          libraryStatus: LibraryStatus.notReceived,
        },
      },
    );
    return {
      applicationId: app.applicationId,
      state: t.state,
      vtCode,
      voucherNo,
      keyId: signer.keyId,
    };
  },
});
