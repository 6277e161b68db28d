/** One voucher item as each party lists it: how often and for how much (fen, as text). */
export interface VoucherSides {
  item: 'pay' | 'refund';
  key: string;
  fn: number;
  fa: string | null;
  bn: number;
  ba: string | null;
  pn: number;
}

/**
 * 当日退票未清算: a voucher paid and bounced on D before the bank's day-end clearing is in neither
 * the bank's 2301 nor the PBOC's 3501 — the money went out of the zero-balance account and came
 * back the same day. Its payment and refund (finance and the bank agreeing on both, one amount)
 * that the PBOC lists neither of are not PBOC differences. Keys `item|voucherNo`.
 */
export function sameDayBounces(rows: readonly VoucherSides[], F: boolean, B: boolean): Set<string> {
  const byKey = new Map<string, { pay?: VoucherSides; refund?: VoucherSides }>();
  for (const r of rows) byKey.set(r.key, { ...byKey.get(r.key), [r.item]: r });
  const out = new Set<string>();
  for (const [key, { pay, refund }] of byKey) {
    if (!pay || !refund || pay.pn !== 0 || refund.pn !== 0) continue;
    if (F && !(pay.fn === 1 && refund.fn === 1 && pay.fa === refund.fa)) continue;
    if (B && !(pay.bn === 1 && refund.bn === 1 && pay.ba === refund.ba)) continue;
    if (!F && !B) continue;
    out.add(`pay|${key}`);
    out.add(`refund|${key}`);
  }
  return out;
}
