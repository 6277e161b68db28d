import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startBankSim } from '../../bench/payments/sim-process';
import { enterpriseIdCheckChar, personIdCheckChar } from '../../packages/core/src/monitoring/domain/identity';
import { financeSigner, setTrustedKeysForTests } from '../../packages/core/src/payments/vouchers/keys';
import { sendDueVouchers } from '../../packages/core/src/payments/vouchers/sender';
import { ARTIFACTS, openMenu, useBrowserHarness } from './pages/harness';

// 监控规则 in the browser: the monitoring officer writes a rule with a malformed condition and
// sees the coded Chinese complaint under the condition, fixes it and saves version 1, edits it
// into version 2 and sees both in the history, backtests and test-runs it; and follows a
// direct-reach fund down to a paid payment's beneficiaries (id numbers masked).

const h = useBrowserHarness();
const { signIn, command } = h;
const CODE = 'E2E_LARGE_PAYMENT';
/** The large and the small payment submitted in beforeAll. */
const ids: string[] = [];
const P1 = `53070219800229123${personIdCheckChar('53070219800229123')}`;
const E1 = `91530702MA6K12345${enterpriseIdCheckChar('91530702MA6K12345')}`;
const elements = {
  fundTypeCode: '111',
  agencyCode: '205002',
  deptCode: '205',
  expFuncCode: '2050203',
  depEcoCode: '30201',
  govEcoCode: '50201',
  payTypeCode: '11',
};

// Finance keys of this file's own, so the bank simulator can be told to trust them.
const keys = mkdtempSync(join(tmpdir(), 'fiscus-e2e-keys-'));
const bankData = mkdtempSync(join(tmpdir(), 'fiscus-e2e-bank-'));
process.env.FISCUS_KEYS = keys;
afterAll(() => {
  setTrustedKeysForTests(null);
  rmSync(keys, { recursive: true, force: true });
  rmSync(bankData, { recursive: true, force: true });
});

/** Screens load over the network: give each wait 10 s. */
const WAIT = { timeout: 10_000 };
const condition = (page: Page) => page.getByRole('textbox', { name: '条件表达式' });
const save = (page: Page) => page.getByRole('button', { name: /保\s*存/ });

beforeAll(async () => {
  // An executable indicator of 丽江市第一中学 (205002) and two submitted payments against it, one
  // large (60 000.00) and one small (120.00), for the backtest to scan.
  const { docId } = (await command(
    'indicatorDoc.draft',
    {
      docNo: '丽财〔2026〕E2E-M1',
      title: '学校公用经费（监控）',
      body: {
        docType: 'approve',
        lines: [{ indicatorId: 'E2E-MON', elements, amount: '200000.00', pool: 'executable' }],
      },
    },
    'budget',
  )) as { docId: string };
  await command('indicatorDoc.submit', { docId }, 'budget');
  await command('indicatorDoc.approve', { docId }, 'chief');
  for (const [amount, purpose] of [
    ['60000.00', '设备购置'],
    ['120.00', '办公用品'],
  ] as const) {
    const { applicationId } = (await command(
      'payment.draft',
      {
        agencyCode: '205002',
        payType: 'direct',
        indicatorId: 'E2E-MON',
        amount,
        purpose,
        settlementMode: '001001',
        payee: { payeeCode: 'S0002' },
      },
      'clerk',
    )) as { applicationId: string };
    await command('payment.submit', { agencyCode: '205002', applicationId }, 'clerk');
    ids.push(applicationId);
  }
});

