import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { isFiscusError } from '../../kernel/errors';
import { errorCodeOf as code } from '../../kernel/errors-testing';
import { type DocAction, type DocSnapshot, type RouteStep, transition } from './workflow';

const route2: RouteStep[] = [
  { name: '业务科室审核', permission: 'indicator.review' },
  { name: '预算科终审', permission: 'indicator.approve' },
];
const doc = (over: Partial<DocSnapshot> = {}): DocSnapshot => ({
  docId: 'ZB1',
  state: 'draft',
  step: 0,
  route: route2,
  preparedBy: 'ann',
  submittedBy: null,
  approvedBy: [],
  ...over,
});
const all = () => true;

describe('document workflow', () => {
  it('goes draft → submitted → step by step → approved, effective only at the last step', () => {
    const s = transition(doc(), { action: 'submit', actor: 'ann', holds: all });
    expect(s).toEqual({ state: 'submitted', step: 0, actedStep: null, effective: false });
    const submitted = doc({ state: 'submitted', submittedBy: 'ann' });
    const a1 = transition(submitted, { action: 'approve', actor: 'bob', holds: all });
    expect(a1).toEqual({ state: 'submitted', step: 1, actedStep: 0, effective: false });
    const a2 = transition(
      { ...submitted, step: 1, approvedBy: ['bob'] },
      { action: 'approve', actor: 'cat', holds: all },
    );
    expect(a2).toEqual({ state: 'approved', step: 1, actedStep: 1, effective: true });
  });

  it('keeps the preparer, the submitter and earlier approvers from approving', () => {
    const submitted = doc({ state: 'submitted', submittedBy: 'ann' });
    expect(code(() => transition(submitted, { action: 'approve', actor: 'ann', holds: all }))).toBe(
      'SOD_SAME_PERSON',
    );
    const step1 = { ...submitted, step: 1, approvedBy: ['bob'] };
    expect(code(() => transition(step1, { action: 'approve', actor: 'bob', holds: all }))).toBe(
      'SOD_SAME_PERSON',
    );
    expect(code(() => transition(step1, { action: 'return', actor: 'bob', holds: all, opinion: 'x' }))).toBe(
      'SOD_SAME_PERSON',
    );
  });

  it("needs the current step's permission", () => {
    const step1 = doc({ state: 'submitted', submittedBy: 'ann', step: 1, approvedBy: ['bob'] });
    const holds = (p: string) => p === 'indicator.review';
    expect(code(() => transition(step1, { action: 'approve', actor: 'cat', holds }))).toBe(
      'DOC_STEP_PERMISSION',
    );
  });

  it('returns only with an opinion, back to the preparer who may change and resubmit', () => {
    const submitted = doc({ state: 'submitted', submittedBy: 'ann' });
    expect(
      code(() => transition(submitted, { action: 'return', actor: 'bob', holds: all, opinion: ' ' })),
    ).toBe('VALIDATION_FAILED');
    const back = transition(submitted, { action: 'return', actor: 'bob', holds: all, opinion: '金额有误' });
    expect(back.state).toBe('returned');
    const returned = doc({ state: 'returned', submittedBy: 'ann' });
    expect(transition(returned, { action: 'update', actor: 'ann', holds: all }).state).toBe('returned');
    expect(transition(returned, { action: 'submit', actor: 'ann', holds: all }).state).toBe('submitted');
    expect(code(() => transition(returned, { action: 'update', actor: 'bob', holds: all }))).toBe(
      'DOC_NOT_PREPARER',
    );
  });

  it('withdraws only by the submitter and only before an approver acted', () => {
    const submitted = doc({ state: 'submitted', submittedBy: 'ann' });
    expect(transition(submitted, { action: 'withdraw', actor: 'ann', holds: all }).state).toBe('draft');
    expect(code(() => transition(submitted, { action: 'withdraw', actor: 'bob', holds: all }))).toBe(
      'DOC_NOT_PREPARER',
    );
    const acted = { ...submitted, step: 1, approvedBy: ['bob'] };
    expect(code(() => transition(acted, { action: 'withdraw', actor: 'ann', holds: all }))).toBe(
      'STATE_INVALID',
    );
  });

  const actions: DocAction[] = ['update', 'submit', 'approve', 'return', 'withdraw', 'void'];
  it.each(['approved', 'voided'] as const)('never changes a %s document', (state) => {
    for (const action of actions)
      expect(
        code(() =>
          transition(doc({ state, submittedBy: 'ann' }), { action, actor: 'bob', holds: all, opinion: 'x' }),
        ),
      ).toBe('STATE_INVALID');
  });

  // Any sequence of actions by anyone: the document is effective at most once, only from the last
  // step, only after as many distinct approvers as the route has steps, none the preparer.
  test.prop([
    fc.array(
      fc.record({
        action: fc.constantFrom(...actions),
        actor: fc.constantFrom('ann', 'bob', 'cat', 'dan'),
        opinion: fc.constantFrom(undefined, '意见'),
      }),
      { maxLength: 40 },
    ),
  ])('is effective only through a complete, separated approval', (steps) => {
    let d = doc();
    let effective = 0;
    for (const s of steps) {
      let t: ReturnType<typeof transition>;
      try {
        t = transition(d, { ...s, holds: all });
      } catch (e) {
        if (!isFiscusError(e)) throw e;
        continue;
      }
      if (t.effective) {
        effective++;
        expect(d.step).toBe(route2.length - 1);
        const approvers = [...d.approvedBy, s.actor];
        expect(new Set(approvers).size).toBe(route2.length);
        expect(approvers).not.toContain(d.preparedBy);
      }
      const approvedBy =
        s.action === 'approve' && t.state === 'submitted'
          ? [...d.approvedBy, s.actor]
          : t.state === 'submitted' && s.action !== 'submit'
            ? d.approvedBy
            : [];
      d = {
        ...d,
        state: t.state,
        step: t.step,
        submittedBy: s.action === 'submit' ? s.actor : d.submittedBy,
        approvedBy,
      };
    }
    expect(effective).toBeLessThanOrEqual(1);
  });
});
