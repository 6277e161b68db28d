import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSm2KeyPair, Sm2SoftwareSigner } from '../../packages/core/src/exchange/crypto/sm2';
import { decodeEnvelope, encodeEnvelope } from '../../packages/core/src/exchange/voucher/envelope';
import type { Voucher, VoucherFields } from '../../packages/core/src/exchange/voucher/model';
import { signVoucher } from '../../packages/core/src/exchange/voucher/signing';
import {
  BANK_POSITION,
  PBOC_POSITION,
  receiveBankMessage,
} from '../../packages/core/src/payments/vouchers/inbox';
import {
  setTrustedKeysForTests,
  trustedCounterpartKeys,
} from '../../packages/core/src/payments/vouchers/keys';
import { ARTIFACTS, pick, useBrowserHarness } from './pages/harness';

// 国库清算与对账 in the browser. A day of paid payments whose counterpart reports (the bank's 2206
// and 3513, the PBOC's 3501, 3410 and 3513, signed and posted to the inbox) agree shows an all-green
// grid once the treasury officer runs 对账; a day where the bank's report alters one voucher's amount
// shows the red cell, whose difference names the voucher with what each side says; the officer
// assigns it and explains it, and may not resolve it himself (不相容职务分离). A paid payment is
// corrected (更正) to another indicator: its preparer is refused approval, the reviewer approves. The
// 清算额度 page issues the day's quota notice.

const h = useBrowserHarness();
const { signIn, command } = h;
const AGENCY = '205002';
const CLEAN = '2026-11-02';
const FAULTY = '2026-11-03';
const CORRECTED = '2026-11-04';
const d8 = (d: string) => d.replaceAll('-', '');

// Finance keys of this file's own; the bank's and the PBOC's keys are trusted by the inbox.
const keys = mkdtempSync(join(tmpdir(), 'fiscus-e2e-keys-'));
process.env.FISCUS_KEYS = keys;
const bank = new Sm2SoftwareSigner('bank-e2e-rc', generateSm2KeyPair());
const pboc = new Sm2SoftwareSigner('pboc-e2e-rc', generateSm2KeyPair());
afterAll(() => {
  setTrustedKeysForTests(null);
  rmSync(keys, { recursive: true, force: true });
});

/** A button by its words (after its icon's name, if any); antd spaces out two-character labels (指派 → "指 派"). */
const btn = (words: string) => new RegExp(`(^|\\s)${[...words].join('\\s*')}\\s*$`);

const dialog = (page: Page, title: string) =>
  page.locator('.ant-modal-content').filter({ has: page.locator('.ant-modal-title', { hasText: title }) });

interface Paid {
  applicationId: string;
  vtCode: string;
  voucherNo: string;
  fen: bigint;
}

let adm = '';

/** Clerk → unit head → payment center → signer, then the bank's receipt booked on `date`. */
async function pay(amount: string, date: string, indicatorId = 'E2E-RC'): Promise<Paid> {
  const { applicationId } = (await command(
    'payment.draft',
    {
      agencyCode: AGENCY,
      payType: 'direct',
      indicatorId,
      amount,
      purpose: '办公用品',
      settlementMode: '001001',
      payee: { payeeCode: 'S0001' },
    },
    'clerk',
  )) as { applicationId: string };
  const ref = { applicationId, agencyCode: AGENCY };
  await command('payment.submit', ref, 'clerk');
  await command('payment.unitApprove', ref, 'unithead');
  await command('payment.review', { ...ref, decision: 'approve' }, 'reviewer');
  const s = (await command('payment.signVoucher', ref, 'signer')) as { vtCode: string; voucherNo: string };
  const row = await h
    .server()
    .db.selectFrom('payments.voucher')
    .select('envelope')
    .where('vt_code', '=', s.vtCode)
    .where('voucher_no', '=', s.voucherNo)
    .executeTakeFirstOrThrow();
  const dec = decodeEnvelope(new TextEncoder().encode(row.envelope));
  if (!dec.ok) throw new Error(JSON.stringify(dec.errors));
  const entry = dec.value[0]!;
  adm = String(entry.voucher.header.AdmDivCode);
  const fen = BigInt(Math.round(Number(amount) * 100));
  const header = {
    ...entry.voucher.header,
    XPayDate: d8(date),
    XPayAmt: fen,
    XAgentBusinessNo: `B${s.voucherNo}`,
  };
  const voucher = await signVoucher({ ...entry.voucher, header }, bank, BANK_POSITION);
  const bytes = Buffer.from(encodeEnvelope([{ flag: 'receipt', returnReason: '', attach: '', voucher }]));
  // Booked on its business date: the ledger's paid movement of the day is the day's vouchers.
  const rs = await receiveBankMessage(h.server().db, bytes, await trustedCounterpartKeys(), { on: date });
  for (const r of rs) if (r.status !== 'accepted') throw new Error(JSON.stringify(r));
  return { applicationId, ...s, fen };
}

