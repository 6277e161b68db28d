import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSm2KeyPair, Sm2SoftwareSigner } from '../../packages/core/src/exchange/crypto/sm2';
import { decodeEnvelope, encodeEnvelope } from '../../packages/core/src/exchange/voucher/envelope';
import type { EnvelopeEntry, Voucher } from '../../packages/core/src/exchange/voucher/model';
import { signVoucher } from '../../packages/core/src/exchange/voucher/signing';
import { BANK_POSITION } from '../../packages/core/src/payments/vouchers/inbox';
import {
  setFinanceSignerForTests,
  setTrustedKeysForTests,
} from '../../packages/core/src/payments/vouchers/keys';
import { createTestApp } from '../support/server';
import { as, cmd, ok, run1 } from './helpers';

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

export const SCHOOL = {
  fundTypeCode: '111',
  agencyCode: '205002',
  deptCode: '205',
  expFuncCode: '2050203',
  depEcoCode: '30201',
  govEcoCode: '50201',
};

/**
 * A demo database with executable indicators for agency 205002 (`<prefix>-DIR` direct, `-AUT`
 * authorized, `-ALL` allocation, 100 000.00 each), finance keys in a scratch folder and one trusted
 * agent-bank key; `close()` puts the environment back.
 */
export async function paymentFixture(prefix: string) {
  const saved = { keys: process.env.FISCUS_KEYS, keyId: process.env.FISCUS_SM2_KEY_ID };
  const keys = await mkdtemp(join(tmpdir(), 'fiscus-keys-'));
  process.env.FISCUS_KEYS = keys;
  delete process.env.FISCUS_SM2_KEY_ID;
  setFinanceSignerForTests(null);
  const bank = new Sm2SoftwareSigner('bank-test', generateSm2KeyPair());
  setTrustedKeysForTests(new Map([[bank.keyId, bank.publicKey]]));
  const t = await createTestApp();
  const lines = [
    { indicatorId: `${prefix}-DIR`, elements: { ...SCHOOL, payTypeCode: '11' } },
    { indicatorId: `${prefix}-AUT`, elements: { ...SCHOOL, payTypeCode: '12' } },
    { indicatorId: `${prefix}-ALL`, elements: { ...SCHOOL, payTypeCode: '2' } },
  ].map((l) => ({ ...l, amount: '100000.00', pool: 'executable' }));
  const d = ok(
    await run1(
      t.db,
      cmd('indicatorDoc.draft', {
        docNo: `丽财〔2026〕${prefix}`,
        title: '支付测试',
        body: { docType: 'approve', lines },
      }),
      as('budget'),
    ),
  );
  ok(await run1(t.db, cmd('indicatorDoc.submit', { docId: d.docId }), as('budget')));
  ok(await run1(t.db, cmd('indicatorDoc.approve', { docId: d.docId }), as('chief')));

  const step = (type: string, user: string, applicationId: string, extra: Record<string, unknown> = {}) =>
    run1(t.db, cmd(type, { applicationId, agencyCode: '205002', ...extra }), as(user));

  /** Draft → submit → unit head → payment center → signed voucher; returns the application and its voucher. */
  async function signed(
    payType: 'direct' | 'authorized',
    amount: string,
    payee: Record<string, unknown> = { payeeCode: 'S0001' },
  ) {
    const suffix = payType === 'direct' ? 'DIR' : 'AUT';
    const id = ok(
      await run1(
        t.db,
        cmd('payment.draft', {
          agencyCode: '205002',
          payType,
          indicatorId: `${prefix}-${suffix}`,
          amount,
          purpose: '办公用品',
          settlementMode: '001001',
          payee,
        }),
        as('clerk'),
      ),
    ).applicationId as string;
    ok(await step('payment.submit', 'clerk', id));
    ok(await step('payment.unitApprove', 'unithead', id));
    ok(await step('payment.review', 'reviewer', id, { decision: 'approve' }));
    const s = ok(await step('payment.signVoucher', 'signer', id));
    return { id, vtCode: s.vtCode as string, voucherNo: s.voucherNo as string };
  }

  async function storedEntry(vtCode: string, voucherNo: string): Promise<EnvelopeEntry> {
    const row = await t.db
      .selectFrom('payments.voucher')
      .select('envelope')
      .where('vt_code', '=', vtCode)
      .where('voucher_no', '=', voucherNo)
      .executeTakeFirstOrThrow();
    const dec = decodeEnvelope(new TextEncoder().encode(row.envelope));
    if (!dec.ok) throw new Error(JSON.stringify(dec.errors));
    return dec.value[0]!;
  }

  /** The bank's receipt (X-fields) or return for a voucher we sent, signed by the bank. */
  async function answer(entry: EnvelopeEntry, how: { paid?: bigint; returnReason?: string }) {
    const header = { ...entry.voucher.header };
    if (how.paid !== undefined)
      Object.assign(header, {
        XPayDate: '20260315',
        XPayAmt: how.paid,
        XAgentBusinessNo: `B${String(header.VoucherNo)}`,
      });
    const voucher = await signVoucher({ ...entry.voucher, header }, bank, BANK_POSITION);
    return Buffer.from(
      encodeEnvelope([{ flag: 'receipt', returnReason: how.returnReason ?? '', attach: '', voucher }]),
    );
  }

  /** A 2203 refund notice (退票) for a paid voucher, signed by the bank (or a 2252 of the payee bank). */
  async function refundNotice(
    entry: EnvelopeEntry,
    no: string,
    amount: bigint,
    vtCode: '2203' | '2252' = '2203',
  ) {
    const h = entry.voucher.header;
    const notice: Voucher = {
      header: {
        Id: `R${no}`,
        AdmDivCode: h.AdmDivCode!,
        StYear: h.StYear!,
        VtCode: vtCode,
        VouDate: '20260320',
        VoucherNo: no,
        AgentBusinessNo: `RB${no}`,
        OriBillNo: h.VoucherNo!,
        OriVtCode: h.VtCode!,
        PayAmt: amount,
        PayDate: '20260320',
        Remark: '收款账户户名不符',
      },
      details: [],
      signatures: [],
    };
    const voucher = await signVoucher(notice, bank, BANK_POSITION, { scope: 'voucher' });
    return Buffer.from(encodeEnvelope([{ flag: 'send', returnReason: '', attach: '', voucher }]));
  }

  const post = (body: Buffer) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/evoucher/messages',
      headers: { 'content-type': 'application/xml' },
      payload: body,
    });

  return {
    t,
    bank,
    signed,
    storedEntry,
    answer,
    refundNotice,
    post,
    async close() {
      await t.close();
      setTrustedKeysForTests(null);
      if (saved.keys === undefined) delete process.env.FISCUS_KEYS;
      else process.env.FISCUS_KEYS = saved.keys;
      if (saved.keyId !== undefined) process.env.FISCUS_SM2_KEY_ID = saved.keyId;
      await rm(keys, { recursive: true, force: true });
    },
  };
}
