import { describe, expect, it } from 'vitest';
import { FiscusError } from '../../kernel/errors';
import { errorCodeOf as code } from '../../kernel/errors-testing';
import {
  actionRole,
  type DispositionAction,
  type DispositionInput,
  dispositionActionNames,
  dispositionStep,
  isClosed,
  type WarningSnapshot,
  type WarningStatus,
  warningStatuses,
} from './disposition';

const SHA = 'a'.repeat(64);
const file = { name: '整改报告.pdf', sha256: SHA };
const snap = (over: Partial<WarningSnapshot> = {}): WarningSnapshot => ({
  warningId: 'YJ1',
  status: 'pending',
  identifiedBy: null,
  feedbackBy: null,
  rectifiedBy: null,
  deadline: null,
  ...over,
});
const inp = (action: DispositionAction, over: Partial<DispositionInput> = {}): DispositionInput => ({
  action,
  actor: 'monitor1',
  on: '2026-06-10',
  ...over,
});
/** Applies a step the way the service would: the new status, deadline and recorded actors. */
function apply(w: WarningSnapshot, i: DispositionInput): WarningSnapshot {
  const s = dispositionStep(w, i);
  return { ...w, ...s.sets, status: s.status, deadline: s.deadline };
}

/** The transitions of the brief, written out independently of the implementation's table. */
const legal: [WarningStatus, DispositionAction, WarningStatus][] = [
  ['pending', 'identifyNormal', 'closedNormal'],
  ['pending', 'identifySuspect', 'suspected'],
  ['suspected', 'issueInquiry', 'inquiryIssued'],
  ['inquiryIssued', 'feedback', 'feedbackReceived'],
  ['feedbackReceived', 'verifyOk', 'closedVerified'],
  ['feedbackReceived', 'confirmViolation', 'rectifying'],
  ['feedbackReceived', 'sendBackFeedback', 'inquiryIssued'],
  ['rectifying', 'reportRectified', 'rectified'],
  ['rectified', 'acceptRectification', 'closedRectified'],
  ['rectified', 'rejectRectification', 'rectifying'],
];
const actions = Object.keys(dispositionActionNames) as DispositionAction[];
/** An input that satisfies every field rule of the action, by an actor who did nothing earlier. */
const complete = (a: DispositionAction): DispositionInput =>
  inp(a, {
    actor: actionRole[a] === 'unit' ? 'unitClerk' : 'monitor2',
    opinion: '意见',
    attachments: [file],
    ...(a === 'issueInquiry' || a === 'confirmViolation' ? { deadline: '2026-06-30' } : {}),
  });
const earlier = { identifiedBy: 'monitor1', feedbackBy: 'unit1', rectifiedBy: 'unit1' };

