import { formatYuan } from '../../kernel/money';

/**
 * 3504 清算信息对账 as finance checks it: the PBOC's cleared amount per coding line (一级单位 × 功能科目
 * × 资金性质 × 支付方式) against what finance paid (net of refunds) on the same lines that day. Pure.
 */
export interface LineAmount {
  /** supDep|expFunc|fundType|payType, '' for a missing part. */
  key: string;
  fen: bigint;
}

export interface ClearingCheck {
  /** XCheckResult: 0 相符, 1 不符. */
  result: '0' | '1';
  /** XCheckReason: the first differing lines (empty when they agree). */
  reason: string;
  differing: number;
}

const yuan = formatYuan;

export function checkClearing(
  finance: readonly LineAmount[],
  reported: readonly LineAmount[],
): ClearingCheck {
  const sum = (ls: readonly LineAmount[]) => {
    const m = new Map<string, bigint>();
    for (const l of ls) m.set(l.key, (m.get(l.key) ?? 0n) + l.fen);
    return m;
  };
  const f = sum(finance);
  const r = sum(reported);
  const keys = [...new Set([...f.keys(), ...r.keys()])].sort();
  const off = keys.filter((k) => (f.get(k) ?? 0n) !== (r.get(k) ?? 0n));
  if (off.length === 0) return { result: '0', reason: '', differing: 0 };
  const shown = off
    .slice(0, 5)
    .map((k) => `${k}: 人行 ${yuan(r.get(k) ?? 0n)} / 财政 ${yuan(f.get(k) ?? 0n)}`)
    .join('; ');
  return { result: '1', reason: `${off.length} 行不符 lines differ: ${shown}`, differing: off.length };
}
