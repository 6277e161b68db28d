/**
 * How long the sender waits before sending a voucher again after send number `attempt` failed:
 * doubling from `baseMs`, never above `capMs`, with up to half of it taken off at random so that
 * many vouchers failed together do not all come back together.
 */
export function sendBackoffMs(
  attempt: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  const full = Math.min(capMs, baseMs * 2 ** Math.min(30, Math.max(0, attempt - 1)));
  return Math.round(full * (1 - random() / 2));
}