describe('监控规则 in the browser', () => {
  it('creates a rule (a bad condition is refused under the field), saves v1, edits v2 and backtests', async () => {
    const page = await signIn('monitor', 'Fiscus-Mon-2026');
    await openMenu(page, '动态监控', '监控规则');

    // 新建: every field of the definition; the condition is malformed.
    await page.getByRole('button', { name: /新建规则/ }).click();
    await page.waitForURL(/\/monitor\/rules\/new$/);
    await page.getByRole('textbox', { name: '规则编码' }).fill(CODE);
    await page.getByRole('textbox', { name: '规则名称' }).fill('单笔大额支付');
    await page.getByRole('combobox', { name: '监控主题' }).fill('payee');
    await page.getByRole('button', { name: /添加参数/ }).click();
    await page.getByRole('textbox', { name: '参数名 1' }).fill('threshold');
    await page.getByRole('textbox', { name: '参数值 1' }).fill('50000.00');
    await page.getByRole('textbox', { name: '预警提示（中文）' }).fill('单笔支付 {amount} 元，超过大额标准');
    await page.getByRole('textbox', { name: '预警提示（英文）' }).fill('Single payment of {amount} yuan');
    await condition(page).fill('payment.amount >= params.threshold and (');
    await save(page).click();

    const field = page.getByTestId('condition-field');
    await expect.poll(() => field.innerText(), WAIT).toContain('MONITOR_EXPRESSION_INVALID');
    const complaint = await field.locator('.ant-form-item-explain').innerText();
    expect(complaint).toMatch(/[\u4e00-\u9fa5]/);
    expect(await page.getByTestId('command-error').innerText()).toContain('监控规则条件表达式有误');
    console.log(`condition refusal shown: ${complaint}`);

    // Fixed: saved as version 1, and the editor now edits that rule.
    await condition(page).fill('payment.amount >= params.threshold');
    await save(page).click();
    await page.waitForURL(new RegExp(`/monitor/rules/${CODE}$`));
    await expect.poll(() => page.getByTestId('base-version').textContent(), WAIT).toBe('当前版本 v1');

    // The list shows it at version 1.
    await openMenu(page, '动态监控', '监控规则');
    const row = page.getByTestId('rules-table').locator('tr.ant-table-row').filter({ hasText: CODE });
    await expect.poll(() => row.textContent(), WAIT).toContain('单笔大额支付');
    expect(await page.getByTestId(`version-${CODE}`).textContent()).toBe('v1');
    expect(await row.textContent()).toContain('黄色预警');

    // Edit: version 2, and both in the history.
    await row.getByRole('link', { name: CODE }).click();
    await page.waitForURL(new RegExp(`/monitor/rules/${CODE}$`));
    await expect
      .poll(() => page.getByRole('textbox', { name: '规则名称' }).inputValue(), WAIT)
      .toBe('单笔大额支付');
    await page.getByRole('textbox', { name: '规则名称' }).fill('单笔大额支付（调整）');
    await save(page).click();
    await expect.poll(() => page.getByTestId('base-version').textContent(), WAIT).toBe('当前版本 v2');
    const history = page.getByTestId('rule-history');
    await expect
      .poll(() => history.getByTestId('history-version').allTextContents(), WAIT)
      .toEqual(['v2', 'v1']);
    expect(await history.innerText()).toContain('单笔大额支付（调整）');

    // 回测: the two payments of March are scanned, the large one hits.
    const panel = page.getByTestId('try-panel');
    await panel.getByRole('button', { name: /回\s*测/ }).click();
    await page.getByTestId('backtest-result').waitFor({ timeout: 20_000 });
    const scanned = Number(await page.getByTestId('bt-scanned').textContent());
    const hits = Number(await page.getByTestId('bt-hits').textContent());
    expect(scanned).toBeGreaterThanOrEqual(2);
    expect(hits).toBeGreaterThanOrEqual(1);
    expect(hits).toBeLessThan(scanned);
    expect(await page.getByTestId('bt-by-month').innerText()).toContain('2026-03');
    expect(await page.getByTestId('bt-by-agency').innerText()).toContain('205002');
    expect(await page.getByTestId('bt-samples').innerText()).toContain('60,000.00');
    console.log(`backtest: scanned ${scanned}, hits ${hits}`);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'monitor-backtest.png'), fullPage: true });

    // 试运行 on the two payments: the large one 命中, the small one 未命中.
    await panel.getByRole('tab', { name: '试运行' }).click();
    const pickIds = panel.getByRole('combobox', { name: '试运行支付申请' });
    for (const id of ids) {
      await pickIds.fill(id);
      await pickIds.press('Enter');
    }
    await panel.getByRole('button', { name: /试运行/ }).click();
    const runs = page.getByTestId('test-result');
    await runs.waitFor();
    const rowOf = (id: string) => runs.locator('tr.ant-table-row').filter({ hasText: id });
    await expect.poll(() => rowOf(ids[0]!).textContent(), WAIT).toContain('命中');
    expect(await rowOf(ids[0]!).textContent()).toContain('超过大额标准');
    expect(await rowOf(ids[1]!).textContent()).toContain('未命中');

    await page.screenshot({ path: join(ARTIFACTS, 'monitor-rules.png'), fullPage: true });
  });

  it('tracks a direct-reach fund down to each paid payment and its beneficiaries, ids masked', async () => {
    // A direct-reach indicator of 205002 approved by the city, and a payment from it to two
    // beneficiaries, signed and paid through the bank simulator.
    const { docId } = (await command(
      'indicatorDoc.draft',
      {
        docNo: '丽财〔2026〕E2E-DR1',
        title: '学生资助直达资金',
        body: {
          docType: 'approve',
          lines: [
            {
              indicatorId: 'E2E-DR',
              elements: { ...elements, flags: { directReach: true } },
              amount: '80000.00',
              pool: 'executable',
            },
          ],
        },
      },
      'budget',
    )) as { docId: string };
    await command('indicatorDoc.submit', { docId }, 'budget');
    await command('indicatorDoc.approve', { docId }, 'chief');
    const { applicationId } = (await command(
      'payment.draft',
      {
        agencyCode: '205002',
        payType: 'direct',
        indicatorId: 'E2E-DR',
        amount: '3000.00',
        purpose: '学生资助',
        settlementMode: '001001',
        payee: { payeeCode: 'S0001' },
        beneficiaries: [
          {
            kind: 'person',
            name: '张三',
            idNo: P1,
            amount: '1000.00',
            payMonth: '2026-03',
            townCode: '530702001',
          },
          { kind: 'enterprise', name: '丽江某农业合作社', idNo: E1, amount: '2000.00' },
        ],
      },
      'clerk',
    )) as { applicationId: string };
    const app = { agencyCode: '205002', applicationId };
    await command('payment.submit', app, 'clerk');
    await command('payment.unitApprove', app, 'unithead');
    await command('payment.review', { ...app, decision: 'approve' }, 'reviewer');
    await financeSigner('530700000');
    await command('payment.signVoucher', app, 'signer');
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
      await sendDueVouchers(h.server().db, { bankUrl: sim.url });
      await expect
        .poll(
          async () =>
            (
              await h
                .server()
                .db.selectFrom('payments.application')
                .select('state')
                .where('application_id', '=', applicationId)
                .executeTakeFirst()
            )?.state,
          { timeout: 30_000, interval: 500 },
        )
        .toBe('paid');
    } finally {
      await sim.stop();
    }

    const page = await signIn('monitor', 'Fiscus-Mon-2026');
    await openMenu(page, '动态监控', '直达资金跟踪');
    const table = page.getByTestId('direct-reach-table');
    const row = table.locator('tr.ant-table-row').filter({ hasText: '丽财〔2026〕E2E-DR1' });
    await expect.poll(() => row.textContent(), WAIT).toContain('80,000.00');
    expect(await row.textContent()).toContain('3,000.00');
    await expect.poll(() => page.getByTestId('total-beneficiaries').textContent(), WAIT).not.toBe('0');

    // Drill down: the paid payment, then its beneficiary records with the ids masked.
    await row.locator('.ant-table-row-expand-icon').click();
    const payments = page.getByTestId('fund-payments-E2E-DR');
    const payment = payments.locator('tr.ant-table-row').filter({ hasText: applicationId });
    await expect.poll(() => payment.textContent(), WAIT).toContain('3,000.00');
    await payment.locator('.ant-table-row-expand-icon').click();
    const people = page.getByTestId('beneficiaries');
    await expect.poll(() => people.innerText(), WAIT).toContain('张三');
    const masked = await people.getByTestId('masked-id').allTextContents();
    expect(masked).toContain(`${P1.slice(0, 4)}**********${P1.slice(-4)}`);
    expect(await people.innerText()).not.toContain(P1);
    expect(await people.innerText()).toContain('企业');
    await page.screenshot({ path: join(ARTIFACTS, 'monitor-direct-reach.png'), fullPage: true });
  });
});
