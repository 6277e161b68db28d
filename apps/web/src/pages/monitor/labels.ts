/**
 * Words of the 动态监控 screens, mirroring packages/core/src/monitoring/domain/disposition.ts and
 * the contracts' level names (the web does not import core).
 */

export const t = {
  menu: '动态监控',
  warnings: '预警处理',
  warningDetail: '预警详情',
  dashboard: '监控看板',
} as const;

export type WarningLevel = 'yellow' | 'orange' | 'red' | 'grey' | 'blue';

export const levelNames: Record<WarningLevel, { text: string; color: string; chart: string }> = {
  red: { text: '红色预警', color: 'red', chart: '#f5222d' },
  orange: { text: '橙色预警', color: 'orange', chart: '#fa8c16' },
  yellow: { text: '黄色预警', color: 'gold', chart: '#fadb14' },
  blue: { text: '蓝色预警', color: 'blue', chart: '#1677ff' },
  grey: { text: '灰色预警', color: 'default', chart: '#8c8c8c' },
};

export const levelText = (l: string): string => levelNames[l as WarningLevel]?.text ?? l;

export type WarningStatus =
  | 'recorded'
  | 'pending'
  | 'closedNormal'
  | 'suspected'
  | 'inquiryIssued'
  | 'feedbackReceived'
  | 'closedVerified'
  | 'rectifying'
  | 'rectified'
  | 'closedRectified';

export const statusNames: Record<WarningStatus, { text: string; color: string }> = {
  recorded: { text: '已记录', color: 'default' },
  pending: { text: '待认定', color: 'processing' },
  closedNormal: { text: '认定正常', color: 'success' },
  suspected: { text: '疑似违规', color: 'warning' },
  inquiryIssued: { text: '已下发问询', color: 'orange' },
  feedbackReceived: { text: '单位已反馈', color: 'cyan' },
  closedVerified: { text: '核实无误', color: 'success' },
  rectifying: { text: '待整改', color: 'volcano' },
  rectified: { text: '已整改', color: 'geekblue' },
  closedRectified: { text: '整改通过', color: 'success' },
};

export const statusText = (s: string): string => statusNames[s as WarningStatus]?.text ?? s;

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

export const actionNames: Record<DispositionAction, string> = {
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

/** Trail entries that are not disposition moves. */
export const eventNames: Record<string, string> = {
  ...actionNames,
  raise: '触发预警',
  holdRelease: '拦截放行',
  holdCorrect: '拦截改正（退回修改）',
  holdForbid: '拦截禁止',
  escalate: '督办升级',
};

/** monitor = 监控岗 (monitor.dispose); unit = the budget unit answering (monitor.respond). */
export const actionRole: Record<DispositionAction, 'monitor' | 'unit'> = {
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

/** The legal moves: the status an action starts from. */
export const actionFrom: Record<DispositionAction, WarningStatus> = {
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

/** What the opinion is called when the action requires one. */
export const opinionRequired: Partial<Record<DispositionAction, string>> = {
  identifySuspect: '疑似违规说明',
  feedback: '反馈说明',
  confirmViolation: '违规认定意见',
  sendBackFeedback: '退回原因',
  rejectRectification: '退回原因',
};

export const deadlineRule: Partial<Record<DispositionAction, 'required' | 'optional'>> = {
  issueInquiry: 'required',
  confirmViolation: 'required',
  sendBackFeedback: 'optional',
  rejectRectification: 'optional',
};

/** Actions that reject or close against the unit: shown as danger buttons. */
export const dangerActions: ReadonlySet<DispositionAction> = new Set([
  'confirmViolation',
  'sendBackFeedback',
  'rejectRectification',
]);

export const dispositionActions = Object.keys(actionFrom) as DispositionAction[];

/** The actions someone may take on a warning in `status`, given what they may do. */
export function allowedActions(status: string, can: (p: string) => boolean): DispositionAction[] {
  return dispositionActions.filter(
    (a) =>
      actionFrom[a] === status &&
      (actionRole[a] === 'monitor' ? can('monitor.dispose') : can('monitor.respond')),
  );
}

export const closedStatuses: ReadonlySet<string> = new Set([
  'recorded',
  'closedNormal',
  'closedVerified',
  'closedRectified',
]);

export const ruleActionNames: Record<string, string> = {
  warn: '预警',
  warnExplain: '预警（需说明）',
  hold: '拦截',
  freeze: '冻结',
  forbid: '禁止',
  record: '记录',
};

export const triggerNames: Record<string, string> = {
  submit: '事中（送审时）',
  approve: '事中（支付审核时）',
  scheduled: '定时',
};

/** 拦截/冻结 的处理 by the reviewer. */
export const holdDecisionNames = {
  release: '放行',
  correct: '改正（退回修改）',
  forbid: '禁止',
} as const;
export type HoldDecision = keyof typeof holdDecisionNames;

export const escalationNames = ['', '督办一级', '督办二级', '督办三级'];
