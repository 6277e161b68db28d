import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, openMenu, pick, useBrowserHarness } from './pages/harness';

// 动态监控 in the browser: a payment over a rule's limit is held at submission; the payment
// center's reviewer sees it held with its warning and releases it (放行). The 监控岗 works a warning
// through 疑似违规 and 问询单, the unit answers with a feedback and an attachment (SHA-256 computed
// in the browser), the 监控岗 closes it as 核实无误, and the 监控看板 draws its charts.

const h = useBrowserHarness();
const { signIn, command } = h;
const RULE = 'E2E_LARGE_HOLD';
const RULE_NAME = '大额支付拦截（测试）';
const agency = '205002';

/** The clerk drafts and submits a payment over the limit; monitoring holds it. */
async function heldPayment(amount: string, purpose: string) {
  const { applicationId } = (await command(
    'payment.draft',
    {
      agencyCode: agency,
      payType: 'direct',
      indicatorId: 'E2E-MON',
      amount,
      purpose,
      settlementMode: '001001',
      payee: { payeeCode: 'S0001' },
    },
    'clerk',
  )) as { applicationId: string };
  const r = (await command('payment.submit', { applicationId, agencyCode: agency }, 'clerk')) as {
    state: string;
    monitor: { decision: string; warnings: { warningId: string; ruleCode: string }[] };
  };
  expect(r.state).toBe('held');
  expect(r.monitor.decision).toBe('hold');
  const warningId = r.monitor.warnings.find((w) => w.ruleCode === RULE)?.warningId;
  expect(warningId).toMatch(/^YJ/);
  return { applicationId, warningId: warningId as string };
}

const stateOf = async (id: string) =>
  (
    await h
      .server()
      .db.selectFrom('payments.application')
      .select('state')
      .where('application_id', '=', id)
      .executeTakeFirstOrThrow()
  ).state;

/** A 预警（需说明） rule at submission, for payments whose purpose names 专家咨询. */
const explainRule = {
  rule: {
    code: 'E2E_EXPLAIN',
    name: '专家咨询费须说明（测试）',
    theme: 'test',
    basis: '浏览器测试',
    trigger: 'submit',
    scope: { regions: [''], level: 'finance' },
    condition: "payment.purpose contains '专家咨询'",
    params: {},
    warningLevel: 'yellow',
    action: 'warnExplain',
    prompt: { 'zh-CN': '专家咨询费 {amount} 元须说明', en: 'Consulting fee of {amount} yuan needs a word' },
    effectiveFrom: '2026-01-01',
    enabled: true,
  },
};

/** The open dialog (antd Modal), by its title. */
const dialog = (page: Page, title: string) =>
  page.locator('.ant-modal-content').filter({ has: page.locator('.ant-modal-title', { hasText: title }) });

/** Take one disposition step on the warning detail page: button, dialog, then the new status. */
async function step(
  page: Page,
  action: string,
  fill: (d: ReturnType<typeof dialog>) => Promise<void>,
  status: string,
) {
  await page.getByTestId('warning-actions').getByRole('button', { name: action, exact: true }).click();
  const d = dialog(page, action);
  await d.waitFor();
  await fill(d);
  await d.getByRole('button', { name: action, exact: true }).click();
  await d.waitFor({ state: 'hidden' });
  await expect.poll(() => page.getByTestId('warning-status').textContent()).toBe(status);
}

