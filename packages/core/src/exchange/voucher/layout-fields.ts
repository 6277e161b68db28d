import { date, required, text } from './layout';

/** Every voucher has these (DOMAIN.md §4.2); they also key the voucher library (§7.9). */
export const COMMON = [
  required(text('Id', { maxLength: 64 })),
  required(text('AdmDivCode', { pattern: /^\d{6}(\d{3})?$/ })),
  required(text('StYear', { pattern: /^\d{4}$/ })),
  required(text('VtCode', { pattern: /^\d{4}$/ })),
  required(date('VouDate')),
  // Also an XML attribute of <VoucherBody> and a file-name-like key: a safe alphabet only.
  required(text('VoucherNo', { pattern: /^[A-Za-z0-9-]{1,42}$/ })),
] as const;

export const HOLD = [text('Hold1'), text('Hold2'), text('Hold3'), text('Hold4')] as const;
