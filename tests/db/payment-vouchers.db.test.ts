import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKeyStoreFromFolder } from '../../packages/core/src/exchange/crypto/keystore';
import type { TrustedKeys } from '../../packages/core/src/exchange/crypto/signer';
import { generateSm2KeyPair, Sm2SoftwareSigner } from '../../packages/core/src/exchange/crypto/sm2';
import { decodeEnvelope, encodeEnvelope } from '../../packages/core/src/exchange/voucher/envelope';
import type { EnvelopeEntry } from '../../packages/core/src/exchange/voucher/model';
import {
  removeSignature,
  signVoucher,
  verifyVoucher,
} from '../../packages/core/src/exchange/voucher/signing';
import { BANK_POSITION } from '../../packages/core/src/payments/vouchers/inbox';
import {
  setFinanceSignerForTests,
  setTrustedKeysForTests,
} from '../../packages/core/src/payments/vouchers/keys';
import { findCjkFont } from '../../packages/core/src/payments/vouchers/pdf';
import { createTestApp } from '../support/server';
import { as, cmd, errorCode, ok, run1 } from './helpers';

type App = Awaited<ReturnType<typeof createTestApp>>;
let t: App;
let keys: string;
const saved = { keys: process.env.FISCUS_KEYS, keyId: process.env.FISCUS_SM2_KEY_ID };

const school = {
  fundTypeCode: '111',
  agencyCode: '205002',
  deptCode: '205',
  expFuncCode: '2050203',
  depEcoCode: '30201',
  govEcoCode: '50201',
};

const draft = (indicatorId: string, payType: string, amount: string, over: Record<string, unknown> = {}) =>
  run1(
    t.db,
    cmd('payment.draft', {
      agencyCode: '205002',
      payType,
      indicatorId,
      amount,
      purpose: '办公用品',
      settlementMode: '001001',
      payee: { payeeCode: 'S0001' },
      ...over,
    }),
    as('clerk'),
  );
const step = (type: string, user: string, applicationId: string, extra: Record<string, unknown> = {}) =>
  run1(t.db, cmd(type, { applicationId, agencyCode: '205002', ...extra }), as(user));

/** Draft → submit → unit head → payment center approve; returns the application id. */
async function approved(indicatorId: string, payType: string, amount: string, reviewer = 'reviewer') {
  const id = ok(await draft(indicatorId, payType, amount)).applicationId as string;
  ok(await step('payment.submit', 'clerk', id));
  ok(await step('payment.unitApprove', 'unithead', id));
  ok(await step('payment.review', reviewer, id, { decision: 'approve' }));
  return id;
}

async function stored(id: string) {
  return t.db
    .selectFrom('payments.voucher')
    .selectAll()
    .where('region_code', '=', '530700000')
    .where('fiscal_year', '=', 2026)
    .where('application_id', '=', id)
    .execute();
}

function decoded(envelope: string): EnvelopeEntry {
  const d = decodeEnvelope(new TextEncoder().encode(envelope));
  if (!d.ok) throw new Error(JSON.stringify(d.errors));
  expect(d.value).toHaveLength(1);
  return d.value[0]!;
}

async function trusted(): Promise<TrustedKeys> {
  return (await loadKeyStoreFromFolder(keys)).trusted;
}

beforeAll(async () => {
  keys = await mkdtemp(join(tmpdir(), 'fiscus-keys-'));
  process.env.FISCUS_KEYS = keys;
  delete process.env.FISCUS_SM2_KEY_ID;
  setFinanceSignerForTests(null);
  t = await createTestApp();
  const lines = [
    { indicatorId: 'PV-DIR', elements: { ...school, payTypeCode: '11' } },
    { indicatorId: 'PV-AUT', elements: { ...school, payTypeCode: '12' } },
    { indicatorId: 'PV-ALL', elements: { ...school, payTypeCode: '2' } },
  ].map((l) => ({ ...l, amount: '100000.00', pool: 'executable' }));
  const d = ok(
    await run1(
      t.db,
      cmd('indicatorDoc.draft', {
        docNo: '丽财〔2026〕PV1',
        title: '支付凭证测试',
        body: { docType: 'approve', lines },
      }),
      as('budget'),
    ),
  );
  ok(await run1(t.db, cmd('indicatorDoc.submit', { docId: d.docId }), as('budget')));
  ok(await run1(t.db, cmd('indicatorDoc.approve', { docId: d.docId }), as('chief')));
});
afterAll(async () => {
  await t?.close();
  if (saved.keys === undefined) delete process.env.FISCUS_KEYS;
  else process.env.FISCUS_KEYS = saved.keys;
  if (saved.keyId !== undefined) process.env.FISCUS_SM2_KEY_ID = saved.keyId;
  await rm(keys, { recursive: true, force: true });
});

