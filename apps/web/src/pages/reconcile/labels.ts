import type {
  differenceKinds,
  differenceResolutions,
  differenceStates,
  reconcileLayers,
  reconcilePairs,
  reconcileParties,
} from '@fiscus/contracts';

/**
 * Words of the 国库清算与对账 screens, mirroring packages/contracts/src/reconcile.ts (the web imports
 * only types from there, so that zod stays out of the bundle; `satisfies` keeps the keys in step).
 */

export const t = {
  menu: '国库清算与对账',
  dashboard: '对账',
  differences: '对账差异',
  differenceDetail: '差异详情',
  clearing: '清算额度',
} as const;

export type Layer = (typeof reconcileLayers)[number];
export type Pair = (typeof reconcilePairs)[number];
export type Party = (typeof reconcileParties)[number];
export type DifferenceKind = (typeof differenceKinds)[number];
export type DifferenceState = (typeof differenceStates)[number];
export type Resolution = (typeof differenceResolutions)[number];

export const layers: readonly Layer[] = ['L1', 'L2', 'L3'];

export const layerNames = {
  L1: { text: '凭证级', hint: '支付凭证：财政回单 / 代理银行日报（2206）/ 人行凭证对账单（3501）' },
  L2: {
    text: '清算/额度级',
    hint: '清算额度通知单（5108/5106）/ 人行清算（3501、3410、清算信息对账 3504）/ 代理银行日报合计',
  },
  L3: { text: '账户级', hint: '零余额账户与国库单一账户对账单（3513）、单位支付与指标账' },
} satisfies Record<Layer, { text: string; hint: string }>;

export const pairs: readonly Pair[] = ['finance-bank', 'finance-pboc', 'bank-pboc', 'finance-ledger'];

export const pairNames = {
  'finance-bank': '财政–代理银行',
  'finance-pboc': '财政–人民银行',
  'bank-pboc': '代理银行–人民银行',
  'finance-ledger': '支付凭证–指标账',
} satisfies Record<Pair, string>;

/** What a pair compares in L3 (account level): the accounts, not the vouchers. */
export const l3PairNames: Partial<Record<Pair, string>> = {
  'finance-bank': '零余额账户（3513）',
  'finance-pboc': '国库单一账户（3513）',
  'finance-ledger': '单位支付–指标账',
};

export const pairText = (layer: string, pair: string): string =>
  (layer === 'L3' ? l3PairNames[pair as Pair] : undefined) ?? pairNames[pair as Pair] ?? pair;

export const partyNames = {
  finance: '财政',
  bank: '代理银行',
  pboc: '人民银行国库',
} satisfies Record<Party, string>;

export const partyText = (p: string | null | undefined): string => (p ? (partyNames[p as Party] ?? p) : '-');

export const kindNames = {
  missing: { text: '缺失', color: 'red' },
  duplicated: { text: '重复', color: 'orange' },
  amount: { text: '金额不符', color: 'volcano' },
  element: { text: '要素不符', color: 'gold' },
  signature: { text: '签名无效', color: 'magenta' },
  identity: { text: '恒等式不平', color: 'purple' },
} satisfies Record<DifferenceKind, { text: string; color: string }>;

export const kindText = (k: string): string => kindNames[k as DifferenceKind]?.text ?? k;

export const stateNames = {
  open: { text: '待处理', color: 'error' },
  assigned: { text: '已指派', color: 'processing' },
  explained: { text: '已说明', color: 'warning' },
  resolved: { text: '已处理完毕', color: 'success' },
} satisfies Record<DifferenceState, { text: string; color: string }>;

export const stateText = (s: string): string => stateNames[s as DifferenceState]?.text ?? s;

export const resolutionNames = {
  corrected: '财政已更正',
  counterpartCorrected: '对方已更正',
  timing: '在途（时间性差异）',
  accepted: '确认无误',
} satisfies Record<Resolution, string>;

export type DispositionAction = 'assign' | 'explain' | 'resolve';

export const actionNames = {
  assign: '指派',
  explain: '说明',
  resolve: '处理完毕',
} satisfies Record<DispositionAction, string>;

/** The state machine of packages/core/src/reconcile/domain/disposition.ts: where each action starts. */
export const actionFrom: Record<DispositionAction, readonly DifferenceState[]> = {
  assign: ['open', 'assigned'],
  explain: ['assigned'],
  resolve: ['explained'],
};

export const actionPermission: Record<DispositionAction, string> = {
  assign: 'reconcile.assign',
  explain: 'reconcile.explain',
  resolve: 'reconcile.resolve',
};

/** The actions someone may take on a difference in `state`; explain is the assignee's only. */
export function allowedActions(
  d: { state: string; assignee: string | null },
  can: (p: string) => boolean,
  me: string,
): DispositionAction[] {
  return (Object.keys(actionFrom) as DispositionAction[]).filter(
    (a) =>
      actionFrom[a].includes(d.state as DifferenceState) &&
      can(actionPermission[a]) &&
      (a !== 'explain' || d.assignee === me),
  );
}

/** Words of the trail (difference_event.action). */
export const eventNames: Record<string, string> = { ...actionNames };

export const runStateNames: Record<string, { text: string; color: string }> = {
  current: { text: '当前结果', color: 'blue' },
  superseded: { text: '已被重跑取代', color: 'default' },
};

/** The sides a difference detail shows, in this order. */
export const sideOrder: readonly Party[] = ['finance', 'bank', 'pboc'];
