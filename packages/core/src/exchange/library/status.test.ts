import { describe, expect, it } from 'vitest';
import {
  canResend,
  FINAL_STATUSES,
  INITIAL_STATE,
  isLibraryStatus,
  LIBRARY_STATUS_LABELS,
  type LibraryEvent,
  LibraryStatus,
  replay,
  type TransitionOutcome,
  transition,
} from './status';

const A = 'applied';
const D = 'duplicate';
const S = 'stale';
const R = 'refused';
const ALL = [0, 1, 2, 3, 4, 5, 6] as const;

const reported = (status: LibraryStatus, attempt = 1): LibraryEvent => ({
  kind: 'reported',
  status,
  attempt,
});

describe('voucher library status', () => {
  it('uses the ITFE codes and labels', () => {
    expect(LibraryStatus).toEqual({
      notReceived: 0,
      received: 1,
      receiveFailed: 2,
      acknowledged: 3,
      acknowledgeFailed: 4,
      receipted: 5,
      returned: 6,
    });
    expect(ALL.map((s) => LIBRARY_STATUS_LABELS[s])).toEqual([
      '未接收',
      '已接收',
      '接收失败',
      '签收成功',
      '签收失败',
      '已回单',
      '被退回',
    ]);
    expect([...FINAL_STATUSES]).toEqual([5, 6]);
    expect([-1, 0, 6, 7, 1.5].map(isLibraryStatus)).toEqual([false, true, true, false, false]);
  });

  // Row: current status; column: reported status (same attempt).
  const MATRIX: Record<LibraryStatus, TransitionOutcome[]> = {
    0: [D, A, A, A, A, A, A],
    1: [S, D, R, A, A, A, A],
    2: [S, R, D, R, R, R, R],
    3: [S, S, R, D, R, A, A],
    4: [S, S, R, R, D, R, R],
    5: [S, S, R, S, R, D, R],
    6: [S, S, R, S, R, R, D],
  };

  for (const from of ALL) {
    it(`from ${from} ${LIBRARY_STATUS_LABELS[from]}`, () => {
      const state = { status: from, attempt: 1 };
      const outcomes = ALL.map((to) => {
        const t = transition(state, reported(to));
        expect(t.state).toEqual(t.outcome === A ? { status: to, attempt: 1 } : state);
        return t.outcome;
      });
      expect(outcomes).toEqual(MATRIX[from]);
    });
  }

  it('resends only after a receive or acknowledge failure, as a new attempt', () => {
    expect(ALL.filter(canResend)).toEqual([2, 4]);
    for (const status of ALL) {
      const t = transition({ status, attempt: 2 }, { kind: 'resend' });
      expect(t).toEqual(
        canResend(status)
          ? { state: { status: 0, attempt: 3 }, outcome: A }
          : { state: { status, attempt: 2 }, outcome: R },
      );
    }
  });

  it('ignores reports about an earlier attempt and refuses reports about a future one', () => {
    const { state, outcomes } = replay([
      reported(2),
      { kind: 'resend' },
      reported(2, 1),
      reported(1, 1),
      reported(1, 3),
    ]);
    expect(state).toEqual({ status: 0, attempt: 2 });
    expect(outcomes).toEqual([A, A, S, S, R]);
  });

  it('follows a direct payment to its receipt, skipping states a poll missed', () => {
    expect(replay([reported(1), reported(3), reported(3), reported(5), reported(1)])).toEqual({
      state: { status: 5, attempt: 1 },
      outcomes: [A, A, D, A, S],
    });
    expect(replay([reported(5)]).state).toEqual({ status: 5, attempt: 1 });
  });

  it('recovers from a receive failure by resending, and ends at 被退回', () => {
    const { state, outcomes } = replay([
      reported(2),
      { kind: 'resend' },
      reported(1, 2),
      reported(4, 2),
      { kind: 'resend' },
      reported(3, 3),
      reported(6, 3),
      { kind: 'resend' },
      reported(5, 3),
    ]);
    expect(state).toEqual({ status: 6, attempt: 3 });
    expect(outcomes).toEqual([A, A, A, A, A, A, A, R, R]);
    expect(INITIAL_STATE).toEqual({ status: 0, attempt: 1 });
  });
});
