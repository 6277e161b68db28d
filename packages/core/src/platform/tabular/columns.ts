/**
 * How a value is written to and read from a spreadsheet cell. Every kind travels as text so that
 * nothing is lost to Excel's number handling: leading zeros of codes, digits past the 15th of long
 * account numbers, and fen of amounts (which a float cannot hold exactly).
 */
export type TabularKind = 'text' | 'code' | 'boolean' | 'date' | 'integer' | 'yuan';

export interface TabularColumn {
  /** Field name; also accepted as a header on import, case-insensitively. */
  key: string;
  /** Chinese header shown in Excel, e.g. '单位代码'. */
  header: string;
  /** Excel column width in characters. */
  width?: number;
  kind: TabularKind;
}

/** How booleans are spelled in exported sheets; importers should accept these. */
export const BOOLEAN_TEXT = { true: '是', false: '否' } as const;

/** Chinese description of each kind, for the template's 说明 sheet. */
export const KIND_DESCRIPTIONS: Record<TabularKind, { name: string; hint: string }> = {
  text: { name: '文本', hint: '任意文字' },
  code: { name: '代码', hint: '按文本填写，保留前导零，如 001' },
  boolean: { name: '是/否', hint: `填写“${BOOLEAN_TEXT.true}”或“${BOOLEAN_TEXT.false}”` },
  date: { name: '日期', hint: '格式 YYYY-MM-DD，如 2025-01-31' },
  integer: { name: '整数', hint: '不带小数点和千分位的整数' },
  yuan: { name: '金额（元）', hint: '最多两位小数，不带千分位和货币符号，如 1234.50' },
};
