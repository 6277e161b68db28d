/** '-1234567.8' → '-1,234,567.80'; amounts stay strings end to end (no float rounding). */
export function formatYuan(value: string | number): string {
  const s = String(value).trim();
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return s;
  const [, sign, int = '0', frac = ''] = m;
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}.${frac.padEnd(2, '0')}`;
}