let seq = 0;
const common = (vt: string, date: string, no: string) => ({
  Id: `ID${no}`,
  AdmDivCode: adm,
  StYear: '2026',
  VtCode: vt,
  VouDate: d8(date),
  VoucherNo: no,
});

/** Sign a counterpart report and post it to the inbox over HTTP, as the bank or the PBOC would. */
async function post(voucher: Voucher, signer: Sm2SoftwareSigner, position: string) {
  const signed = await signVoucher(voucher, signer, position, { scope: 'voucher' });
  const res = await fetch(`${h.server().url}/api/v1/evoucher/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/xml' },
    body: Buffer.from(encodeEnvelope([{ flag: 'send', returnReason: '', attach: '', voucher: signed }])),
  });
  const body = (await res.json()) as { results?: { status: string }[] };
  expect(res.status, JSON.stringify(body)).toBe(200);
  for (const x of body.results ?? []) expect(x.status, JSON.stringify(x)).toBe('accepted');
}

/**
 * The day's reports: 2206 + 3513 from the bank (its lines as given, so a test can alter one),
 * 3501 + 3410 + 3513 from the PBOC (what was really paid).
 */
async function postReports(
  date: string,
  paid: readonly Paid[],
  bankAmount: (p: Paid) => bigint = (p) => p.fen,
) {
  const tag = `${d8(date)}${++seq}`;
  const bankLines: VoucherFields[] = paid.map((p, i) => ({
    Id: `L${i}`,
    VoucherNo: p.voucherNo,
    OriVtCode: '5201',
    SupDepCode: '205',
    AgencyCode: AGENCY,
    ExpFuncCode: '2050203',
    PayDate: d8(date),
    PayAmt: bankAmount(p),
  }));
  const bankTotal = paid.reduce((t, p) => t + bankAmount(p), 0n);
  const total = paid.reduce((t, p) => t + p.fen, 0n);
  await post(
    {
      header: {
        ...common('2206', date, `2206${tag}`),
        ReportDate: d8(date),
        PayAmt: bankTotal,
        PosAmt: bankTotal,
        NegAmt: 0n,
        FundTypeCode: '111',
        PayTypeCode: '11',
        PayBankCode: 'ABC001',
      },
      details: bankLines,
      signatures: [],
    },
    bank,
    BANK_POSITION,
  );
  await post(
    {
      header: {
        ...common('3501', date, `3501${tag}`),
        TreCode: '2707000000',
        CheckDate: d8(date),
        EVoucherType: '5201',
        AllNum: String(paid.length),
        AllAmt: total,
      },
      details: paid.map((p, i) => ({ Id: `P${i}`, VoucherNo: p.voucherNo, Amt: p.fen, ProState: '0' })),
      signatures: [],
    },
    pboc,
    PBOC_POSITION,
  );
  await post(
    {
      header: {
        ...common('3410', date, `3410${tag}`),
        TreCode: '2707000000',
        ReportDate: d8(date),
        PayAmt: total,
      },
      details: [
        {
          Id: 'E1',
          SupDepCode: '205',
          ExpFuncCode: '2050203',
          FundTypeCode: '111',
          PayTypeCode: '11',
          PayBankCode: 'ABC001',
          PayAmt: total,
        },
      ],
      signatures: [],
    },
    pboc,
    PBOC_POSITION,
  );
  await post(
    {
      header: {
        ...common('3513', date, `3513B${tag}`),
        AcctNo: '6228000000000001',
        AcctName: '财政零余额账户',
        AcctKind: 'financeZeroBalance',
        BankCode: 'ABC001',
        BeginDate: d8(date),
        EndDate: d8(date),
        OpenAmt: 0n,
        DebitAmt: total,
        CreditAmt: total,
        CloseAmt: 0n,
      },
      details: [],
      signatures: [],
    },
    bank,
    BANK_POSITION,
  );
  const open = 100_000_000_00n;
  await post(
    {
      header: {
        ...common('3513', date, `3513P${tag}`),
        AcctNo: '270751000001',
        AcctName: '国库单一账户',
        AcctKind: 'treasurySingle',
        BeginDate: d8(date),
        EndDate: d8(date),
        OpenAmt: open,
        DebitAmt: total,
        CreditAmt: 0n,
        CloseAmt: open - total,
      },
      details: [],
      signatures: [],
    },
    pboc,
    PBOC_POSITION,
  );
}

/** Open /reconcile for a date and run 对账 from the page; resolves when the grid shows. */
async function runFromPage(page: Page, date: string) {
  await page.goto(`${h.server().url}/reconcile?date=${date}`);
  await expect.poll(() => page.getByTestId('page-title').textContent()).toBe('对账');
  await page.getByTestId('no-run').waitFor();
  await page
    .getByRole('button', { name: btn('执行对账') })
    .first()
    .click();
  await page
    .locator('.ant-popconfirm')
    .getByRole('button', { name: btn('执行对账') })
    .click();
  await page.getByTestId('reconcile-grid').waitFor();
  await expect.poll(() => page.getByTestId('reconcile-runs').locator('tr.ant-table-row').count()).toBe(1);
}

const cellStatuses = (page: Page) =>
  page
    .getByTestId('reconcile-grid')
    .locator('[data-testid^="cell-"]')
    .evaluateAll((els) =>
      els.map((e) => `${e.getAttribute('data-testid')}=${e.getAttribute('data-status')}`),
    );

beforeAll(async () => {
  setTrustedKeysForTests(
    new Map([
      [bank.keyId, bank.publicKey],
      [pboc.keyId, pboc.publicKey],
    ]),
  );
  // Two executable direct-payment indicators of 丽江市第一中学 that differ in 经济分类 (a correction
  // moves a payment from one to the other).
  const elements = {
    fundTypeCode: '111',
    agencyCode: AGENCY,
    deptCode: '205',
    expFuncCode: '2050203',
    depEcoCode: '30201',
    govEcoCode: '50201',
    payTypeCode: '11',
  };
  const { docId } = (await command(
    'indicatorDoc.draft',
    {
      docNo: '丽财〔2026〕E2E-RC',
      title: '学校公用经费（对账）',
      body: {
        docType: 'approve',
        lines: [
          { indicatorId: 'E2E-RC', elements, amount: '100000.00', pool: 'executable' },
          {
            indicatorId: 'E2E-RC2',
            elements: { ...elements, depEcoCode: '30211' },
            amount: '100000.00',
            pool: 'executable',
          },
        ],
      },
    },
    'budget',
  )) as { docId: string };
  await command('indicatorDoc.submit', { docId }, 'budget');
  await command('indicatorDoc.approve', { docId }, 'chief');
});

describe('国库清算与对账 in the browser', () => {
  it('a day whose reports agree shows every cell green', async () => {
    const paid = [await pay('210.00', CLEAN), await pay('220.50', CLEAN)];
    await postReports(CLEAN, paid);

    const treasury = await signIn('treasury', 'Fiscus-Trs-2026');
    await runFromPage(treasury, CLEAN);
    await expect.poll(() => treasury.getByTestId('run-result').textContent()).toBe('全部一致');
    const cells = await cellStatuses(treasury);
    expect(cells.filter((c) => c.endsWith('=red'))).toEqual([]);
    expect(cells.filter((c) => c.endsWith('=green')).length).toBeGreaterThanOrEqual(9);
    for (const c of [
      'cell-L1-finance-bank',
      'cell-L1-finance-pboc',
      'cell-L1-bank-pboc',
      'cell-L3-finance-ledger',
    ])
      expect(cells).toContain(`${c}=green`);
    const l1 = await treasury.getByTestId('cell-L1-finance-bank').innerText();
    expect(l1).toContain('一致');
    expect(l1).toContain('430.50');
  });

  it('a day with an altered amount shows the red cell; the difference is assigned and explained', async () => {
    const paid = [await pay('301.00', FAULTY), await pay('302.00', FAULTY), await pay('303.00', FAULTY)];
    const altered = paid[1]!;
    // The bank's daily report says 1.00 yuan more for the second voucher.
    await postReports(FAULTY, paid, (p) => (p === altered ? p.fen + 100n : p.fen));

    const treasury = await signIn('treasury', 'Fiscus-Trs-2026');
    await runFromPage(treasury, FAULTY);
    await expect.poll(() => treasury.getByTestId('run-result').textContent()).toMatch(/^差异 \d+ 笔$/);
    const red = treasury.getByTestId('cell-L1-finance-bank');
    expect(await red.getAttribute('data-status')).toBe('red');
    await expect.poll(() => red.innerText()).toContain('差异金额 1.00 元');
    expect(await treasury.getByTestId('cell-L1-finance-bank-count').textContent()).toBe('1');
    // The PBOC agrees with finance: that cell stays green.
    expect(await treasury.getByTestId('cell-L1-finance-pboc').getAttribute('data-status')).toBe('green');

    // Drill down: the differences of the cell name the voucher.
    await red.click();
    await expect.poll(() => treasury.getByTestId('page-title').textContent()).toBe('对账差异');
    const row = treasury
      .getByTestId('difference-list')
      .locator('tr.ant-table-row')
      .filter({ hasText: altered.voucherNo });
    await row.waitFor();
    const text = await row.innerText();
    for (const w of ['金额不符', '代理银行', '302.00', '303.00', '待处理', 'L1 凭证级'])
      expect(text).toContain(w);
    await row.getByRole('link').first().click();

    // The detail: what each side says, then 指派 and 说明.
    await expect.poll(() => treasury.getByTestId('page-title').textContent()).toBe('差异详情');
    await expect
      .poll(() => treasury.getByTestId('difference-voucher').textContent())
      .toContain(altered.voucherNo);
    expect(await treasury.getByTestId('difference-kind').textContent()).toBe('金额不符');
    await expect
      .poll(() => treasury.getByTestId('side-finance').innerText())
      .toContain(altered.applicationId);
    expect(await treasury.getByTestId('side-bank').innerText()).toContain('303.00');
    expect(await treasury.getByTestId('side-pboc').innerText()).toContain('302.00');
    const id = ((await treasury.getByTestId('difference-id').textContent()) ?? '').trim();
    expect(id).toMatch(/^RD\d{10,}$/);

    const actions = treasury.getByTestId('difference-actions');
    const offered = await actions.getByRole('button').allInnerTexts();
    expect(offered.map((x) => x.replace(/\s/g, ''))).toEqual(['指派']);
    await actions.getByRole('button', { name: btn('指派') }).click();
    let d = dialog(treasury, '指派');
    await d.waitFor();
    await d.getByRole('combobox', { name: '经办人' }).fill('treasury');
    await d.getByRole('button', { name: btn('指派') }).click();
    await d.waitFor({ state: 'hidden' });
    await expect.poll(() => treasury.getByTestId('difference-state').textContent()).toBe('已指派');
    expect(await treasury.getByTestId('difference-assignee').textContent()).toBe('treasury');

    await actions.getByRole('button', { name: btn('说明') }).click();
    d = dialog(treasury, '说明');
    await d.waitFor();
    const ok = d.getByRole('button', { name: btn('说明') });
    expect(await ok.isDisabled()).toBe(true);
    await d.getByLabel('差异原因说明').fill('代理银行日报多记 1.00 元，已通知银行更正重发');
    await ok.click();
    await d.waitFor({ state: 'hidden' });
    await expect.poll(() => treasury.getByTestId('difference-state').textContent()).toBe('已说明');
    await expect
      .poll(() => treasury.getByTestId('difference-explanation').textContent())
      .toBe('代理银行日报多记 1.00 元，已通知银行更正重发');
    await expect
      .poll(() => treasury.getByTestId('difference-trail').locator('[data-testid="trail-item"]').count())
      .toBe(2);

    // Who explained it may not resolve it: the server's words show in the dialog.
    await actions.getByRole('button', { name: btn('处理完毕') }).click();
    d = dialog(treasury, '处理完毕');
    await d.waitFor();
    await d.getByRole('combobox', { name: '处理结果', exact: true }).click();
    await treasury
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
      .filter({ hasText: '对方已更正' })
      .click();
    await d.getByLabel('处理说明').fill('银行已重发日报');
    await d.getByRole('button', { name: btn('处理完毕') }).click();
    await expect.poll(() => d.getByTestId('command-error').textContent()).toContain('不相容职务分离');
    await d.getByRole('button', { name: btn('取消') }).click();
    expect(await treasury.getByTestId('difference-state').textContent()).toBe('已说明');

    const events = await h
      .server()
      .db.selectFrom('reconcile.difference_event')
      .select(['action', 'actor', 'from_state', 'to_state', 'text'])
      .where('difference_id', '=', id)
      .orderBy('seq')
      .execute();
    expect(events).toEqual([
      { action: 'assign', actor: 'treasury', from_state: 'open', to_state: 'assigned', text: 'treasury' },
      {
        action: 'explain',
        actor: 'treasury',
        from_state: 'assigned',
        to_state: 'explained',
        text: '代理银行日报多记 1.00 元，已通知银行更正重发',
      },
    ]);
    mkdirSync(ARTIFACTS, { recursive: true });
    await treasury.screenshot({ path: join(ARTIFACTS, 'reconcile-difference.png'), fullPage: true });
    await treasury.goto(`${h.server().url}/reconcile?date=${FAULTY}`);
    await treasury.getByTestId('reconcile-grid').waitFor();
    await treasury.screenshot({ path: join(ARTIFACTS, 'reconcile-dashboard.png'), fullPage: true });
  });

  it('corrects a paid payment: its preparer is refused approval, the reviewer approves', async () => {
    const p = await pay('505.00', CORRECTED);
    const treasury = await signIn('treasury', 'Fiscus-Trs-2026');
    await treasury.goto(`${h.server().url}/payments/${p.applicationId}`);
    await expect.poll(() => treasury.getByTestId('payment-state').textContent()).toBe('已支付');
    await treasury.getByRole('button', { name: btn('更正') }).click();
    const d = dialog(treasury, '支付更正');
    await d.waitFor();
    await pick(treasury, d, '更正后指标', 'E2E-RC2', 'E2E-RC2');
    await d.getByLabel('更正原因').fill('经济分类录入错误');
    await d.getByRole('button', { name: btn('提交更正') }).click();
    await d.waitFor({ state: 'hidden' });
    const corrections = treasury.getByTestId('payment-corrections');
    await expect.poll(() => corrections.innerText()).toContain('待审批');
    expect(await corrections.innerText()).toContain('E2E-RC2');

    // The preparer may not approve it.
    await corrections.getByRole('button', { name: btn('审批更正') }).click();
    const a = dialog(treasury, '审批更正');
    await a.waitFor();
    await a.getByRole('button', { name: btn('审批通过') }).click();
    await expect.poll(() => treasury.getByTestId('command-error').textContent()).toContain('不相容职务分离');
    expect(await corrections.innerText()).toContain('待审批');

    const reviewer = await signIn('reviewer', 'Fiscus-Rev-2026');
    await reviewer.goto(`${h.server().url}/payments/${p.applicationId}`);
    const rc = reviewer.getByTestId('payment-corrections');
    await rc.getByRole('button', { name: btn('审批更正') }).click();
    const b = dialog(reviewer, '审批更正');
    await b.waitFor();
    await b.getByLabel('审批意见').fill('同意更正');
    await b.getByRole('button', { name: btn('审批通过') }).click();
    await b.waitFor({ state: 'hidden' });
    await expect.poll(() => rc.innerText()).toContain('已审批');
    expect(await rc.innerText()).toMatch(/5253\/\d+/);
    await expect.poll(() => reviewer.getByTestId('payment-trail').innerText()).toContain('支付更正（审批）');
    const row = await h
      .server()
      .db.selectFrom('payments.application')
      .select('indicator_id')
      .where('application_id', '=', p.applicationId)
      .executeTakeFirstOrThrow();
    expect(row.indicator_id).toBe('E2E-RC2');
  });

  it('issues the quota notice of a pay date from the 清算额度 page', async () => {
    const treasury = await signIn('treasury', 'Fiscus-Trs-2026');
    await treasury.goto(`${h.server().url}/clearing?date=${CORRECTED}`);
    await expect.poll(() => treasury.getByTestId('page-title').textContent()).toBe('清算额度');
    await treasury.getByRole('button', { name: btn('生成清算额度通知单') }).click();
    await treasury
      .locator('.ant-popconfirm')
      .getByRole('button', { name: btn('生成') })
      .click();
    const notices = treasury.getByTestId('quota-notices');
    const row = notices.locator('tr.ant-table-row').first();
    await expect.poll(() => row.innerText().catch(() => '')).toContain('5108 直接支付清算额度通知单');
    expect(await row.innerText()).toContain('505.00');
    await row.locator('.ant-table-row-expand-icon').click();
    await expect.poll(() => treasury.getByTestId('quota-lines').innerText()).toContain('支付');
    await expect.poll(() => treasury.getByTestId('quota-balances').innerText()).toContain('505.00');
  });
});
