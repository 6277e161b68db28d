import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startBankSim } from '../../bench/payments/sim-process';
import { financeSigner, setTrustedKeysForTests } from '../../packages/core/src/payments/vouchers/keys';
import { sendDueVouchers } from '../../packages/core/src/payments/vouchers/sender';
import { ARTIFACTS, openMenu, pick, useBrowserHarness } from './pages/harness';

// 支付管理 in the browser: a unit clerk applies against an executable indicator and submits, the
// unit head and the payment center approve, the list shows 已审未支付; and a payment beyond the
// indicator's balance is refused in the server's Chinese words.

const h = useBrowserHarness();
const { signIn, command } = h;
const open = (page: Page, item: string) => openMenu(page, '支付管理', item);

/** The clerk fills the 支付申请 form. */
async function apply(page: Page, indicatorId: string, amount: string, purpose: string) {
  await open(page, '支付申请');
  await pick(page, page, '可执行指标', indicatorId, indicatorId);
  await page.getByLabel('金额（元）', { exact: true }).fill(amount);
  await pick(page, page, '收款人', 'S0001', 'S0001');
  await page.getByLabel('用途', { exact: true }).fill(purpose);
}

// Finance keys of this file's own, so the bank simulator can be told to trust them.
const keys = mkdtempSync(join(tmpdir(), 'fiscus-e2e-keys-'));
const bankData = mkdtempSync(join(tmpdir(), 'fiscus-e2e-bank-'));
process.env.FISCUS_KEYS = keys;
afterAll(() => {
  setTrustedKeysForTests(null);
  rmSync(keys, { recursive: true, force: true });
  rmSync(bankData, { recursive: true, force: true });
});

beforeAll(async () => {
  // Two executable indicators of 丽江市第一中学 (205002), approved by the chief.
  const elements = {
    fundTypeCode: '111',
    agencyCode: '205002',
    deptCode: '205',
    expFuncCode: '2050203',
    depEcoCode: '30201',
    govEcoCode: '50201',
    payTypeCode: '11',
  };
  const { docId } = (await command(
    'indicatorDoc.draft',
    {
      docNo: '丽财〔2026〕E2E-P1',
      title: '学校公用经费',
      body: {
        docType: 'approve',
        lines: [
          { indicatorId: 'E2E-PAY', elements, amount: '50000.00', pool: 'executable' },
          { indicatorId: 'E2E-PAY-LOW', elements, amount: '500.00', pool: 'executable' },
        ],
      },
    },
    'budget',
  )) as { docId: string };
  await command('indicatorDoc.submit', { docId }, 'budget');
  await command('indicatorDoc.approve', { docId }, 'chief');
});

