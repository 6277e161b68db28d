/** Yuan strings ('-12.30') ⇄ fen (bigint), so sums stay exact. */

export function toFen(yuan: string | null | undefined): bigint | null {
  if (yuan === null || yuan === undefined) return null;
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(yuan.replace(/,/g, '').trim());
  if (!m) return null;
  const fen = BigInt(m[2] ?? '0') * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  return m[1] === '-' ? -fen : fen;
}

export function fenToYuan(fen: bigint): string {
  const neg = fen < 0n;
  const a = neg ? -fen : fen;
  return `${neg ? '-' : ''}${a / 100n}.${String(a % 100n).padStart(2, '0')}`;
}

/** How much a difference is about: |actual − expected|, or the one side's amount when the other is missing. */
export function differenceFen(d: { expectedAmount: string | null; actualAmount: string | null }): bigint {
  const e = toFen(d.expectedAmount);
  const a = toFen(d.actualAmount);
  const abs = (x: bigint) => (x < 0n ? -x : x);
  if (e !== null && a !== null) return abs(a - e);
  return abs(e ?? a ?? 0n);
}
