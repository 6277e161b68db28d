import { FiscusError } from '../../kernel/errors';
import { isIsoDate } from './rules';

/**
 * 预警处置 (warning disposition), pure: 预警 → 待认定 → 认定正常 (closed) or 疑似违规 → 问询单下发 →
 * 单位反馈 (with attachments) → 核实无误 (closed) or 认定违规 → 待整改 → 已整改 → 复核 (通过 closes, 退回
 * goes back to 待整改). `recorded` is a 记录-only warning: it was never meant to be disposed of.
 */
export const warningStatuses = [
  'recorded',
  'pending',
  'closedNormal',
  'suspected',
  'inquiryIssued',
  'feedbackReceived',
  'closedVerified',
  'rectifying',
  'rectified',
  'closedRectified',
] as const;
export type WarningStatus = (typeof warningStatuses)[number];

export const warningStatusNames: Record<WarningStatus, string> = {
  recorded: '已记录',
  pending: '待认定',
  closedNormal: '认定正常',
  suspected: '疑似违规',
  inquiryIssued: '已下发问询',
  feedbackReceived: '单位已反馈',
  closedVerified: '核实无误',
  rectifying: '待整改',
  rectified: '已整改',
  closedRectified: '整改通过',
};
const statusEn: Record<WarningStatus, string> = {
  recorded: 'recorded',
  pending: 'pending identification',
  closedNormal: 'closed as normal',
  suspected: 'suspected violation',
  inquiryIssued: 'inquiry issued',
  feedbackReceived: 'feedback received',
  closedVerified: 'closed as verified',
  rectifying: 'awaiting rectification',
  rectified: 'rectified',
  closedRectified: 'rectification accepted',
};

export type DispositionAction =
  | 'identifyNormal'
  | 'identifySuspect'
  | 'issueInquiry'
  | 'feedback'
  | 'verifyOk'
  | 'confirmViolation'
  | 'sendBackFeedback'
  | 'reportRectified'
  | 'acceptRectification'
  | 'rejectRectification';

export const dispositionActionNames: Record<DispositionAction, string> = {
  identifyNormal: '认定正常',
  identifySuspect: '认定疑似违规',
  issueInquiry: '下发问询单',
  feedback: '单位反馈',
  verifyOk: '核实无误',
  confirmViolation: '认定违规',
  sendBackFeedback: '退回反馈',
  reportRectified: '上报整改',
  acceptRectification: '整改通过',
  rejectRectification: '整改退回',
};
const actionEn: Record<DispositionAction, string> = {
  identifyNormal: 'identify as normal',
  identifySuspect: 'identify as suspected',
  issueInquiry: 'issue an inquiry',
  feedback: 'give feedback',
  verifyOk: 'verify as sound',
  confirmViolation: 'confirm the violation',
  sendBackFeedback: 'send the feedback back',
  reportRectified: 'report rectification',
  acceptRectification: 'accept the rectification',
  rejectRectification: 'reject the rectification',
};
const both = (a: DispositionAction): string => `${dispositionActionNames[a]} ${actionEn[a]}`;

/** monitor = 监控岗 (permission monitor.dispose); unit = the budget unit answering (monitor.respond). */
export type DispositionRole = 'monitor' | 'unit';
export const actionRole: Record<DispositionAction, DispositionRole> = {
  identifyNormal: 'monitor',
  identifySuspect: 'monitor',
  issueInquiry: 'monitor',
  feedback: 'unit',
  verifyOk: 'monitor',
  confirmViolation: 'monitor',
  sendBackFeedback: 'monitor',
  reportRectified: 'unit',
  acceptRectification: 'monitor',
  rejectRectification: 'monitor',
};

export interface WarningSnapshot {
  warningId: string;
  status: WarningStatus;
  /** who did each earlier step */
  identifiedBy: string | null;
  feedbackBy: string | null;
  rectifiedBy: string | null;
  /** YYYY-MM-DD: the unit's deadline to answer the inquiry or to rectify. */
  deadline: string | null;
}

export interface DispositionInput {
  action: DispositionAction;
  actor: string;
  opinion?: string;
  attachments?: readonly { name: string; sha256: string }[];
  /** YYYY-MM-DD: required by issueInquiry and confirmViolation, optional for the two send-backs. */
  deadline?: string;
  /** business date YYYY-MM-DD */
  on: string;
}

export interface DispositionStep {
  status: WarningStatus;
  deadline: string | null;
  closed: boolean;
  /** fields to record */
  sets: Partial<Pick<WarningSnapshot, 'identifiedBy' | 'feedbackBy' | 'rectifiedBy'>>;
}

/** The only legal moves: from → action → to. Anything not listed is STATE_INVALID. */
const moves: Record<DispositionAction, { from: WarningStatus; to: WarningStatus }> = {
  identifyNormal: { from: 'pending', to: 'closedNormal' },
  identifySuspect: { from: 'pending', to: 'suspected' },
  issueInquiry: { from: 'suspected', to: 'inquiryIssued' },
  feedback: { from: 'inquiryIssued', to: 'feedbackReceived' },
  verifyOk: { from: 'feedbackReceived', to: 'closedVerified' },
  confirmViolation: { from: 'feedbackReceived', to: 'rectifying' },
  sendBackFeedback: { from: 'feedbackReceived', to: 'inquiryIssued' },
  reportRectified: { from: 'rectifying', to: 'rectified' },
  acceptRectification: { from: 'rectified', to: 'closedRectified' },
  rejectRectification: { from: 'rectified', to: 'rectifying' },
};