describe('支付管理 in the browser', () => {
  it('the clerk applies and submits, the unit head and the payment center approve: 已审未支付', async () => {
    const clerk = await signIn('clerk', 'Fiscus-Clk-2026');
    await apply(clerk, 'E2E-PAY', '1200.00', '办公用品');
    await expect.poll(() => clerk.getByTestId('indicator-available').textContent()).toContain('50,000.00');
    await clerk.getByRole('button', { name: /送\s*审/ }).click();
    await clerk.waitForURL(/\/payments\/[^/]+$/);
    await expect.poll(() => clerk.getByTestId('payment-state').textContent()).toBe('已送审');
    const id = ((await clerk.getByTestId('application-id').textContent()) ?? '').trim();
    expect(id).not.toBe('');
    await expect.poll(() => clerk.getByTestId('payment-ledger').textContent()).toContain('1,200.00');

    // The unit head approves from the list.
    const head = await signIn('unithead', 'Fiscus-Uhd-2026');
    await open(head, '支付申请列表');
    const headRow = head.getByTestId('payments-table').locator('tr.ant-table-row').filter({ hasText: id });
    await headRow.getByRole('button', { name: /单位审核/ }).click();
    await expect.poll(() => headRow.textContent()).toContain('单位已审');

    // The payment center approves from the list.
    const reviewer = await signIn('reviewer', 'Fiscus-Rev-2026');
    await open(reviewer, '支付申请列表');
    const row = reviewer.getByTestId('payments-table').locator('tr.ant-table-row').filter({ hasText: id });
    await row.getByRole('button', { name: /审核通过/ }).click();
    await expect.poll(() => row.textContent()).toContain('已审未支付');
    expect(await row.locator('[data-state]').getAttribute('data-state')).toBe('approved');

    // The state filter: 已审未支付 lists it.
    await reviewer.getByRole('combobox', { name: '状态' }).click();
    await reviewer
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
      .filter({ hasText: '已审未支付' })
      .click();
    await expect.poll(() => row.textContent()).toContain('1,200.00');

    // The trail on the detail page, as the clerk sees it.
    await clerk.reload();
    await expect.poll(() => clerk.getByTestId('payment-state').textContent()).toBe('已审未支付');
    const trail = await clerk.getByTestId('payment-trail').innerText();
    for (const w of ['送审', '单位审核', '审核通过', 'clerk', 'unithead', 'reviewer'])
      expect(trail).toContain(w);

    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = join(ARTIFACTS, 'payments.png');
    await reviewer.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10 * 1024);
  });

  it('shows the server refusal when the payment exceeds what the indicator has available', async () => {
    const clerk = await signIn('clerk', 'Fiscus-Clk-2026');
    await apply(clerk, 'E2E-PAY-LOW', '800.00', '超额申请');
    await expect.poll(() => clerk.getByTestId('indicator-available').textContent()).toContain('500.00');
    await clerk.getByRole('button', { name: /送\s*审/ }).click();
    const alert = clerk.getByTestId('command-error');
    await alert.waitFor();
    const text = await alert.innerText();
    expect(text).toContain('未通过控制规则');
    expect(text).toContain('AVAILABLE_NON_NEGATIVE');
    console.log(`refusal shown: ${text}`);
    await clerk.screenshot({ path: join(ARTIFACTS, 'payments-refusal.png') });
  });

  it('sends the signed voucher to the bank simulator and shows the receipt arriving: 已支付', async () => {
    const ref = { agencyCode: '205002' };
    const { applicationId } = (await command(
      'payment.draft',
      {
        ...ref,
        payType: 'direct',
        indicatorId: 'E2E-PAY',
        amount: '345.60',
        purpose: '教学耗材',
        settlementMode: '001001',
        payee: { payeeCode: 'S0002' },
      },
      'clerk',
    )) as { applicationId: string };
    const app = { ...ref, applicationId };
    await command('payment.submit', app, 'clerk');
    await command('payment.unitApprove', app, 'unithead');
    await command('payment.review', { ...app, decision: 'approve' }, 'reviewer');
    await financeSigner('530700000');
    await command('payment.signVoucher', app, 'signer');

    const clerk = await signIn('clerk', 'Fiscus-Clk-2026');
    await clerk.goto(`${h.server().url}/payments/${applicationId}`);
    await expect.poll(() => clerk.getByTestId('payment-state').textContent()).toBe('凭证已签章');
    await expect.poll(() => clerk.getByTestId('voucher-library-status').textContent()).toBe('未接收');

    const port = await freePort();
    const sim = await startBankSim([
      '--port',
      String(port),
      '--data',
      bankData,
      '--trust',
      keys,
      '--fiscus',
      h.server().url,
    ]);
    try {
      setTrustedKeysForTests(new Map([[sim.keyId, sim.publicKey]]));
      const sent = await sendDueVouchers(h.server().db, { bankUrl: sim.url });
      expect(sent.received).toBeGreaterThanOrEqual(1);
      await expect
        .poll(
          async () => {
            await clerk.reload();
            return clerk.getByTestId('payment-state').textContent();
          },
          { timeout: 30_000, interval: 500 },
        )
        .toBe('已支付');
    } finally {
      await sim.stop();
    }
    await expect.poll(() => clerk.getByTestId('voucher-library-status').textContent()).toBe('已回单');
    expect(await clerk.getByTestId('payment-trail').innerText()).toContain('银行回单');
    // The trail ends in the ledger: the reservation and the payment (scenario 13).
    await expect.poll(() => clerk.getByTestId('payment-ledger').textContent()).toContain('bankPaid');
    await clerk.screenshot({ path: join(ARTIFACTS, 'payments-receipt.png'), fullPage: true });
  });
});
