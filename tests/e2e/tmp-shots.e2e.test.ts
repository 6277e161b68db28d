import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { expect, it } from 'vitest';
import { startTestServer } from '../support/server';
import { ListPage } from './pages/list-page';
import { LoginPage } from './pages/login-page';

const OUT = '/tmp/shots';
it('shots', async () => {
  mkdirSync(OUT, { recursive: true });
  const server = await startTestServer();
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  const log: string[] = [];
  try {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    const page = await ctx.newPage();
    page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
    page.on('response', (r) => {
      if (r.status() >= 400) log.push(`HTTP ${r.status()} ${r.url()}`);
    });
    await page.goto(`${server.url}/basedata/code-items`);
    const login = new LoginPage(page);
    await login.waitUntilShown();
    await page.screenshot({ path: join(OUT, 'login.png') });
    await login.login('budget', 'Fiscus-Bgt-2026');
    await page.waitForURL(/code-items/);
    const list = new ListPage(page);
    await list.rows().first().waitFor();
    await page.screenshot({ path: join(OUT, 'code-items.png'), fullPage: true });
    await list.openDetail((await list.rows().first().locator('td').nth(1).textContent()) ?? '');
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(OUT, 'code-item-detail.png') });
    await page.keyboard.press('Escape');
    await list.openFromMenu('基础信息', '银行账户');
    await list.rows().first().waitFor();
    await page.screenshot({ path: join(OUT, 'bank-accounts.png'), fullPage: true });
    // export + template
    const [dl] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '导出Excel' }).click(),
    ]);
    log.push(`download: ${dl.suggestedFilename()}`);
    const [dl2] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '下载模板' }).click(),
    ]);
    log.push(`template: ${dl2.suggestedFilename()}`);
    const tpl = await dl2.path();
    // import: payees with a csv with errors, then a good one
    await list.openFromMenu('基础信息', '收款人');
    await list.rows().first().waitFor();
    await page.getByRole('button', { name: '导入' }).click();
    const bad = join(OUT, '收款人-bad.csv');
    writeFileSync(
      bad,
      '收款人代码,收款人名称,类型,账号,户名,开户银行,开户行行号,启用\nS9001,,organization,123,x,y,,true\nS9002,测试公司,nope,6222,测试公司,工行,,true\n',
    );
    await page.locator('input[type=file]').setInputFiles(bad);
    await page.getByTestId('import-verdict').waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(OUT, 'import-bad.png') });
    await page.getByRole('button', { name: '重新选择' }).click();
    const good = join(OUT, '收款人-good.csv');
    writeFileSync(
      good,
      '收款人代码,收款人名称,类型,账号,户名,开户银行,开户行行号,启用\nS9101,丽江测试商贸有限公司,organization,2510800109200099001,丽江测试商贸有限公司,中国工商银行丽江分行,102751000015,true\n',
    );
    await page.locator('input[type=file]').setInputFiles(good);
    await page.getByTestId('import-verdict').waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(OUT, 'import-good.png') });
    const confirm = page.getByRole('button', { name: '确认导入' });
    if (await confirm.isEnabled()) {
      await confirm.click();
      await page.getByText('导入完成').waitFor();
      await page.screenshot({ path: join(OUT, 'import-done.png') });
    }
    await page
      .getByRole('button', { name: /关闭|取消/ })
      .first()
      .click();
    log.push(`tpl path ${tpl}`);
    // home
    await page.goto(server.url);
    await page.getByText('欢迎').waitFor();
    await page.getByRole('button', { name: /退出登录/ }).click();
    await login.waitUntilShown();
    await login.login('auditadmin', 'Fiscus-Aud-2026');
    await page.getByText('欢迎').waitFor();
    await page.screenshot({ path: join(OUT, 'home-audit.png') });
    await page.getByRole('menuitem', { name: /审计日志/ }).click();
    await page.locator('tbody tr.ant-table-row').first().waitFor();
    await page.screenshot({ path: join(OUT, 'audit.png'), fullPage: true });
    await page.getByRole('button', { name: '校验审计链' }).click();
    await page.getByTestId('verify-verdict').waitFor();
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(OUT, 'verify.png') });
  } finally {
    writeFileSync(join(OUT, 'log.txt'), log.join('\n'));
    await browser.close();
    await server.close();
  }
  expect(true).toBe(true);
});
