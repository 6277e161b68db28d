import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, openMenu, pick, useBrowserHarness } from './pages/harness';
import { waitUntil } from './pages/wait';

// 指标管理 in the browser: a budget officer prepares, the chief approves in the inbox, the ledger
// list shows the result; and a refusal of the server reaches the user in its Chinese words.

const h = useBrowserHarness();
const { signIn } = h;
const open = (page: Page, item: string) => openMenu(page, '指标管理', item);

async function fillHeader(page: Page, docNo: string, title: string) {
  await page.getByLabel('文号', { exact: true }).fill(docNo);
  await page.getByLabel('标题', { exact: true }).fill(title);
}

/** 保存草稿: resolves with the document id the server gave. */
async function saveDraft(page: Page): Promise<string> {
  await page.getByRole('button', { name: /保存草稿/ }).click();
  const id = page.getByTestId('doc-id');
  await id.waitFor();
  return ((await id.textContent()) ?? '').trim();
}

/** 送审 from the entry form; resolves on the document's page showing 审核中. */
async function submitDoc(page: Page, docId: string) {
  await page.getByRole('button', { name: /送\s*审/ }).click();
  await page.waitForURL(new RegExp(`/indicator-docs/${docId}$`));
  await expect.poll(() => page.getByTestId('doc-state').textContent()).toBe('审核中');
}

/** The chief approves a document from the inbox. */
async function approveInInbox(page: Page, docId: string) {
  await open(page, '审批待办');
  await page.getByRole('button', { name: /刷\s*新/ }).click();
  const row = page.getByTestId('inbox-table').locator('tr.ant-table-row').filter({ hasText: docId });
  await row.getByRole('button', { name: /审核通过/ }).click();
  await page.getByText(`已审核通过 ${docId}`).waitFor();
  await row.waitFor({ state: 'detached' });
}

