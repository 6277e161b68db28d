import type { EnvelopeEntry } from '@fiscus/core/exchange/voucher/model';
import { formatYuan } from '@fiscus/core/kernel/money';
import { storedEntry } from './receipts';
import type { BankState } from './state';

const text = (v: unknown) => (typeof v === 'string' ? v : '');

export interface VoucherCheckResult {
  /** XCheckResult: 0 相符, 1 不符. */
  readonly result: '0' | '1';
  readonly reason: string;
}

/** What a clearing receipt says, for receipts in the same message as the 3502 (not yet in the state). */
export type ReceiptsSoFar = ReadonlyMap<string, { readonly accepted: boolean; readonly clearDate: string }>;

/**
 * 3502 人民银行与代理银行凭证对账 as the bank checks it: the PBOC's list of this bank's vouchers of one
 * type and paying bank cleared (ProState 0) or refunded (1) on CheckDate, against the bank's own
 * 2301/2302 the PBOC receipted as cleared that day. Pure: reads the state (and the receipts arriving with it).
 */
export function checkVoucherList(
  entry: EnvelopeEntry,
  state: BankState,
  arriving: ReceiptsSoFar = new Map(),
): VoucherCheckResult {
  const h = entry.voucher.header;
  const date = text(h.CheckDate);
  const vt = text(h.EVoucherType);
  // One simulator may stand for several paying banks (PayBankCode of each voucher): this list is one's.
  const payBank = text(h.PayBankCode);
  const ofBank = (xml: string) =>
    payBank === '' || text(storedEntry(xml).voucher.header.PayBankCode) === payBank;
  const own = new Map<string, bigint>();
  for (const c of state.clearing.values()) {
    if (c.duplicateOf !== undefined) continue;
    const receipt = c.receipt ?? arriving.get(c.key);
    if (!receipt?.accepted || receipt.clearDate !== date) continue;
    for (const k of c.vouchers) {
      const [, , kvt, no = ''] = k.split('|');
      const v = state.vouchers.get(k);
      if (kvt !== vt || v === undefined || !ofBank(v.xml)) continue;
      const key = `${no}|${c.vtCode === '2301' ? '0' : '1'}`;
      own.set(key, (own.get(key) ?? 0n) + v.amount);
    }
  }
  const theirs = new Map<string, bigint>();
  for (const d of entry.voucher.details) {
    const key = `${text(d.VoucherNo)}|${text(d.ProState) || '0'}`;
    theirs.set(key, (theirs.get(key) ?? 0n) + (typeof d.Amt === 'bigint' ? d.Amt : 0n));
  }
  const problems: string[] = [];
  for (const key of [...new Set([...own.keys(), ...theirs.keys()])].sort()) {
    const [no, st] = key.split('|');
    const what = `${no}${st === '1' ? '（退回）' : ''}`;
    const a = own.get(key);
    const b = theirs.get(key);
    if (a === undefined) problems.push(`${what} 本行无清算 not cleared here`);
    else if (b === undefined) problems.push(`${what} 人行未列 not listed`);
    else if (a !== b) problems.push(`${what} 人行 ${formatYuan(b)} ≠ 本行 ${formatYuan(a)}`);
  }
  if (problems.length === 0) return { result: '0', reason: '' };
  return { result: '1', reason: `${problems.length} 笔不符: ${problems.slice(0, 5).join('; ')}` };
}
