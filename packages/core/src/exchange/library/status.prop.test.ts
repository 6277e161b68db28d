import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import {
  canAdvance,
  FINAL_STATUSES,
  INITIAL_STATE,
  type LibraryEvent,
  type LibraryStatus,
  RESENDABLE_STATUSES,
  type SentVoucherState,
  transition,
} from './status';

const status = fc.constantFrom<LibraryStatus>(0, 1, 2, 3, 4, 5, 6);
// Reports for the first few attempts, and resends, in any order: polls lag, pushes repeat.
const event: fc.Arbitrary<LibraryEvent> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('reported' as const),
      status,
      attempt: fc.integer({ min: 1, max: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'resend' as const }) },
);
const events = fc.array(event, { maxLength: 40 });

function walk(
  es: readonly LibraryEvent[],
): { before: SentVoucherState; event: LibraryEvent; after: SentVoucherState; applied: boolean }[] {
  let state = INITIAL_STATE;
  return es.map((e) => {
    const t = transition(state, e);
    const step = { before: state, event: e, after: t.state, applied: t.outcome === 'applied' };
    state = t.state;
    return step;
  });
}

test.prop([events])('nothing leaves a final state', (es) => {
  for (const { before, after } of walk(es)) {
    if (FINAL_STATUSES.has(before.status)) expect(after).toBe(before);
  }
});

test.prop([events])('only an applied event changes the state, and only forward', (es) => {
  for (const { before, event: e, after, applied } of walk(es)) {
    if (!applied) {
      expect(after).toBe(before);
    } else if (e.kind === 'resend') {
      expect(RESENDABLE_STATUSES.has(before.status)).toBe(true);
      expect(after).toEqual({ status: 0, attempt: before.attempt + 1 });
    } else {
      expect(after.attempt).toBe(before.attempt);
      expect(canAdvance(before.status, after.status)).toBe(true);
    }
  }
});

// Resend is our own command, not a report: resending again after a later failure is meant to apply.
test.prop([events, fc.nat()], { numRuns: 500 })(
  'a late duplicate of an applied report changes nothing',
  (es, pick) => {
    const steps = walk(es);
    const applied = steps.filter((s) => s.applied && s.event.kind === 'reported');
    const last = steps.at(-1)?.after ?? INITIAL_STATE;
    if (applied.length > 0) {
      const late = applied[pick % applied.length]!.event;
      const t = transition(last, late);
      expect(t.outcome).not.toBe('applied');
      expect(t.state).toBe(last);
    }
  },
);

test.prop([events])('the same event twice in a row applies at most once', (es) => {
  let state = INITIAL_STATE;
  for (const e of es) {
    state = transition(state, e).state;
    const again = transition(state, e);
    expect(again.outcome).not.toBe('applied');
    expect(again.state).toBe(state);
  }
});