describe('指标管理 in the browser', () => {
  it('批复 into 待分, 分配 to a school, approved by the chief in the inbox, shown in the 指标台账', async () => {
    const budget = await signIn('budget', 'Fiscus-Bgt-2026');
    const chief = await signIn('chief', 'Fiscus-Chf-2026');

    // 批复: one 待分 line of 1 000 000 yuan.
    await open(budget, '指标单录入');
    await fillHeader(budget, '丽财预〔2026〕101号', '2026年教育专项资金批复');
    const line = budget.getByTestId('line-0');
    await line.getByLabel('指标编号', { exact: true }).fill('E2E-POOL');
    await line.getByLabel('金额（元）', { exact: true }).fill('1,000,000');
    await pick(budget, line, '资金性质', '111', '111 一般公共预算资金');
    await pick(budget, line, '支出功能分类', '2050203', '2050203');
    await pick(budget, line, '指标类型', '32', '32');
    const approveDoc = await saveDraft(budget);
    expect(approveDoc).toMatch(/^ZB2026\d+$/);
    await submitDoc(budget, approveDoc);

    await approveInInbox(chief, approveDoc);

    // 分配 from the pool: the line inherits the pool's classifications, adds the school.
    await open(budget, '指标单录入');
    await budget.getByTestId('doc-type').getByText('分配', { exact: true }).click();
    await fillHeader(budget, '丽财预〔2026〕102号', '分配丽江市第一中学教育专项');
    await pick(budget, budget.locator('form'), '来源指标', 'E2E-POOL', 'E2E-POOL');
    const alloc = budget.getByTestId('line-0');
    await expect
      .poll(() => alloc.locator('.ant-form-item').filter({ hasText: '资金性质' }).textContent())
      .toContain('111');
    await alloc.getByLabel('指标编号', { exact: true }).fill('E2E-SCH');
    await alloc.getByLabel('金额（元）', { exact: true }).fill('300000');
    await pick(budget, alloc, '预算单位', '205002', '丽江市第一中学');
    await expect.poll(() => alloc.getByLabel('部门', { exact: true }).inputValue()).toBe('205');
    await pick(budget, alloc, '政府经济分类', '50201', '50201');
    await pick(budget, alloc, '部门经济分类', '30211', '30211');
    const allocDoc = await saveDraft(budget);
    await submitDoc(budget, allocDoc);

    // The preparer's inbox never offers their own document.
    await open(budget, '审批待办');
    await expect.poll(() => budget.getByTestId('inbox-table').textContent()).toContain('暂无待审批的指标单');

    await approveInInbox(chief, allocDoc);

    // 指标台账: the new executable indicator with its available amount; the pool keeps the rest.
    await open(budget, '指标台账');
    const table = budget.getByTestId('indicator-table');
    const sch = table.locator('tr.ant-table-row').filter({ hasText: 'E2E-SCH' });
    await sch.waitFor();
    const schText = await sch.innerText();
    expect(schText).toContain('可执行');
    expect(schText).toContain('丽江市第一中学');
    expect(schText).toContain('300,000.00');
    const pool = table.locator('tr.ant-table-row').filter({ hasText: 'E2E-POOL' });
    expect(await pool.innerText()).toContain('700,000.00');
    expect(await budget.getByTestId('indicator-totals').innerText()).toContain('1,000,000.00');

    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = join(ARTIFACTS, 'indicators.png');
    await budget.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10 * 1024);

    // Its detail: the lineage goes up to the pool and the creating 分配 document.
    await sch.getByRole('link', { name: 'E2E-SCH' }).click();
    await budget.getByRole('tab', { name: '来源追溯' }).click();
    const up = budget.getByTestId('lineage-up');
    await expect.poll(() => up.textContent()).toContain('E2E-POOL');
    expect(await up.textContent()).toContain('丽财预〔2026〕102号');
    expect(await budget.getByTestId('indicator-amounts').innerText()).toContain('300,000.00');
  });

  it('shows the server refusal when a 分配 takes more than the pool has available', async () => {
    // A pool of 50 000 yuan, approved through the pipeline (the browser part is the refusal).
    const doc = h.command;
    const { docId } = (await doc(
      'indicatorDoc.draft',
      {
        docNo: '丽财预〔2026〕201号',
        title: '小额待分',
        body: {
          docType: 'approve',
          lines: [
            {
              indicatorId: 'E2E-SMALL',
              elements: { fundTypeCode: '111' },
              amount: '50000.00',
              pool: 'unallocated',
            },
          ],
        },
      },
      'budget',
    )) as { docId: string };
    await doc('indicatorDoc.submit', { docId }, 'budget');
    await doc('indicatorDoc.approve', { docId }, 'chief');

    const budget = await signIn('budget', 'Fiscus-Bgt-2026');
    await open(budget, '指标单录入');
    await budget.getByTestId('doc-type').getByText('分配', { exact: true }).click();
    await fillHeader(budget, '丽财预〔2026〕202号', '超额分配');
    await pick(budget, budget.locator('form'), '来源指标', 'E2E-SMALL', 'E2E-SMALL');
    const line = budget.getByTestId('line-0');
    await line.getByLabel('金额（元）', { exact: true }).fill('80000');
    await pick(budget, line, '预算单位', '205003', '丽江市实验幼儿园');
    await budget.getByRole('button', { name: /保存草稿/ }).click();
    const error = budget.getByTestId('command-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('指标 E2E-SMALL 可用 50000.00 元，不足 80000.00 元');
    // Nothing was saved: no document number, 送审 stays off.
    expect(await budget.getByTestId('doc-id').count()).toBe(0);
    expect(await budget.getByRole('button', { name: /送\s*审/ }).isDisabled()).toBe(true);
    mkdirSync(ARTIFACTS, { recursive: true });
    await budget.screenshot({ path: join(ARTIFACTS, 'indicators-refusal.png') });
  });

  it('previews the year-end and will not start it while next year is closed', async () => {
    const chief = await signIn('chief', 'Fiscus-Chf-2026');
    await open(chief, '年终结转');
    await chief.getByTestId('next-year-closed').waitFor();
    expect(await chief.getByTestId('yearend-start').isDisabled()).toBe(true);
    // The executable indicators the earlier tests approved are what a run would carry or lapse.
    await waitUntil(
      () => chief.getByTestId('preview-carry').textContent(),
      (t) => t !== null && /\d/.test(t),
      'the preview totals',
    );
    mkdirSync(ARTIFACTS, { recursive: true });
    await chief.screenshot({ path: join(ARTIFACTS, 'yearend.png') });
  });
});
