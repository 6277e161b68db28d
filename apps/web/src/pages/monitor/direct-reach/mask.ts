/**
 * An id number (身份证号 / 统一社会信用代码) with its middle hidden: the first 4 and last 4 stay,
 * e.g. 530102199001011234 → 5301**********1234. Short numbers keep one character at each end.
 */
export function maskIdNo(id: string): string {
  const s = id.trim();
  if (s.length <= 2) return '*'.repeat(s.length);
  const keep = s.length > 8 ? 4 : 1;
  return `${s.slice(0, keep)}${'*'.repeat(s.length - 2 * keep)}${s.slice(-keep)}`;
}
