/** What both simulators' outboxes share: where Fiscus listens, the backoff, what counts as taken. */
export const FISCUS_INBOX_PATH = '/api/v1/evoucher/messages';
export const BACKOFF_START_MS = 200;
export const BACKOFF_CAP_MS = 5000;

/** Exponential backoff with jitter: 200 ms, 400 ms, … capped at 5 s, each × 0.5–1. */
export function backoffMs(attempt: number, random: () => number): number {
  const base = Math.min(BACKOFF_CAP_MS, BACKOFF_START_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.5 + random() / 2));
}

/**
 * Whether the receiver took a voucher: `{ok: true}` (duplicates included), the command pipeline's
 * `{status: 'accepted'}` (a replay included), or a voucher library's `{status: 1}` (已接收).
 */
export function acknowledged(result: unknown): boolean {
  if (typeof result !== 'object' || result === null) return false;
  const r = result as { ok?: unknown; status?: unknown };
  return r.ok === true || r.status === 'accepted' || r.status === 1;
}