describe('payment vouchers', () => {
  it('turns an approved direct payment into a signed 5201 voucher paid from the finance zero-balance account', async () => {
    const id = await approved('PV-DIR', 'direct', '1200.00');
    const signCmd = cmd('payment.signVoucher', { applicationId: id, agencyCode: '205002' });
    const r = ok(await run1(t.db, signCmd, as('signer')));
    expect(r).toMatchObject({
      applicationId: id,
      state: 'voucherSigned',
      vtCode: '5201',
      keyId: 'finance-530700000',
    });
    expect(r.voucherNo).toMatch(/^20265201\d{10}$/);

    const rows = await stored(id);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({
      vt_code: '5201',
      voucher_no: r.voucherNo,
      amount_fen: 120_000n,
      signed_by: 'signer',
      key_id: 'finance-530700000',
      library_status: 0,
    });
    const entry = decoded(row.envelope);
    expect(entry.flag).toBe('send');
    const h = entry.voucher.header;
    expect(h).toMatchObject({
      AdmDivCode: '530700',
      StYear: '2026',
      VtCode: '5201',
      VoucherNo: r.voucherNo,
      VouDate: '20260301',
      PayAmt: 120_000n,
      PayTypeCode: '11',
      PayTypeName: '财政直接支付',
      FundTypeCode: '111',
      FundTypeName: '一般公共预算资金',
      AgencyCode: '205002',
      AgencyName: '丽江市第一中学',
      SupDepCode: '205',
      SupDepName: '丽江市教育局',
      ExpFuncCode: '2050203',
      ExpFuncCode1: '205',
      ExpEcoCode: '30201',
      PayeeAcctNo: '2510800109200066001',
      PayeeAcctName: '丽江雪山文具办公用品有限公司',
      PayeeAcctBankName: '中国工商银行丽江分行',
      PayeeAcctBankNo: '102751000015',
      PayAcctNo: '2510800109200010001',
      PayAcctName: '丽江市财政局零余额账户',
      ClearBankCode: 'PBOC',
      PaySummaryName: '办公用品',
    });
    expect(entry.voucher.details).toEqual([
      expect.objectContaining({ VoucherBillNo: id, PayAmt: 120_000n, PayeeAcctNo: '2510800109200066001' }),
    ]);
    expect(entry.voucher.signatures).toEqual([
      expect.objectContaining({
        position: 'finance',
        keyId: 'finance-530700000',
        scope: 'voucher',
        stamp: { stampId: '530700000-ywzyz', sealType: 'ywzyz' },
      }),
    ]);
    expect(verifyVoucher(entry.voucher, await trusted())).toEqual({ verified: ['finance'], failed: [] });

    // The application is signed and its trail says by whom.
    const app = await t.db
      .selectFrom('payments.application')
      .select('state')
      .where('application_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(app.state).toBe('voucherSigned');
    const trail = await sql<{ action: string; actor: string }>`select action, actor
      from payments.application_action where application_id = ${id} order by seq`.execute(t.db);
    expect(trail.rows.at(-1)).toEqual({ action: 'sign', actor: 'signer' });
    const audit = await sql<{ n: string }>`select count(*)::text as n from platform.command_log
      where command_id = ${signCmd.id}`.execute(t.db);
    expect(audit.rows[0]!.n).toBe('1');

    // The same command again replays: no second voucher, no second number.
    const again = await run1(t.db, signCmd, as('signer'));
    expect(again).toMatchObject({ status: 'accepted', replayed: true, result: { voucherNo: r.voucherNo } });
    expect(await stored(id)).toHaveLength(1);
    // A new command on the signed application is refused.
    expect(errorCode(await step('payment.signVoucher', 'signer', id))).toBe('STATE_INVALID');

    // Over HTTP: anyone reading payments in the region, the unit's own clerk included.
    const clerk = await t.login('clerk', 'Fiscus-Clk-2026');
    const res = await t.app.inject({
      url: `/api/v1/payments/${id}/voucher?region=530700000&year=2026`,
      headers: { cookie: clerk },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ vtCode: '5201', voucherNo: r.voucherNo, libraryStatus: 0 });
    expect(res.json().envelope).toBe(row.envelope);
    // The printable voucher, amount in capitals (when the machine has a CJK font).
    const pdf = await t.app.inject({
      url: `/api/v1/payments/${id}/voucher.pdf?region=530700000&year=2026`,
      headers: { cookie: clerk },
    });
    if (findCjkFont()) {
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    } else expect(pdf.json().error.code).toBe('PDF_FONT_MISSING');
    const none = await t.app.inject({
      url: `/api/v1/payments/NOPE/voucher?region=530700000&year=2026`,
      headers: { cookie: clerk },
    });
    expect(none.statusCode).toBe(404);
  });

  it('detects a tampered amount', async () => {
    const id = await approved('PV-DIR', 'direct', '333.00');
    ok(await step('payment.signVoucher', 'signer', id));
    const envelope = (await stored(id))[0]!.envelope;
    const inner = /<Voucher>([^<]+)<\/Voucher>/.exec(envelope)![1]!;
    const xml = Buffer.from(inner, 'base64').toString('utf8');
    expect(xml.match(/<PayAmt>333\.00<\/PayAmt>/g)).toHaveLength(2);
    // Header and detail changed together, so the voucher still decodes (its sums agree).
    const forged = xml.replaceAll('<PayAmt>333.00</PayAmt>', '<PayAmt>3330.00</PayAmt>');
    const tampered = envelope.replace(inner, Buffer.from(forged, 'utf8').toString('base64'));
    const entry = decoded(tampered);
    expect(entry.voucher.header.PayAmt).toBe(333_000n);
    expect(verifyVoucher(entry.voucher, await trusted())).toEqual({
      verified: [],
      failed: [{ position: 'finance', keyId: 'finance-530700000', reason: 'BAD_SIGNATURE' }],
    });
    // The untouched envelope still verifies.
    expect(verifyVoucher(decoded(envelope).voucher, await trusted()).verified).toEqual(['finance']);
  });

  it('pays authorized payments from the agency zero-balance account (8202) and allocations from the treasury single account (5207)', async () => {
    const aut = await approved('PV-AUT', 'authorized', '50.00');
    const ra = ok(await step('payment.signVoucher', 'signer', aut));
    expect(ra).toMatchObject({ vtCode: '8202', state: 'voucherSigned' });
    const va = decoded((await stored(aut))[0]!.envelope).voucher;
    expect(va.header).toMatchObject({
      VtCode: '8202',
      PayTypeCode: '12',
      PayAcctNo: '24560101040000205',
      PayAcctName: '丽江市第一中学零余额账户',
      PayBankName: '中国农业银行丽江分行',
      PayAmt: 5_000n,
    });
    expect(verifyVoucher(va, await trusted()).verified).toEqual(['finance']);

    const all = await approved('PV-ALL', 'allocation', '70.00');
    const rl = ok(await step('payment.signVoucher', 'signer', all));
    expect(rl).toMatchObject({ vtCode: '5207' });
    expect(rl.voucherNo).toMatch(/^20265207\d{10}$/);
    const vl = decoded((await stored(all))[0]!.envelope).voucher;
    expect(vl.header).toMatchObject({
      VtCode: '5207',
      AdmDivCode: '530700',
      PayAcctNo: '270751000001',
      PayAcctName: '丽江市财政局',
      PayeeAcctNo: '2510800109200066001',
      TreCode: 'PBOC',
      PayAmt: 7_000n,
    });
    expect(vl.details).toEqual([expect.objectContaining({ AgencyCode: '205002', PayAmt: 7_000n })]);
    expect(verifyVoucher(vl, await trusted()).verified).toEqual(['finance']);
  });

  it('refuses without a payer account, out of turn, without the permission and to someone who acted before', async () => {
    // No active treasury single account: a coded refusal, nothing written.
    const all = await approved('PV-ALL', 'allocation', '10.00');
    await sql`update basedata.bank_account set status = 'closed'
      where region_code = '530700000' and kind = 'treasurySingle'`.execute(t.db);
    try {
      const r = await step('payment.signVoucher', 'signer', all);
      expect(errorCode(r)).toBe('PAYER_ACCOUNT_MISSING');
      expect(r.status === 'rejected' && r.error.message.en).toContain('treasury single account');
    } finally {
      await sql`update basedata.bank_account set status = 'active'
        where region_code = '530700000' and kind = 'treasurySingle'`.execute(t.db);
    }
    expect(await stored(all)).toHaveLength(0);
    ok(await step('payment.signVoucher', 'signer', all));

    // Not approved yet.
    const early = ok(await draft('PV-DIR', 'direct', '20.00')).applicationId as string;
    ok(await step('payment.submit', 'clerk', early));
    ok(await step('payment.unitApprove', 'unithead', early));
    expect(errorCode(await step('payment.signVoucher', 'signer', early))).toBe('STATE_INVALID');

    // Without payment.sign.
    ok(await step('payment.review', 'reviewer', early, { decision: 'approve' }));
    expect(errorCode(await step('payment.signVoucher', 'clerk', early))).toBe('PERMISSION_DENIED');
    expect(errorCode(await step('payment.signVoucher', 'reviewer', early))).toBe('PERMISSION_DENIED');

    // The reviewer who approved it, even when given the signer role, may not sign it.
    await sql`insert into auth.user_role (username, role, scope_region, include_descendants, scope_agency, granted_by)
      values ('reviewer', 'paymentSigner', '530700000', false, null, 'secadmin')`.execute(t.db);
    try {
      const r = await step('payment.signVoucher', 'reviewer', early);
      expect(errorCode(r)).toBe('SOD_SAME_PERSON');
    } finally {
      await sql`delete from auth.user_role where username = 'reviewer' and role = 'paymentSigner'`.execute(
        t.db,
      );
    }
    // Neither may the unit head (given the role too); the signer may.
    await sql`insert into auth.user_role (username, role, scope_region, include_descendants, scope_agency, granted_by)
      values ('unithead', 'paymentSigner', '530700000', false, null, 'secadmin')`.execute(t.db);
    try {
      expect(errorCode(await step('payment.signVoucher', 'unithead', early))).toBe('SOD_SAME_PERSON');
    } finally {
      await sql`delete from auth.user_role where username = 'unithead' and role = 'paymentSigner'`.execute(
        t.db,
      );
    }
    expect(await stored(early)).toHaveLength(0);
    ok(await step('payment.signVoucher', 'signer', early));

    // Another agency's application is not found by this agency's code.
    expect(
      errorCode(
        await run1(
          t.db,
          cmd('payment.signVoucher', { applicationId: early, agencyCode: '210002' }),
          as('signer'),
        ),
      ),
    ).toBe('NOT_FOUND');
  });

  it('signs with an injected signer when tests set one, and numbers vouchers uniquely', async () => {
    const { generateSm2KeyPair, Sm2SoftwareSigner } = await import(
      '../../packages/core/src/exchange/crypto/sm2'
    );
    const signer = new Sm2SoftwareSigner('test-finance', generateSm2KeyPair());
    setFinanceSignerForTests(signer);
    try {
      const id = await approved('PV-DIR', 'direct', '5.00');
      ok(await step('payment.signVoucher', 'signer', id));
      const v = decoded((await stored(id))[0]!.envelope).voucher;
      expect(verifyVoucher(v, new Map([['test-finance', signer.publicKey]])).verified).toEqual(['finance']);
      expect(verifyVoucher(v, await trusted()).failed).toEqual([
        { position: 'finance', keyId: 'test-finance', reason: 'UNTRUSTED_KEY' },
      ]);
    } finally {
      setFinanceSignerForTests(null);
    }
    const nos = await sql<{ n: string; d: string }>`select count(*)::text as n,
      count(distinct (region_code, fiscal_year, vt_code, voucher_no))::text as d from payments.voucher`.execute(
      t.db,
    );
    expect(nos.rows[0]!.n).toBe(nos.rows[0]!.d);
  });
});

describe('receipts and returns from the agent bank (voucher library inbox)', () => {
  const bank = generateSm2KeyPair();
  const bankSigner = new Sm2SoftwareSigner('bank-icbc-lijiang', bank);
  const impostor = new Sm2SoftwareSigner('bank-icbc-lijiang', generateSm2KeyPair());

  async function signedVoucher(amount: string) {
    const id = await approved('PV-DIR', 'direct', amount);
    ok(
      await run1(t.db, cmd('payment.signVoucher', { applicationId: id, agencyCode: '205002' }), as('signer')),
    );
    const [row] = await stored(id);
    return { id, row: row!, entry: decoded(row!.envelope) };
  }

  /** What the bank sends back: the voucher with its X-fields (or a return reason), signed by it. */
  async function answer(
    entry: EnvelopeEntry,
    how: { paid?: bigint; returnReason?: string },
    signer = bankSigner,
  ) {
    const header = { ...entry.voucher.header };
    if (how.paid !== undefined)
      Object.assign(header, { XPayDate: '20260315', XPayAmt: how.paid, XAgentBusinessNo: 'ICBC-000123' });
    const voucher = await signVoucher({ ...entry.voucher, header }, signer, BANK_POSITION);
    const flag = how.paid !== undefined ? ('receipt' as const) : ('send' as const);
    return Buffer.from(encodeEnvelope([{ flag, returnReason: how.returnReason ?? '', attach: '', voucher }]));
  }

  const post = (body: Buffer) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/evoucher/messages',
      headers: { 'content-type': 'application/xml' },
      payload: body,
    });

  beforeAll(() => setTrustedKeysForTests(new Map([[bankSigner.keyId, bankSigner.publicKey]])));
  afterAll(() => setTrustedKeysForTests(null));

  it('books a signed receipt as paid once, and ignores a late duplicate', async () => {
    const { id, entry } = await signedVoucher('480.00');
    const receipt = await answer(entry, { paid: 48_000n });
    const res = await post(receipt);
    expect(res.statusCode).toBe(200);
    expect(res.json().results[0]).toMatchObject({
      status: 'accepted',
      result: { state: 'paid', libraryStatus: 5 },
    });
    const again = await post(receipt);
    expect(again.json().results[0]).toMatchObject({ status: 'accepted', replayed: true });
    const app = await t.db
      .selectFrom('payments.application')
      .select(['state', 'paid_entry_id'])
      .where('application_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(app.state).toBe('paid');
    const lines = await sql<{ account: string; side: string; amount_fen: string }>`
      select account, side, amount_fen::text from ledger.line where region_code = '530700000' and entry_id = ${app.paid_entry_id}
      order by line_no`.execute(t.db);
    expect(lines.rows).toEqual([
      { account: '2401', side: 'debit', amount_fen: '48000' },
      { account: '2501', side: 'credit', amount_fen: '48000' },
    ]);
  });

  it('releases the reservation when the bank returns the voucher', async () => {
    const { id, entry } = await signedVoucher('75.00');
    const res = await post(await answer(entry, { returnReason: '收款账户已销户' }));
    expect(res.json().results[0]).toMatchObject({
      status: 'accepted',
      result: { state: 'bankReturned', libraryStatus: 6 },
    });
    const v = await t.db
      .selectFrom('payments.voucher')
      .select(['return_reason'])
      .where('application_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(v.return_reason).toBe('收款账户已销户');
  });

  it('refuses a bad signature, an untrusted signer, an amount that differs and an unknown voucher', async () => {
    const { entry } = await signedVoucher('66.00');
    const forged = await post(await answer(entry, { paid: 6_600n }, impostor));
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.code).toBe('MESSAGE_SIGNATURE_INVALID');
    const tampered = (await answer(entry, { paid: 6_600n })).toString('utf8');
    const inner = tampered.match(/<Voucher>([^<]+)<\/Voucher>/)![1]!;
    const altered = Buffer.from(inner, 'base64')
      .toString('utf8')
      .replace('<XPayAmt>66.00</XPayAmt>', '<XPayAmt>67.00</XPayAmt>');
    const bad = await post(Buffer.from(tampered.replace(inner, Buffer.from(altered).toString('base64'))));
    expect(bad.statusCode).toBe(401);
    const short = await post(await answer(entry, { paid: 6_500n }));
    expect(short.json().results[0]).toMatchObject({
      status: 'rejected',
      error: { code: 'RECEIPT_AMOUNT_MISMATCH' },
    });
    // A voucher we never sent (and so never signed): nothing to book.
    const unknown = removeSignature(
      { ...entry.voucher, header: { ...entry.voucher.header, VoucherNo: '20265201999999999' } },
      'finance',
    );
    const res = await post(await answer({ ...entry, voucher: unknown }, { paid: 6_600n }));
    expect(res.json().results[0]).toMatchObject({ status: 'rejected', error: { code: 'NOT_FOUND' } });
  });
});
