import type { DocState, DocType, Pool } from './types';

/** Chinese names of the 指标管理 codes the API sends (types, states, scenarios …). */

export const t = {
  menu: '指标管理',
  list: '指标台账',
  detail: '指标详情',
  entry: '指标单录入',
  docs: '指标单查询',
  docDetail: '指标单详情',
  inbox: '审批待办',
  levels: '上下级对账',
  saved: '已保存草稿 {docId}',
  submitted: '已送审 {docId}',
  approved: '已审核通过 {docId}',
  returned: '已退回 {docId}',
  withdrawn: '已撤销送审 {docId}',
  voided: '已作废 {docId}',
  totalsRow: '全部筛选结果',
};

export const docTypeNames: Record<DocType, string> = {
  approve: '批复',
  allocate: '分配',
  issue: '下达',
  advanceIssue: '提前下达',
  adjust: '调整',
  transfer: '调剂',
  freeze: '冻结',
  unfreeze: '解冻',
  recall: '收回',
};

/** Full document names, as on the printed 指标单. */
export const docTypeTitles: Record<DocType, string> = {
  approve: '指标批复单',
  allocate: '指标分配单',
  issue: '转移支付下达单',
  advanceIssue: '提前下达单',
  adjust: '指标调整单',
  transfer: '指标调剂单',
  freeze: '指标冻结单',
  unfreeze: '指标解冻单',
  recall: '指标收回单',
};

export const docTypeOrder: DocType[] = [
  'approve',
  'allocate',
  'issue',
  'advanceIssue',
  'adjust',
  'transfer',
  'freeze',
  'unfreeze',
  'recall',
];

export const stateNames: Record<DocState, { text: string; color: string }> = {
  draft: { text: '未送审', color: 'default' },
  submitted: { text: '审核中', color: 'processing' },
  approved: { text: '已生效', color: 'success' },
  returned: { text: '已退回', color: 'warning' },
  voided: { text: '已作废', color: 'error' },
};

export const poolNames: Record<Pool, { text: string; color: string }> = {
  executable: { text: '可执行', color: 'green' },
  unallocated: { text: '待分', color: 'blue' },
};

export const actionNames: Record<string, string> = {
  draft: '制单',
  update: '修改',
  submit: '送审',
  approve: '审核通过',
  return: '退回',
  withdraw: '撤销送审',
  void: '作废',
};

export const scenarioNames: Record<string, string> = {
  approve: '批复',
  allocate: '分配',
  upperReceipt: '上级下达',
  issueToLower: '下达下级',
  advanceIssue: '提前下达',
  adjust: '调整',
  transfer: '调剂',
  freeze: '冻结',
  unfreeze: '解冻',
  recall: '收回',
  usePlan: '用款计划',
  applicationApproved: '支付申请审核',
  bankPaid: '银行支付',
  voucherReturned: '凭证退回',
  refund: '退款',
  correction: '更正',
  carryForward: '结转',
  lapse: '结余',
  opening: '期初',
};

export const originKindNames: Record<string, string> = {
  approve: '批复',
  allocate: '分配',
  transfer: '调剂',
  receipt: '上级下达',
  advanceReceipt: '上级提前下达',
  carryForward: '上年结转',
};

export const differenceNames: Record<string, string> = {
  missing: '下级未收到',
  unexpected: '上级无此下达',
  duplicated: '重复入账',
  amountMismatch: '金额不一致',
  ledgerMismatch: '账务不一致',
  elementMismatch: '要素不一致',
};

export const transferStateNames: Record<string, string> = {
  pending: '待投递',
  delivered: '已投递',
  returned: '已退回',
  received: '已接收',
  acknowledged: '已确认',
};

export const fundingSourceNames: Record<string, string> = {
  ownFinance: '本级财力',
  upperSubsidy: '上级补助',
  debt: '债务资金',
  reserve: '预备费',
  surplus: '结余资金',
  other: '其他',
};

export const flagNames: Record<string, string> = {
  directReach: '直达资金',
  sanGong: '三公经费',
  salary: '工资',
  govProcurement: '政府采购',
  unionFee: '工会经费',
  povertyRelief: '扶贫',
  toPeople: '补贴到人到企',
};

/** Element fields of a new indicator, in the order forms and the detail page show them. */
export const elementLabels: Record<string, string> = {
  agencyCode: '预算单位',
  deptCode: '部门',
  projectCode: '项目',
  expFuncCode: '支出功能分类',
  tpFuncCode: '转移支付功能分类',
  govEcoCode: '政府经济分类',
  depEcoCode: '部门经济分类',
  fundTypeCode: '资金性质',
  sourceTypeCode: '指标来源',
  indicatorTypeCode: '指标类型',
  payTypeCode: '支付方式',
  manageDivCode: '业务主管处室',
  docNo: '文号',
  supDocNo: '上级文号',
  receivingRegion: '接收区划',
  trackProjectCode: '追踪项目',
  indicatorId: '指标编号',
  originIndicatorId: '来源指标',
};
