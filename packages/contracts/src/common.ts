import { z } from 'zod';

/** 财政区划: 9-digit MOF division code (mof_div_code). */
export const regionCodeSchema = z.string().regex(/^\d{9}$/, 'region code is 9 digits');
/** 行政区划代码: 6-digit GB/T 2260 code (AdmDivCode). */
export const admDivCodeSchema = z.string().regex(/^\d{6}$/, 'administrative code is 6 digits');
/** 预算年度. */
export const fiscalYearSchema = z.number().int().min(2000).max(2099);
/** A business date, ISO calendar date. */
export const isoDateSchema = z.iso.date();
/** Yuan amount at the edges: a decimal string with at most 2 decimals, e.g. "1234.56". */
export const yuanSchema = z.string().regex(/^-?\d{1,15}(\.\d{1,2})?$/, 'amount is a yuan decimal string');
/** A code of a code set or master-data key: digits/letters, no spaces. */
export const codeSchema = z.string().regex(/^[0-9A-Za-z]{1,21}$/, 'code is 1-21 letters or digits');
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
