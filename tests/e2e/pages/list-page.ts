import type { Locator, Page } from 'playwright-core';
import { waitUntil } from './wait';

/** The signed-in frame's menu and a generic base-data list (/basedata/:key). */
export class ListPage {
  readonly table: Locator;
  readonly keyword: Locator;
  readonly drawer: Locator;
  readonly title: Locator;

  constructor(readonly page: Page) {
    this.table = page.getByTestId('list-table');
    this.keyword = page.getByRole('textbox', { name: '关键字' });
    this.drawer = page.getByRole('dialog');
    this.title = page.getByTestId('list-title');
  }

  /** A menu entry by its title (its accessible name starts with the icon's label). */
  menuItem(title: string): Locator {
    return this.page.getByRole('menuitem', { name: new RegExp(`(^|\\s)${title}$`) });
  }

  /** Open a list from a menu group, expanding the group when it is closed. */
  async openFromMenu(group: string, item: string): Promise<void> {
    await this.menuItem(group).waitFor();
    const entry = this.menuItem(item);
    if (!(await entry.isVisible())) await this.menuItem(group).click();
    await entry.click();
    await waitUntil(
      () => this.title.textContent({ timeout: 1_000 }).catch(() => null),
      (t) => t === item,
      `the ${item} list`,
    );
    await this.table.waitFor();
  }

  /** The data rows of the table (no header, no measuring row). */
  rows(): Locator {
    return this.table.locator('tbody tr.ant-table-row');
  }

  row(text: string): Locator {
    return this.rows().filter({ hasText: text }).first();
  }

  rowTexts(): Promise<string[]> {
    return this.rows().allInnerTexts();
  }

  /** Wait until the table holds rows and every row passes `check`. */
  async waitForRows(check: (texts: string[]) => boolean, what: string): Promise<string[]> {
    return waitUntil(
      () => this.rowTexts(),
      (texts) => texts.length > 0 && check(texts),
      what,
    );
  }

  async search(keyword: string): Promise<void> {
    await this.keyword.fill(keyword);
    await this.keyword.press('Enter');
  }

  /** Click 详情 on the row containing `text`; resolves when the drawer shows it. */
  async openDetail(text: string): Promise<Locator> {
    await this.row(text).getByRole('button', { name: '详情' }).click();
    await this.drawer.waitFor();
    await this.drawer.getByText(text, { exact: true }).first().waitFor();
    return this.drawer;
  }

  async closeDetail(): Promise<void> {
    await this.drawer.getByRole('button', { name: /^(关闭|Close)$/ }).click();
    await this.drawer.waitFor({ state: 'hidden' });
  }
}