/** Why the opinion is required, per action; the text names what the opinion is. */
const opinionNeeded: Partial<Record<DispositionAction, string>> = {
  identifySuspect: '疑似违规说明 the suspicion',
  feedback: '反馈说明 the feedback',
  confirmViolation: '违规认定意见 the finding',
  sendBackFeedback: '退回原因 the reason',
  rejectRectification: '退回原因 the reason',
};
const deadlineRule: Partial<Record<DispositionAction, 'required' | 'optional'>> = {
  issueInquiry: 'required',
  confirmViolation: 'required',
  sendBackFeedback: 'optional',
  rejectRectification: 'optional',
};
const closedStatuses: ReadonlySet<WarningStatus> = new Set([
  'recorded',
  'closedNormal',
  'closedVerified',
  'closedRectified',
]);
/** The statuses in which the ball is in the unit's court; only these can run late. */
const awaitingUnit: ReadonlySet<WarningStatus> = new Set(['inquiryIssued', 'rectifying']);
const SHA256 = /^[0-9a-f]{64}$/;

export function isClosed(s: WarningStatus): boolean {
  return closedStatuses.has(s);
}

const invalid = (zh: string, en: string): FiscusError =>
  new FiscusError('VALIDATION_FAILED', { detail: `${zh} ${en}` });

function requireDate(s: string, zh: string, en: string): void {
  if (!isIsoDate(s)) throw invalid(`${zh}不是有效日期：${s}`, `${en} is not a valid date: ${s}`);
}

export function dispositionStep(w: WarningSnapshot, input: DispositionInput): DispositionStep {
  const { action, actor } = input;
  const move = moves[action];
  if (move.from !== w.status)
    throw new FiscusError('STATE_INVALID', {
      entity: '预警 warning',
      key: w.warningId,
      state: `${warningStatusNames[w.status]} ${statusEn[w.status]}`,
      action: both(action),
    });
  if (actor.trim() === '') throw invalid('操作人不能为空', 'actor is required');
  separate(w, actor, action);

  requireDate(input.on, '业务日期', 'business date');
  const topic = opinionNeeded[action];
  if (topic !== undefined && !input.opinion?.trim())
    throw invalid(`${dispositionActionNames[action]}须填写${topic}`, `${actionEn[action]} needs an opinion`);
  for (const a of input.attachments ?? []) {
    if (a.name.trim() === '' || !SHA256.test(a.sha256))
      throw invalid('附件须有名称和 SHA-256 摘要', 'an attachment needs a name and a sha256 digest');
  }
  if (action === 'reportRectified' && (input.attachments ?? []).length === 0)
    throw invalid('请上传整改附件', 'rectification needs at least one attachment');

  let deadline = w.deadline;
  const rule = deadlineRule[action];
  if (input.deadline !== undefined) {
    // Refused, not ignored: a deadline sent with the wrong action is a caller's mistake.
    if (rule === undefined)
      throw invalid(`${dispositionActionNames[action]}不设期限`, `${actionEn[action]} takes no deadline`);
    requireDate(input.deadline, '期限', 'deadline');
    if (input.deadline < input.on)
      throw invalid('期限不能早于业务日期', 'the deadline is before the business date');
    deadline = input.deadline;
  } else if (rule === 'required') {
    throw invalid(`${dispositionActionNames[action]}须设定期限`, `${actionEn[action]} needs a deadline`);
  }

  const sets: DispositionStep['sets'] = {};
  if (action === 'identifyNormal' || action === 'identifySuspect') sets.identifiedBy = actor;
  if (action === 'feedback') sets.feedbackBy = actor;
  if (action === 'reportRectified') sets.rectifiedBy = actor;
  const closed = isClosed(move.to);
  // A closed warning has no deadline left to chase.
  return { status: move.to, deadline: closed ? null : deadline, closed, sets };
}

/**
 * 不相容职务分离: the unit never judges its own answer, and the monitor who identified the warning
 * never answers for the unit. The same monitor may carry the case from identification to the end.
 */
function separate(w: WarningSnapshot, actor: string, action: DispositionAction): void {
  const clash = (who: string | null, first: string): void => {
    if (who === actor)
      throw new FiscusError('SOD_SAME_PERSON', { actor, firstRole: first, secondRole: both(action) });
  };
  if (action === 'verifyOk' || action === 'confirmViolation' || action === 'sendBackFeedback')
    clash(w.feedbackBy, both('feedback'));
  if (action === 'acceptRectification' || action === 'rejectRectification')
    clash(w.rectifiedBy, both('reportRectified'));
  if (actionRole[action] === 'unit') clash(w.identifiedBy, '认定 identification');
}

/** Whole days from `from` to `to` (negative when `to` is earlier), by UTC calendar arithmetic. */
export function daysBetween(from: string, to: string): number {
  requireDate(from, '日期', 'date');
  requireDate(to, '日期', 'date');
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * Late: the unit still owes an answer or a rectification and the deadline has passed. A warning
 * whose answer is with the monitor (单位已反馈, 已整改) is not the unit's delay, so it is not overdue.
 */
export function overdue(w: WarningSnapshot, today: string): boolean {
  requireDate(today, '日期', 'date');
  return awaitingUnit.has(w.status) && w.deadline !== null && today > w.deadline;
}

/** 督办 escalation: 0 on time, 1 late 1–7 days, 2 late 8–30 days, 3 later. */
export function escalationLevel(deadline: string, today: string): 0 | 1 | 2 | 3 {
  const late = daysBetween(deadline, today);
  if (late <= 0) return 0;
  if (late <= 7) return 1;
  if (late <= 30) return 2;
  return 3;
}
