/**
 * The status of a voucher we sent, as the receiving voucher library reports it (凭证回单状态,
 * DOMAIN.md §4.3, ITFE codes). Pure: the sender polls or is told a status, feeds it here, and
 * stores what comes back. Reports arrive late, twice and out of order, so an event that does not
 * move the voucher forward changes nothing rather than failing.
 */
export const LibraryStatus = {
  notReceived: 0, // 未接收
  received: 1, // 已接收
  receiveFailed: 2, // 接收失败
  acknowledged: 3, // 签收成功
  acknowledgeFailed: 4, // 签收失败
  receipted: 5, // 已回单
  returned: 6, // 被退回
} as const;
export type LibraryStatus = (typeof LibraryStatus)[keyof typeof LibraryStatus];

export const LIBRARY_STATUS_LABELS: Record<LibraryStatus, string> = {
  0: '未接收',
  1: '已接收',
  2: '接收失败',
  3: '签收成功',
  4: '签收失败',
  5: '已回单',
  6: '被退回',
};

/**
 * Direct successors. A poll may miss intermediate states (received and acknowledged between two
 * polls), so an event may jump to any state reachable from the current one.
 * 2 and 4 end an attempt: only a resend leaves them. Returning (退回) needs the voucher received.
 */
const NEXT: Record<LibraryStatus, readonly LibraryStatus[]> = {
  0: [1, 2],
  1: [3, 4, 6],
  2: [],
  3: [5, 6],
  4: [],
  5: [],
  6: [],
};

/** 已回单 and 被退回 end the voucher: a returned voucher is voided and issued anew, never resent. */
export const FINAL_STATUSES: ReadonlySet<LibraryStatus> = new Set([
  LibraryStatus.receipted,
  LibraryStatus.returned,
]);

/** Receive-failure-like states: the counterpart never accepted the voucher, so sending it again is safe. */
export const RESENDABLE_STATUSES: ReadonlySet<LibraryStatus> = new Set([
  LibraryStatus.receiveFailed,
  LibraryStatus.acknowledgeFailed,
]);

export function isLibraryStatus(n: number): n is LibraryStatus {
  return Number.isInteger(n) && n >= 0 && n <= 6;
}

export function canResend(status: LibraryStatus): boolean {
  return RESENDABLE_STATUSES.has(status);
}

function reachable(from: LibraryStatus): Set<LibraryStatus> {
  const seen = new Set<LibraryStatus>();
  const stack = [...NEXT[from]];
  for (let s = stack.pop(); s !== undefined; s = stack.pop()) {
    if (seen.has(s)) continue;
    seen.add(s);
    stack.push(...NEXT[s]);
  }
  return seen;
}

const REACHABLE = Object.fromEntries(
  Object.values(LibraryStatus).map((s) => [s, reachable(s)]),
) as unknown as Record<LibraryStatus, ReadonlySet<LibraryStatus>>;

/** Whether `to` can follow `from` within one send attempt, possibly skipping states. */
export function canAdvance(from: LibraryStatus, to: LibraryStatus): boolean {
  return REACHABLE[from].has(to);
}

/** `attempt` counts sends of this voucher, 1 for the first; a resend starts the next. */
export interface SentVoucherState {
  readonly status: LibraryStatus;
  readonly attempt: number;
}

export type LibraryEvent =
  /** The receiving library reports `status` for send number `attempt`. */
  | { readonly kind: 'reported'; readonly status: LibraryStatus; readonly attempt: number }
  /** We send the voucher again. */
  | { readonly kind: 'resend' };

/**
 * applied   – the state moved;
 * duplicate – the report repeats the current status;
 * stale     – the report is behind the current state (an earlier status or an earlier attempt);
 * refused   – impossible here (a jump the library cannot make, a resend outside 2/4).
 * Only `applied` changes the state.
 */
export type TransitionOutcome = 'applied' | 'duplicate' | 'stale' | 'refused';

export interface Transition {
  readonly state: SentVoucherState;
  readonly outcome: TransitionOutcome;
}

export const INITIAL_STATE: SentVoucherState = { status: LibraryStatus.notReceived, attempt: 1 };

export function transition(state: SentVoucherState, event: LibraryEvent): Transition {
  if (event.kind === 'resend') {
    if (!canResend(state.status)) return { state, outcome: 'refused' };
    return { state: { status: LibraryStatus.notReceived, attempt: state.attempt + 1 }, outcome: 'applied' };
  }
  if (event.attempt < state.attempt) return { state, outcome: 'stale' };
  // A report about a send we have not made yet cannot be about this voucher.
  if (event.attempt > state.attempt) return { state, outcome: 'refused' };
  if (event.status === state.status) return { state, outcome: 'duplicate' };
  if (canAdvance(state.status, event.status)) {
    return { state: { status: event.status, attempt: state.attempt }, outcome: 'applied' };
  }
  if (canAdvance(event.status, state.status)) return { state, outcome: 'stale' };
  return { state, outcome: 'refused' };
}

/** Folds events from the initial state; the outcomes say which events were ignored and why. */
export function replay(
  events: readonly LibraryEvent[],
  from: SentVoucherState = INITIAL_STATE,
): {
  state: SentVoucherState;
  outcomes: TransitionOutcome[];
} {
  let state = from;
  const outcomes: TransitionOutcome[] = [];
  for (const e of events) {
    const t = transition(state, e);
    state = t.state;
    outcomes.push(t.outcome);
  }
  return { state, outcomes };
}
