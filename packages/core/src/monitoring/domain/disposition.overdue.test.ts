import { describe, expect, it } from 'vitest';
import { errorCodeOf as code } from '../../kernel/errors-testing';
import {
  actionRole,
  type DispositionAction,
  dispositionActionNames,
  escalationLevel,
  isClosed,
  overdue,
  type WarningSnapshot,
  warningStatuses,
  warningStatusNames,
} from './disposition';

const actions = Object.keys(dispositionActionNames) as DispositionAction[];
const snap = (over: Partial<WarningSnapshot> = {}): WarningSnapshot => ({
  warningId: 'YJ1',
  status: 'pending',
  identifiedBy: null,
  feedbackBy: null,
  rectifiedBy: null,
  deadline: null,
  ...over,
});

describe('names, roles and closing', () => {
  it('names every status and action in Chinese', () => {
    expect(Object.values(warningStatusNames)).toEqual([
      ...['已记录', '待认定', '认定正常', '疑似违规', '已下发问询'],
      ...['单位已反馈', '核实无误', '待整改', '已整改', '整改通过'],
    ]);
    expect(Object.keys(warningStatusNames)).toEqual([...warningStatuses]);
    for (const a of actions) expect(dispositionActionNames[a]).toMatch(/\p{Script=Han}/u);
  });

  it('gives the unit only feedback and the rectification report', () => {
    expect(actions.filter((a) => actionRole[a] === 'unit').sort()).toEqual(['feedback', 'reportRectified']);
    expect(actions.filter((a) => actionRole[a] === 'monitor')).toHaveLength(8);
  });

  it('counts recorded and the three closings as closed', () => {
    expect(warningStatuses.filter(isClosed)).toEqual([
      'recorded',
      'closedNormal',
      'closedVerified',
      'closedRectified',
    ]);
  });
});

describe('overdue and escalation', () => {
  const inq = snap({ status: 'inquiryIssued', deadline: '2026-06-20' });
  it('is overdue only after the deadline, while the unit owes an answer', () => {
    expect(overdue(inq, '2026-06-20')).toBe(false);
    expect(overdue(inq, '2026-06-21')).toBe(true);
    expect(overdue({ ...inq, status: 'rectifying' }, '2026-07-01')).toBe(true);
    expect(overdue({ ...inq, deadline: null }, '2026-07-01')).toBe(false);
    expect(overdue({ ...inq, status: 'closedRectified' }, '2026-07-01')).toBe(false);
    // The unit answered; the delay, if any, is the monitor's.
    expect(overdue({ ...inq, status: 'feedbackReceived' }, '2026-07-01')).toBe(false);
    expect(overdue({ ...inq, status: 'rectified' }, '2026-07-01')).toBe(false);
    expect(code(() => overdue(inq, '2026-06-31'))).toBe('VALIDATION_FAILED');
  });

  it.each([
    ['2026-06-20', '2026-06-01', 0],
    ['2026-06-20', '2026-06-20', 0],
    ['2026-06-20', '2026-06-21', 1],
    ['2026-06-20', '2026-06-27', 1],
    ['2026-06-20', '2026-06-28', 2],
    ['2026-06-20', '2026-07-20', 2],
    ['2026-06-20', '2026-07-21', 3],
    ['2024-02-28', '2024-03-06', 1], // 2024-02-29 exists: 7 days
    ['2023-02-28', '2023-03-08', 2], // no leap day: 8 days
    ['2025-12-31', '2026-01-31', 3],
  ] as const)('deadline %s, today %s → level %i', (deadline, today, level) => {
    expect(escalationLevel(deadline, today)).toBe(level);
  });

  it('refuses dates that do not exist', () => {
    expect(code(() => escalationLevel('2026-02-29', '2026-03-01'))).toBe('VALIDATION_FAILED');
  });
});
