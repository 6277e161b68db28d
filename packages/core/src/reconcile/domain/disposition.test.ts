import { describe, expect, it } from 'vitest';
import { isFiscusError } from '../../kernel/errors';
import { type DifferenceSnapshot, differenceStep } from './disposition';

const open: DifferenceSnapshot = {
  differenceId: 'RD0000000001',
  state: 'open',
  assignee: null,
  explainedBy: null,
};
const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (isFiscusError(e)) return e.code;
    throw e;
  }
  return null;
};

describe('reconciliation difference disposition', () => {
  it('walks open → assigned → explained → resolved', () => {
    const a = differenceStep(open, { action: 'assign', actor: 'treasury', assignee: 'clerk1' });
    expect(a).toMatchObject({
      from: 'open',
      to: 'assigned',
      sets: { assignee: 'clerk1', assignedBy: 'treasury' },
    });
    const assigned = { ...open, state: a.to, assignee: 'clerk1' };
    const e = differenceStep(assigned, { action: 'explain', actor: 'clerk1', explanation: '银行漏报' });
    expect(e).toMatchObject({ to: 'explained', sets: { explainedBy: 'clerk1', explanation: '银行漏报' } });
    const explained = { ...assigned, state: e.to, explainedBy: 'clerk1' };
    const r = differenceStep(explained, {
      action: 'resolve',
      actor: 'treasury',
      resolution: 'counterpartCorrected',
      note: '银行已补报',
    });
    expect(r).toMatchObject({ to: 'resolved', sets: { resolvedBy: 'treasury' } });
  });

  it('re-assigns while nobody explained it', () => {
    const assigned = { ...open, state: 'assigned' as const, assignee: 'a' };
    expect(differenceStep(assigned, { action: 'assign', actor: 'x', assignee: 'b' }).sets.assignee).toBe('b');
  });

  it('refuses moves out of order', () => {
    expect(code(() => differenceStep(open, { action: 'explain', actor: 'a', explanation: 'x' }))).toBe(
      'STATE_INVALID',
    );
    expect(
      code(() => differenceStep(open, { action: 'resolve', actor: 'a', resolution: 'accepted', note: 'x' })),
    ).toBe('STATE_INVALID');
    const resolved = { ...open, state: 'resolved' as const, assignee: 'a', explainedBy: 'a' };
    expect(code(() => differenceStep(resolved, { action: 'assign', actor: 'x', assignee: 'b' }))).toBe(
      'STATE_INVALID',
    );
    const explained = { ...open, state: 'explained' as const, assignee: 'a', explainedBy: 'a' };
    expect(code(() => differenceStep(explained, { action: 'assign', actor: 'x', assignee: 'b' }))).toBe(
      'STATE_INVALID',
    );
  });

  it('lets only the assignee explain', () => {
    const assigned = { ...open, state: 'assigned' as const, assignee: 'a' };
    expect(code(() => differenceStep(assigned, { action: 'explain', actor: 'b', explanation: 'x' }))).toBe(
      'RECONCILE_NOT_ASSIGNEE',
    );
  });

  it('keeps who explained from resolving (SoD)', () => {
    const explained = { ...open, state: 'explained' as const, assignee: 'a', explainedBy: 'a' };
    expect(
      code(() =>
        differenceStep(explained, { action: 'resolve', actor: 'a', resolution: 'accepted', note: 'ok' }),
      ),
    ).toBe('SOD_SAME_PERSON');
  });

  it('needs the texts', () => {
    expect(code(() => differenceStep(open, { action: 'assign', actor: 'x', assignee: ' ' }))).toBe(
      'VALIDATION_FAILED',
    );
    const assigned = { ...open, state: 'assigned' as const, assignee: 'a' };
    expect(code(() => differenceStep(assigned, { action: 'explain', actor: 'a', explanation: ' ' }))).toBe(
      'VALIDATION_FAILED',
    );
    const explained = { ...assigned, state: 'explained' as const, explainedBy: 'a' };
    expect(
      code(() =>
        differenceStep(explained, { action: 'resolve', actor: 'b', resolution: 'accepted', note: '' }),
      ),
    ).toBe('VALIDATION_FAILED');
  });
});
