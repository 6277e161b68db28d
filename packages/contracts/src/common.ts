import { z } from 'zod';

/**
 * A schema message in both languages. Zod keeps one message per issue; the pipeline splits it
 * again so that each language's error text reads natively.
 */
export const BILINGUAL_SEPARATOR = '\u001f';
export function bi(zh: string, en: string): string {
  return `${zh}${BILINGUAL_SEPARATOR}${en}`;
}

/** 财政区划: 9-digit MOF division code (mof_div_code). */
export const regionCodeSchema = z
  .string()
  .regex(/^\d{9}$/, bi('财政区划代码为 9 位数字', 'region code is 9 digits'));
/** 行政区划代码: 6-digit GB/T 2260 code (AdmDivCode). */
export const admDivCodeSchema = z
  .string()
  .regex(/^\d{6}$/, bi('行政区划代码为 6 位数字', 'administrative code is 6 digits'));
/** 预算年度. */
export const fiscalYearSchema = z.number().int().min(2000).max(2099);
/** A business date, ISO calendar date. */
export const isoDateSchema = z.iso.date();
/** Yuan amount at the edges: a decimal string with at most 2 decimals, e.g. "1234.56". */
export const yuanSchema = z
  .string()
  .regex(/^-?\d{1,15}(\.\d{1,2})?$/, bi('金额须为最多两位小数的元金额', 'amount is a yuan decimal string'));
/** A code of a code set or master-data key: digits/letters, no spaces. */
export const codeSchema = z
  .string()
  .regex(/^[0-9A-Za-z]{1,21}$/, bi('代码为 1 至 21 位字母或数字', 'code is 1-21 letters or digits'));
export const nameSchema = z.string().trim().min(1).max(200);

export const pageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(20),
  q: z.string().max(100).optional(),
});
export type PageQuery = z.infer<typeof pageQuerySchema>;

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