describe('dispositionStep transitions', () => {
  it.each(legal)('%s —%s→ %s', (from, action, to) => {
    const s = dispositionStep(snap({ status: from, ...earlier, deadline: '2026-06-20' }), complete(action));
    expect(s.status).toBe(to);
    expect(s.closed).toBe(isClosed(to));
  });

  const illegal = warningStatuses.flatMap((s) =>
    actions.filter((a) => !legal.some(([f, x]) => f === s && x === a)).map((a) => [s, a] as const),
  );
  it(`refuses the other ${illegal.length} (status, action) pairs with STATE_INVALID`, () => {
    expect(illegal).toHaveLength(warningStatuses.length * actions.length - legal.length);
    for (const [s, a] of illegal)
      expect(code(() => dispositionStep(snap({ status: s }), complete(a)))).toBe('STATE_INVALID');
  });

  it('lets recorded and closed warnings accept nothing', () => {
    for (const s of ['recorded', 'closedNormal', 'closedVerified', 'closedRectified'] as const)
      for (const a of actions)
        expect(code(() => dispositionStep(snap({ status: s }), complete(a)))).toBe('STATE_INVALID');
  });

  it('names the warning, its state and the action in STATE_INVALID', () => {
    try {
      dispositionStep(snap({ status: 'closedNormal' }), complete('feedback'));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FiscusError);
      expect((e as FiscusError).params).toMatchObject({ entity: '预警 warning', key: 'YJ1' });
      expect(String((e as FiscusError).params.state)).toContain('认定正常');
      expect(String((e as FiscusError).params.action)).toContain('单位反馈');
    }
  });

  it('walks the whole violation path, recording who did what and the deadlines', () => {
    let w = apply(snap(), inp('identifySuspect', { opinion: '单笔现金超限' }));
    expect(w).toMatchObject({ status: 'suspected', identifiedBy: 'monitor1', deadline: null });
    w = apply(w, inp('issueInquiry', { deadline: '2026-06-20' }));
    expect(w).toMatchObject({ status: 'inquiryIssued', deadline: '2026-06-20' });
    w = apply(w, inp('feedback', { actor: 'unit1', opinion: '情况说明', attachments: [file] }));
    expect(w).toMatchObject({ status: 'feedbackReceived', feedbackBy: 'unit1', deadline: '2026-06-20' });
    w = apply(w, inp('confirmViolation', { opinion: '违规', deadline: '2026-07-10', on: '2026-06-21' }));
    expect(w).toMatchObject({ status: 'rectifying', deadline: '2026-07-10', identifiedBy: 'monitor1' });
    w = apply(w, inp('reportRectified', { actor: 'unit2', attachments: [file] }));
    expect(w).toMatchObject({ status: 'rectified', rectifiedBy: 'unit2' });
    w = apply(w, inp('rejectRectification', { opinion: '附件不全' }));
    expect(w).toMatchObject({ status: 'rectifying', deadline: '2026-07-10' });
    w = apply(w, inp('reportRectified', { actor: 'unit1', attachments: [file] }));
    const last = dispositionStep(w, inp('acceptRectification'));
    expect(last).toEqual({ status: 'closedRectified', deadline: null, closed: true, sets: {} });
  });

  it('closes as normal recording the identifier, and clears the deadline on any closing', () => {
    expect(dispositionStep(snap(), inp('identifyNormal'))).toEqual({
      status: 'closedNormal',
      deadline: null,
      closed: true,
      sets: { identifiedBy: 'monitor1' },
    });
    const fed = snap({ status: 'feedbackReceived', feedbackBy: 'unit1', deadline: '2026-06-20' });
    expect(dispositionStep(fed, inp('verifyOk'))).toMatchObject({ status: 'closedVerified', deadline: null });
  });

  it('keeps the deadline on a send-back unless a new one is given', () => {
    const fed = snap({ status: 'feedbackReceived', feedbackBy: 'unit1', deadline: '2026-06-20' });
    expect(dispositionStep(fed, inp('sendBackFeedback', { opinion: '补充材料' })).deadline).toBe(
      '2026-06-20',
    );
    const renewed = dispositionStep(
      fed,
      inp('sendBackFeedback', { opinion: '补充', deadline: '2026-06-25' }),
    );
    expect(renewed).toMatchObject({ status: 'inquiryIssued', deadline: '2026-06-25' });
    const rect = snap({ status: 'rectified', rectifiedBy: 'unit1', deadline: '2026-06-20' });
    expect(
      dispositionStep(rect, inp('rejectRectification', { opinion: 'x', deadline: '2026-07-01' })).deadline,
    ).toBe('2026-07-01');
  });
});