/** A date `days` from today in the browser's terms (the commands' business date is today). */
const inDays = (days: number) => {
  const d = new Date(Date.now() + days * 86_400_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
};

beforeAll(async () => {
  // An executable indicator of 丽江市第一中学 (205002), approved by the chief.
  const elements = {
    fundTypeCode: '111',
    agencyCode: agency,
    deptCode: '205',
    expFuncCode: '2050203',
    depEcoCode: '30201',
    govEcoCode: '50201',
    payTypeCode: '11',
  };
  const { docId } = (await command(
    'indicatorDoc.draft',
    {
      docNo: '丽财〔2026〕E2E-M1',
      title: '学校公用经费（监控）',
      body: {
        docType: 'approve',
        lines: [{ indicatorId: 'E2E-MON', elements, amount: '100000.00', pool: 'executable' }],
      },
    },
    'budget',
  )) as { docId: string };
  await command('indicatorDoc.submit', { docId }, 'budget');
  await command('indicatorDoc.approve', { docId }, 'chief');
  // A 拦截 rule at submission: payments over 1 000 yuan wait for a reviewer.
  await command(
    'monitorRule.save',
    {
      rule: {
        code: RULE,
        name: RULE_NAME,
        theme: 'test',
        basis: '浏览器测试',
        trigger: 'submit',
        scope: { regions: [''], level: 'finance' },
        condition: 'payment.amount > params.limit',
        params: { limit: { yuan: '1000.00' } },
        warningLevel: 'red',
        action: 'hold',
        prompt: { 'zh-CN': '支付 {amount} 元超过拦截限额', en: 'Paying {amount} yuan is over the limit' },
        effectiveFrom: '2026-01-01',
        enabled: true,
      },
    },
    'monitor',
  );
});

describe('动态监控 in the browser', () => {
  it('the reviewer sees a held payment with its warning and releases it: 已送审', async () => {
    const { applicationId, warningId } = await heldPayment('2500.00', '实验设备');
    expect(await stateOf(applicationId)).toBe('held');

    const reviewer = await signIn('reviewer', 'Fiscus-Rev-2026');
    await reviewer.goto(`${h.server().url}/payments/${applicationId}`);
    await expect.poll(() => reviewer.getByTestId('payment-state').textContent()).toBe('监控拦截');
    await reviewer.getByTestId('held-notice').waitFor();
    const warnings = reviewer.getByTestId('payment-warnings');
    const row = warnings.locator('tr.ant-table-row').filter({ hasText: warningId });
    await row.waitFor();
    const text = await row.innerText();
    for (const w of [RULE_NAME, '红色预警', '拦截', '待认定', '支付 2500.00 元超过拦截限额'])
      expect(text).toContain(w);
    expect(await row.locator('[data-level]').getAttribute('data-level')).toBe('red');

    // 放行 asks for an opinion first.
    await reviewer.getByRole('button', { name: '放行', exact: true }).click();
    const d = dialog(reviewer, '放行');
    await d.waitFor();
    const ok = d.getByRole('button', { name: '放行', exact: true });
    expect(await ok.isDisabled()).toBe(true);
    await d.getByLabel('处理意见').fill('采购合同齐全，同意放行');
    await ok.click();
    await d.waitFor({ state: 'hidden' });
    await expect.poll(() => reviewer.getByTestId('payment-state').textContent()).toBe('已送审');
    await expect.poll(() => reviewer.getByTestId('payment-trail').innerText()).toContain('监控放行');
    expect(await reviewer.getByRole('button', { name: '放行', exact: true }).count()).toBe(0);

    // The database agrees; the warning is still listed, its trail holds the release.
    expect(await stateOf(applicationId)).toBe('submitted');
    const rows = await h
      .server()
      .db.selectFrom('monitor.warning')
      .select(['warning_id', 'status'])
      .where('application_id', '=', applicationId)
      .execute();
    expect(rows).toEqual([{ warning_id: warningId, status: 'pending' }]);
    const events = await h
      .server()
      .db.selectFrom('monitor.warning_event')
      .select(['action', 'actor', 'opinion'])
      .where('warning_id', '=', warningId)
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.action)).toEqual(['raise', 'holdRelease']);
    expect(events[1]).toMatchObject({ actor: 'reviewer', opinion: '采购合同齐全，同意放行' });
    await expect.poll(() => row.innerText()).toContain(warningId);

    mkdirSync(ARTIFACTS, { recursive: true });
    await reviewer.screenshot({ path: join(ARTIFACTS, 'monitor-hold-released.png'), fullPage: true });
  });

  it('asks the clerk for a 情况说明 when a rule needs one, and sends the submission again with it', async () => {
    await command('monitorRule.save', explainRule, 'monitor');
    const clerk = await signIn('clerk', 'Fiscus-Clk-2026');
    await openMenu(clerk, '支付管理', '支付申请');
    await pick(clerk, clerk, '可执行指标', 'E2E-MON', 'E2E-MON');
    await clerk.getByLabel('金额（元）', { exact: true }).fill('800.00');
    await pick(clerk, clerk, '收款人', 'S0001', 'S0001');
    await clerk.getByLabel('用途', { exact: true }).fill('专家咨询费');
    await clerk.getByRole('button', { name: /送\s*审/ }).click();

    // The server's words, and a 情况说明 box; cancelling would leave the refusal on the form.
    const d = dialog(clerk, '须填写情况说明');
    await d.waitFor();
    const asked = await d.getByTestId('monitor-explanation-required').innerText();
    expect(asked).toContain('动态监控预警须填写说明后才能继续');
    expect(asked).toContain('E2E_EXPLAIN');
    const ok = d.getByRole('button', { name: '提交说明并继续' });
    expect(await ok.isDisabled()).toBe(true);
    await d.getByLabel('情况说明').fill('评审专家三人，依据评审会议纪要');
    await ok.click();

    await clerk.waitForURL(/\/payments\/[^/]+$/);
    await expect.poll(() => clerk.getByTestId('payment-state').textContent()).toBe('已送审');
    const row = clerk
      .getByTestId('payment-warnings')
      .locator('tr.ant-table-row')
      .filter({ hasText: 'E2E_EXPLAIN' });
    await row.waitFor();
    const text = await row.innerText();
    for (const w of ['黄色预警', '预警（需说明）', '评审专家三人，依据评审会议纪要'])
      expect(text).toContain(w);
    const id = ((await clerk.getByTestId('application-id').textContent()) ?? '').trim();
    const stored = await h
      .server()
      .db.selectFrom('monitor.warning')
      .select(['rule_code', 'explanation'])
      .where('application_id', '=', id)
      .execute();
    expect(stored).toEqual([{ rule_code: 'E2E_EXPLAIN', explanation: '评审专家三人，依据评审会议纪要' }]);
  });

  it('the 监控岗 inquires, the unit answers with an attachment, the 监控岗 verifies; the dashboard draws', async () => {
    const { warningId } = await heldPayment('3200.00', '图书采购');

    // 监控岗: 预警处理 → the warning → 认定疑似违规 → 下发问询单 with a deadline.
    const monitor = await signIn('monitor', 'Fiscus-Mon-2026');
    await openMenu(monitor, '动态监控', '预警处理');
    const row = monitor
      .getByTestId('warnings-table')
      .locator('tr.ant-table-row')
      .filter({ hasText: warningId });
    await row.waitFor();
    expect(await row.innerText()).toContain('待认定');
    expect(await row.locator('[data-level]').getAttribute('data-level')).toBe('red');
    // The region-wide jobs: 督办 (nothing is late yet) and the scheduled rules (none installed).
    for (const [button, ok, said] of [
      ['督办（逾期升级）', '督办', '督办完成：升级 0 条'],
      ['运行定时规则', '运行', '定时规则 0 条'],
    ] as const) {
      await monitor.getByRole('button', { name: button }).click();
      await monitor.locator('.ant-popconfirm').getByRole('button', { name: ok, exact: true }).click();
      await monitor.locator('.ant-message-notice', { hasText: said }).waitFor();
    }
    await row.getByRole('link', { name: warningId }).click();
    await expect.poll(() => monitor.getByTestId('warning-id').textContent()).toBe(warningId);
    await expect.poll(() => monitor.getByTestId('warning-status').textContent()).toBe('待认定');

    await step(
      monitor,
      '认定疑似违规',
      (d) => d.getByLabel('疑似违规说明').fill('单笔金额较大，需核实采购依据'),
      '疑似违规',
    );
    const deadline = inDays(20);
    await step(
      monitor,
      '下发问询单',
      async (d) => {
        const ok = d.getByRole('button', { name: '下发问询单', exact: true });
        expect(await ok.isDisabled()).toBe(true);
        const input = d.locator('.ant-picker input');
        await input.click();
        await input.fill(deadline);
        await input.press('Enter');
        await expect.poll(() => input.inputValue()).toBe(deadline);
        await d.getByLabel('处理意见').fill('请于期限内说明采购依据');
      },
      '已下发问询',
    );
    expect(await monitor.getByText(`WX${warningId.slice(2)}`).count()).toBe(1);

    // The unit: it sees its own warning, answers with a feedback and one attachment.
    const clerk = await signIn('clerk', 'Fiscus-Clk-2026');
    await openMenu(clerk, '动态监控', '预警处理');
    const own = clerk
      .getByTestId('warnings-table')
      .locator('tr.ant-table-row')
      .filter({ hasText: warningId });
    await own.waitFor();
    expect(await own.innerText()).toContain('已下发问询');
    expect(await own.innerText()).toContain(deadline);
    await own.getByRole('link', { name: warningId }).click();
    await expect.poll(() => clerk.getByTestId('warning-status').textContent()).toBe('已下发问询');
    // The clerk has no monitoring steps, only the unit's.
    expect(await clerk.getByRole('button', { name: '核实无误' }).count()).toBe(0);

    const file = Buffer.from('图书采购合同 编号 HT-2026-088\n', 'utf8');
    const sha256 = createHash('sha256').update(file).digest('hex');
    await step(
      clerk,
      '单位反馈',
      async (d) => {
        await d.getByLabel('反馈说明').fill('已按政府采购程序采购，附合同');
        await d
          .locator('input[type=file]')
          .setInputFiles({ name: '采购合同.txt', mimeType: 'text/plain', buffer: file });
        await expect.poll(() => d.getByTestId('attachment-list').innerText()).toContain(sha256);
      },
      '单位已反馈',
    );
    await expect.poll(() => clerk.getByTestId('warning-trail').innerText()).toContain('采购合同.txt');
    const fed = await h
      .server()
      .db.selectFrom('monitor.warning_event')
      .select(['actor', 'attachments'])
      .where('warning_id', '=', warningId)
      .where('action', '=', 'feedback')
      .executeTakeFirstOrThrow();
    expect(fed.actor).toBe('clerk');
    expect(fed.attachments).toEqual([{ name: '采购合同.txt', sha256 }]);

    // 监控岗 closes it: 核实无误.
    await monitor.reload();
    await expect.poll(() => monitor.getByTestId('warning-status').textContent()).toBe('单位已反馈');
    await step(monitor, '核实无误', (d) => d.getByLabel('处理意见').fill('依据充分'), '核实无误');
    const trail = await monitor.getByTestId('warning-trail').innerText();
    for (const w of ['触发预警', '认定疑似违规', '下发问询单', '单位反馈', '核实无误', 'monitor', 'clerk'])
      expect(trail).toContain(w);
    expect(await monitor.getByTestId('warning-actions').count()).toBe(0);
    await monitor.screenshot({ path: join(ARTIFACTS, 'monitor-warning.png'), fullPage: true });

    // 监控看板: the charts are drawn and the evaluation counts the closed warning.
    await openMenu(monitor, '动态监控', '监控看板');
    for (const chart of ['chart-level', 'chart-month', 'chart-rule', 'chart-agency'])
      await monitor.getByTestId(chart).locator('canvas').first().waitFor();
    const evaluation = monitor.getByTestId('evaluation-rule').locator('tr.ant-table-row').filter({
      hasText: RULE_NAME,
    });
    await evaluation.waitFor();
    // 监控规则, 预警数, 未办结, 已办结 — as the database counts them (the first test adds one open).
    const ofRule = await h
      .server()
      .db.selectFrom('monitor.warning')
      .select('status')
      .where('rule_code', '=', RULE)
      .execute();
    const closed = ofRule.filter((w) => w.status.startsWith('closed')).length;
    expect(closed).toBeGreaterThanOrEqual(1);
    const cells = await evaluation.locator('td').allInnerTexts();
    expect(cells.slice(1, 4)).toEqual([ofRule.length, ofRule.length - closed, closed].map(String));
    await monitor.screenshot({ path: join(ARTIFACTS, 'monitor-dashboard.png'), fullPage: true });
  });
});
