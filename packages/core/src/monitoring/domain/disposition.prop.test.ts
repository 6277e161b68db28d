import { fc, test } from '@fast-check/vitest';
import { expect, it } from 'vitest';
import { isFiscusError } from '../../kernel/errors';
import {
  type DispositionAction,
  type DispositionInput,
  dispositionActionNames,
  dispositionStep,
  escalationLevel,
  isClosed,
  overdue,
  type WarningSnapshot,
  warningStatuses,
} from './disposition';

const actions = Object.keys(dispositionActionNames) as DispositionAction[];
const from: Record<DispositionAction, string> = {
  identifyNormal: 'pending',
  identifySuspect: 'pending',
  issueInquiry: 'suspected',
  feedback: 'inquiryIssued',
  verifyOk: 'feedbackReceived',
  confirmViolation: 'feedbackReceived',
  sendBackFeedback: 'feedbackReceived',
  reportRectified: 'rectifying',
  acceptRectification: 'rectified',
  rejectRectification: 'rectified',
};
const day = fc
  .integer({ min: 0, max: 120 })
  .map((n) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString().slice(0, 10));
const input: fc.Arbitrary<DispositionInput> = fc
  .record({
    action: fc.constantFrom(...actions),
    actor: fc.constantFrom('m1', 'm2', 'u1', 'u2'),
    opinion: fc.option(fc.constantFrom('意见', ' ', ''), { nil: undefined }),
    attachments: fc.option(fc.constant([{ name: 'a.pdf', sha256: 'f'.repeat(64) }]), { nil: undefined }),
    deadline: fc.option(day, { nil: undefined }),
    on: day,
  })
  .map((r) => {
    const i: DispositionInput = { action: r.action, actor: r.actor, on: r.on };
    if (r.opinion !== undefined) i.opinion = r.opinion;
    if (r.attachments !== undefined) i.attachments = r.attachments;
    if (r.deadline !== undefined) i.deadline = r.deadline;
    return i;
  });

const visited = new Set<string>();
/**
 * Steering, so walks get deep: 'raw' keeps the generated step, 'legal' swaps in an action legal in
 * the current status, 'sound' also makes its fields acceptable (the actor still random, for SoD).
 */
const steered = fc.tuple(input, fc.constantFrom('raw', 'legal', 'sound', 'sound'), fc.nat());
function steer(w: WarningSnapshot, [i, mode, k]: [DispositionInput, string, number]): DispositionInput {
  const fits = actions.filter((a) => from[a] === w.status);
  if (mode === 'raw' || fits.length === 0) return i;
  const action = fits[k % fits.length]!;
  if (mode === 'legal') return { ...i, action };
  const { deadline: _, ...rest } = i;
  const needs = action === 'issueInquiry' || action === 'confirmViolation';
  return {
    ...rest,
    action,
    opinion: '意见',
    attachments: [{ name: 'a.pdf', sha256: 'f'.repeat(64) }],
    ...(needs ? { deadline: i.on } : {}),
  };
}

test.prop([fc.array(steered, { minLength: 5, maxLength: 40 })], { numRuns: 300 })(
  'a random walk only ever takes legal, separated steps and refuses with a known code',
  (raw) => {
    let w: WarningSnapshot = Object.freeze({
      warningId: 'YJ',
      status: 'pending',
      identifiedBy: null,
      feedbackBy: null,
      rectifiedBy: null,
      deadline: null,
    });
    for (const r of raw) {
      const before = w;
      const i = steer(w, r);
      try {
        const s = dispositionStep(w, i);
        expect(from[i.action]).toBe(before.status);
        expect(warningStatuses).toContain(s.status);
        expect(s.closed).toBe(isClosed(s.status));
        if (s.closed) expect(s.deadline).toBeNull();
        if (s.status === 'inquiryIssued' || s.status === 'rectifying') expect(s.deadline).not.toBeNull();
        if (['verifyOk', 'confirmViolation', 'sendBackFeedback'].includes(i.action))
          expect(i.actor).not.toBe(before.feedbackBy);
        if (i.action === 'acceptRectification' || i.action === 'rejectRectification')
          expect(i.actor).not.toBe(before.rectifiedBy);
        w = Object.freeze({ ...w, ...s.sets, status: s.status, deadline: s.deadline });
        visited.add(s.status);
      } catch (e) {
        if (!isFiscusError(e)) throw e;
        expect(['STATE_INVALID', 'VALIDATION_FAILED', 'SOD_SAME_PERSON']).toContain(e.code);
        if (from[i.action] !== before.status) expect(e.code).toBe('STATE_INVALID');
        expect(w).toBe(before);
      }
    }
  },
);

it('the walks reached every status but recorded', () => {
  expect([...visited].sort()).toEqual(
    warningStatuses.filter((s) => s !== 'recorded' && s !== 'pending').sort(),
  );
});

test.prop([fc.constantFrom(...warningStatuses.filter(isClosed)), input])(
  'a closed or recorded warning refuses every action',
  (status, i) => {
    const w = {
      warningId: 'YJ',
      status,
      identifiedBy: null,
      feedbackBy: null,
      rectifiedBy: null,
      deadline: null,
    };
    expect(() => dispositionStep(w, i)).toThrow(/STATE_INVALID/);
  },
);

test.prop([day, day, day])(
  'escalation never falls as days pass, and is 0 exactly when not late',
  (d, t1, t2) => {
    const [early, late] = t1 <= t2 ? [t1, t2] : [t2, t1];
    expect(escalationLevel(d, early)).toBeLessThanOrEqual(escalationLevel(d, late));
    expect(escalationLevel(d, early) === 0).toBe(early <= d);
    const w = {
      warningId: 'YJ',
      status: 'rectifying' as const,
      identifiedBy: null,
      feedbackBy: null,
      rectifiedBy: null,
    };
    expect(overdue({ ...w, deadline: d }, early)).toBe(escalationLevel(d, early) > 0);
  },
);