describe('dispositionStep field rules', () => {
  const at = (status: WarningStatus) => snap({ status, ...earlier, deadline: '2026-06-20' });
  const needOpinion: [WarningStatus, DispositionAction][] = [
    ['pending', 'identifySuspect'],
    ['inquiryIssued', 'feedback'],
    ['feedbackReceived', 'confirmViolation'],
    ['feedbackReceived', 'sendBackFeedback'],
    ['rectified', 'rejectRectification'],
  ];
  it.each(needOpinion)('in %s, %s needs an opinion (not blank)', (s, a) => {
    const { opinion: _, ...rest } = complete(a);
    expect(code(() => dispositionStep(at(s), rest))).toBe('VALIDATION_FAILED');
    expect(code(() => dispositionStep(at(s), { ...rest, opinion: '  \n' }))).toBe('VALIDATION_FAILED');
    expect(code(() => dispositionStep(at(s), complete(a)))).toBeNull();
  });

  it('takes no opinion as required where none is', () => {
    expect(dispositionStep(snap(), inp('identifyNormal')).status).toBe('closedNormal');
    expect(dispositionStep(at('feedbackReceived'), inp('verifyOk', { actor: 'm3' })).status).toBe(
      'closedVerified',
    );
  });

  it.each([
    ['suspected', 'issueInquiry'],
    ['feedbackReceived', 'confirmViolation'],
  ] as const)('in %s, %s needs a real deadline on or after the business date', (s, a) => {
    const ok = complete(a);
    const { deadline: _, ...none } = ok;
    expect(code(() => dispositionStep(at(s), none))).toBe('VALIDATION_FAILED');
    expect(code(() => dispositionStep(at(s), { ...ok, deadline: '2026-06-09' }))).toBe('VALIDATION_FAILED');
    expect(code(() => dispositionStep(at(s), { ...ok, deadline: '2026-02-30' }))).toBe('VALIDATION_FAILED');
    expect(code(() => dispositionStep(at(s), { ...ok, deadline: '2026/06/30' }))).toBe('VALIDATION_FAILED');
    expect(dispositionStep(at(s), { ...ok, deadline: '2026-06-10' }).deadline).toBe('2026-06-10');
  });

  it('refuses a deadline on an action that takes none, and a past one on a send-back', () => {
    expect(code(() => dispositionStep(snap(), inp('identifyNormal', { deadline: '2026-07-01' })))).toBe(
      'VALIDATION_FAILED',
    );
    expect(
      code(() =>
        dispositionStep(at('feedbackReceived'), { ...complete('verifyOk'), deadline: '2026-07-01' }),
      ),
    ).toBe('VALIDATION_FAILED');
    const back = { ...complete('sendBackFeedback'), deadline: '2026-06-01' };
    expect(code(() => dispositionStep(at('feedbackReceived'), back))).toBe('VALIDATION_FAILED');
  });

  it('needs at least one well-formed attachment to report rectification', () => {
    const base = complete('reportRectified');
    expect(code(() => dispositionStep(at('rectifying'), { ...base, attachments: [] }))).toBe(
      'VALIDATION_FAILED',
    );
    const { attachments: _, ...none } = base;
    expect(code(() => dispositionStep(at('rectifying'), none))).toBe('VALIDATION_FAILED');
    const badSha = [{ name: 'a.pdf', sha256: 'A'.repeat(64) }];
    expect(code(() => dispositionStep(at('rectifying'), { ...base, attachments: badSha }))).toBe(
      'VALIDATION_FAILED',
    );
    const noName = [{ name: ' ', sha256: SHA }];
    expect(code(() => dispositionStep(at('rectifying'), { ...base, attachments: noName }))).toBe(
      'VALIDATION_FAILED',
    );
    expect(dispositionStep(at('rectifying'), base).sets).toEqual({ rectifiedBy: 'unitClerk' });
  });

  it('takes feedback with or without attachments', () => {
    const { attachments: _, ...plain } = complete('feedback');
    expect(dispositionStep(at('inquiryIssued'), plain).sets).toEqual({ feedbackBy: 'unitClerk' });
  });

  it('refuses a business date that is not a date and a blank actor', () => {
    expect(code(() => dispositionStep(snap(), inp('identifyNormal', { on: '2026-13-01' })))).toBe(
      'VALIDATION_FAILED',
    );
    expect(code(() => dispositionStep(snap(), inp('identifyNormal', { actor: ' ' })))).toBe(
      'VALIDATION_FAILED',
    );
  });
});

describe('separation of duties', () => {
  const fed = snap({
    status: 'feedbackReceived',
    identifiedBy: 'm1',
    feedbackBy: 'u1',
    deadline: '2026-06-20',
  });
  it.each(['verifyOk', 'confirmViolation', 'sendBackFeedback'] as const)(
    'who gave feedback cannot %s',
    (a) => {
      expect(code(() => dispositionStep(fed, { ...complete(a), actor: 'u1' }))).toBe('SOD_SAME_PERSON');
      expect(code(() => dispositionStep(fed, { ...complete(a), actor: 'm1' }))).toBeNull();
    },
  );

  const rect = snap({ status: 'rectified', identifiedBy: 'm1', feedbackBy: 'u1', rectifiedBy: 'u2' });
  it.each(['acceptRectification', 'rejectRectification'] as const)(
    'who reported rectification cannot %s',
    (a) => {
      expect(code(() => dispositionStep(rect, { ...complete(a), actor: 'u2' }))).toBe('SOD_SAME_PERSON');
      expect(code(() => dispositionStep(rect, { ...complete(a), actor: 'm1' }))).toBeNull();
    },
  );

  it('keeps the identifying monitor from answering for the unit', () => {
    const inq = snap({ status: 'inquiryIssued', identifiedBy: 'm1', deadline: '2026-06-20' });
    expect(code(() => dispositionStep(inq, { ...complete('feedback'), actor: 'm1' }))).toBe(
      'SOD_SAME_PERSON',
    );
    const rectifying = snap({ status: 'rectifying', identifiedBy: 'm1', deadline: '2026-06-20' });
    expect(code(() => dispositionStep(rectifying, { ...complete('reportRectified'), actor: 'm1' }))).toBe(
      'SOD_SAME_PERSON',
    );
  });

  it('names both roles in the refusal', () => {
    try {
      dispositionStep(fed, { ...complete('verifyOk'), actor: 'u1' });
      expect.unreachable();
    } catch (e) {
      expect((e as FiscusError).params).toMatchObject({ actor: 'u1' });
      expect(String((e as FiscusError).params.firstRole)).toContain('单位反馈');
      expect(String((e as FiscusError).params.secondRole)).toContain('核实无误');
    }
  });
});
