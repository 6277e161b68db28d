import type { Locator, Page } from 'playwright-core';

/** 登录 (/login). */
export class LoginPage {
  readonly username: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.username = page.getByRole('textbox', { name: '用户名' });
    this.password = page.getByLabel('密码', { exact: true });
    this.submit = page.getByRole('button', { name: '登录', exact: true });
    this.error = page.getByTestId('login-error');
  }

  async goto(baseUrl: string): Promise<void> {
    await this.page.goto(`${baseUrl}/login`);
    await this.waitUntilShown();
  }

  /** The login form is on screen (after a redirect, too). */
  async waitUntilShown(): Promise<void> {
    await this.page.waitForURL(/\/login(\?|$)/);
    await this.username.waitFor();
  }

  async login(username: string, password: string): Promise<void> {
    await this.username.fill(username);
    await this.password.fill(password);
    await this.submit.click();
  }

  async errorMessage(): Promise<string> {
    await this.error.waitFor();
    return (await this.error.textContent())?.trim() ?? '';
  }
}
