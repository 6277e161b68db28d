import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer } from '../support/server';
import { ListPage } from './pages/list-page';
import { LoginPage } from './pages/login-page';
import { ensureWebBuild } from './web-build';

const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts', 'e2e');

describe('base data in the browser', () => {
  let server: { url: string; close(): Promise<void> };
  let browser: Browser;
  let context: BrowserContext;
  let consoleLog: string[] = [];

  beforeAll(async () => {
    ensureWebBuild();
    server = await startTestServer();
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    consoleLog = [];
    context.on('page', (p) => {
      p.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') consoleLog.push(`${m.type()}: ${m.text()}`);
      });
      p.on('pageerror', (e) => consoleLog.push(`pageerror: ${e.message}`));
    });
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') {
      // Leave evidence: what the browser showed and said.
      mkdirSync(ARTIFACTS, { recursive: true });
      const name = ctx.task.name.replace(/[^\w\u4e00-\u9fa5]+/g, '-').slice(0, 60);
      for (const [i, p] of context.pages().entries()) {
        await p
          .screenshot({ path: join(ARTIFACTS, `failed-${name}-${i}.png`), fullPage: true })
          .catch(() => {});
      }
      if (consoleLog.length > 0) console.error(`browser console:\n${consoleLog.join('\n')}`);
    }
    await context?.close();
  });

  it('signs in, lists 预算单位, searches, and shows a detail', async () => {
    const page = await context.newPage();
    await page.goto(server.url);

    const login = new LoginPage(page);
    await login.waitUntilShown();
    await login.login('budget', 'Fiscus-Bgt-2026');

    const list = new ListPage(page);
    await list.menuItem('基础信息').waitFor();
    await list.openFromMenu('基础信息', '预算单位');
    await list.row('丽江市教育局').waitFor();
    const all = await list.rowTexts();
    expect(all.some((t) => t.includes('丽江市卫生健康委员会'))).toBe(true);

    await list.search('教育');
    const filtered = await list.waitForRows(
      (texts) => texts.length < all.length && texts.every((t) => t.includes('教育')),
      'rows filtered by 教育',
    );
    expect(filtered.some((t) => t.includes('丽江市教育局'))).toBe(true);

    const drawer = await list.openDetail('丽江市教育局');
    expect(await drawer.textContent()).toContain('预算单位详情');

    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = join(ARTIFACTS, 'agencies.png');
    await page.waitForTimeout(400); // let the drawer's slide-in animation finish
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10 * 1024);
  });

  it('shows the server message for a wrong password', async () => {
    const page = await context.newPage();
    const login = new LoginPage(page);
    await login.goto(server.url);
    await login.login('budget', 'not-the-password-1');
    expect(await login.errorMessage()).toContain('用户名或密码错误');
    expect(page.url()).toMatch(/\/login(\?|$)/);
  });
});
