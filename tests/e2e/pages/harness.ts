import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { executeCommands } from '../../../packages/core/src/index';
import { startTestServer } from '../../support/server';
import { ensureWebBuild } from '../web-build';
import { LoginPage } from './login-page';
import { waitUntil } from './wait';

export const ARTIFACTS = join(import.meta.dirname, '..', '..', '..', 'test-artifacts', 'e2e');

type Server = Awaited<ReturnType<typeof startTestServer>>;

export interface BrowserHarness {
  /** The server of this test file (a fresh database with the demo). */
  server(): Server;
  /** A signed-in page of its own (its own cookies), so two people can work side by side. */
  signIn(user: string, password: string): Promise<Page>;
  /** Run a command as someone, outside the browser (setup); the result of an accepted one. */
  command(type: string, payload: unknown, actor: string): Promise<Record<string, unknown>>;
}

/**
 * The browser tests' shared setup: a server, a Chromium, one context per signed-in user, and on
 * failure a screenshot of every open page plus the browser console. Registers the file's hooks.
 */
export function useBrowserHarness(): BrowserHarness {
  let server: Server | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const consoleLog: string[] = [];

  beforeAll(async () => {
    ensureWebBuild();
    server = await startTestServer();
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') {
      mkdirSync(ARTIFACTS, { recursive: true });
      const name = ctx.task.name.replace(/[^\w\u4e00-\u9fa5]+/g, '-').slice(0, 60);
      for (const [i, c] of contexts.entries())
        for (const [j, p] of c.pages().entries())
          await p
            .screenshot({ path: join(ARTIFACTS, `failed-${name}-${i}-${j}.png`), fullPage: true })
            .catch(() => {});
      if (consoleLog.length > 0) console.error(`browser console:\n${consoleLog.join('\n')}`);
    }
    for (const c of contexts.splice(0)) await c.close();
    consoleLog.length = 0;
  });

  const running = () => {
    if (!server || !browser) throw new Error('the browser harness is not started');
    return { server, browser };
  };
  return {
    server: () => running().server,
    async signIn(user, password) {
      const context = await running().browser.newContext({
        viewport: { width: 1440, height: 900 },
        locale: 'zh-CN',
      });
      contexts.push(context);
      const page = await context.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning')
          consoleLog.push(`${user} ${m.type()} ${page.url()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => consoleLog.push(`${user} pageerror: ${e.message}`));
      const login = new LoginPage(page);
      await login.goto(running().server.url);
      await login.login(user, password);
      await page.getByTestId('current-user').waitFor();
      return page;
    },
    async command(type, payload, actor) {
      const [r] = await executeCommands(
        running().server.db,
        [
          {
            id: `e2e-${type}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
            type,
            region: '530700000',
            year: 2026,
            on: '2026-03-01',
            payload,
          },
        ],
        { defaultActor: actor },
      );
      if (r?.status !== 'accepted') throw new Error(JSON.stringify(r));
      return r.result as Record<string, unknown>;
    },
  };
}

/** Open a screen of a menu group; resolves when the screen's title shows. */
export async function openMenu(page: Page, group: string, item: string): Promise<void> {
  const entry = page.getByRole('menuitem', { name: new RegExp(`(^|\\s)${item}$`) });
  if (!(await entry.isVisible())) await page.getByRole('menuitem', { name: new RegExp(`${group}$`) }).click();
  await entry.click();
  await waitUntil(
    () =>
      page
        .getByTestId('page-title')
        .textContent({ timeout: 1_000 })
        .catch(() => null),
    (t) => t === item,
    `the ${item} page`,
  );
}

/** Pick from a searchable select (named by its label) whose options may come as one types. */
export async function pick(
  page: Page,
  within: Page | Locator,
  label: string,
  search: string,
  option: string,
) {
  const box = within.getByRole('combobox', { name: label, exact: true });
  await box.click();
  await box.fill(search);
  await page
    .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
    .filter({ hasText: option })
    .first()
    .click();
}
