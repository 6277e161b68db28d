import type { PaymentState } from '@fiscus/contracts';

/** Words of the 支付管理 screens. */

export const t = {
  menu: '支付管理',
  apply: '支付申请',
  list: '支付申请列表',
  detail: '支付详情',
} as const;

export type { PaymentState };

export const stateNames: Record<PaymentState, { text: string; color: string }> = {
  draft: { text: '未送审', color: 'default' },
  submitted: { text: '已送审', color: 'processing' },
  unitApproved: { text: '单位已审', color: 'cyan' },
  approved: { text: '已审未支付', color: 'green' },
  held: { text: '监控拦截', color: 'error' },
  voucherSigned: { text: '凭证已签章', color: 'purple' },
  paid: { text: '已支付', color: 'success' },
  bankReturned: { text: '银行退回', color: 'volcano' },
  refunded: { text: '已退票', color: 'magenta' },
  returned: { text: '已退回', color: 'orange' },
  refused: { text: '已拒绝', color: 'red' },
  voided: { text: '已作废', color: 'default' },
};

export const stateText = (s: string): string => stateNames[s as PaymentState]?.text ?? s;

export const payTypeNames: Record<string, string> = {
  direct: '财政直接支付',
  authorized: '财政授权支付',
  allocation: '实拨',
};

export const actionNames: Record<string, string> = {
  draft: '新建',
  update: '修改',
  cosign: '加签',
  submit: '送审',
  withdraw: '撤回',
  unitApprove: '单位审核',
  approve: '审核通过',
  return: '退回',
  refuse: '拒绝',
  void: '作废',
  sign: '签章生成凭证',
  bankPaid: '银行回单（已支付）',
  bankReturn: '银行退回',
  refund: '退票（退款通知书）',
  monitorHold: '动态监控拦截',
  monitorForbid: '动态监控禁止',
  monitorWarn: '动态监控预警',
  release: '监控放行',
  correct: '监控改正（退回修改）',
  forbid: '监控禁止',
};

export const libraryStatusNames: Record<string, string> = {
  '0': '未接收',
  '1': '已接收',
  '2': '接收失败',
  '3': '签收成功',
  '4': '签收失败',
  '5': '已回单',
  '6': '被退回',
};
