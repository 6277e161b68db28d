import type { ruleActions, ruleTriggers, warningLevels } from '@fiscus/contracts';

/**
 * Words of the 监控规则 screens. The names repeat `warningLevelNames`, `ruleActionNames` and
 * `ruleTriggerNames` of @fiscus/contracts (the web imports only types from there, so that zod stays
 * out of the bundle); the `Record` types keep them complete when the contract grows.
 */

export const t = {
  menu: '动态监控',
  rules: '监控规则',
  newRule: '新建监控规则',
  editRule: '编辑监控规则',
  install: '安装内置规则',
} as const;

export type WarningLevel = (typeof warningLevels)[number];
export type RuleAction = (typeof ruleActions)[number];
export type RuleTrigger = (typeof ruleTriggers)[number];
export type RuleLevel = 'system' | 'finance' | 'department';

export const warningLevelNames: Record<WarningLevel, string> = {
  yellow: '黄色预警',
  orange: '橙色预警',
  red: '红色预警',
  grey: '灰色预警',
  blue: '蓝色预警',
};

/** Tag colours of the levels (antd preset colours; 灰色 as the default grey tag). */
export const warningLevelColors: Record<WarningLevel, string> = {
  yellow: 'gold',
  orange: 'orange',
  red: 'red',
  grey: 'default',
  blue: 'blue',
};

export const ruleActionNames: Record<RuleAction, string> = {
  warn: '预警',
  warnExplain: '预警（需说明）',
  hold: '拦截',
  freeze: '冻结',
  forbid: '禁止',
  record: '记录',
};

export const ruleTriggerNames: Record<RuleTrigger, string> = {
  submit: '事中（送审时）',
  approve: '事中（支付审核时）',
  scheduled: '定时',
};

export const ruleLevelNames: Record<RuleLevel, string> = {
  system: '系统级',
  finance: '财政级',
  department: '部门级',
};

/** 监控主题 of the built-in catalogue; a rule may name another theme. */
export const themeNames: Record<string, string> = {
  fundFlow: '资金流向',
  personalTransfer: '向个人转账',
  cash: '现金提取',
  officialCard: '公务卡',
  sanGong: '三公经费',
  payee: '收款人',
  progress: '支出进度',
  time: '支付时间',
  procurement: '政府采购',
  salary: '工资福利',
  ratio: '比例控制',
  directReach: '直达资金',
  outlier: '异常金额',
};

export const themeText = (theme: string): string =>
  themeNames[theme] ? `${themeNames[theme]}（${theme}）` : theme;

export const levelOptions = Object.entries(warningLevelNames).map(([value, label]) => ({ value, label }));
export const actionOptions = Object.entries(ruleActionNames).map(([value, label]) => ({ value, label }));
export const triggerOptions = Object.entries(ruleTriggerNames).map(([value, label]) => ({ value, label }));
export const ruleLevelOptions = Object.entries(ruleLevelNames).map(([value, label]) => ({ value, label }));

/** How a parameter is typed in the editor. */
export type ParamKind = 'number' | 'text' | 'boolean' | 'codes' | 'yuan';
export const paramKindNames: Record<ParamKind, string> = {
  number: '数字',
  text: '文本',
  boolean: '是/否',
  codes: '编码列表',
  yuan: '金额（元）',
};

/** The condition language, for the help panel next to the condition (see core parser.ts, functions.ts). */
export const languageHelp = {
  fields: [
    [
      'payment.*',
      '支付：amount 金额、on 日期、month 月、day 日、time 时间(HH:MM)、payType、purpose 用途、settlementMode 结算方式(cash/transfer/officialCard…)、contractNo、procurement、viaPayroll',
    ],
    [
      'payee.*',
      '收款人：name、accountNo、accountKind 账户性质(personal/corporate/ownUnit/zeroBalance/special/township)、bankCode、isFirstTime',
    ],
    ['payer.accountKind', '付款账户性质'],
    [
      'indicator.*',
      '指标：id、fundTypeCode、expFuncCode、depEcoCode、govEcoCode、isDirectReach、sanGong、officialCardMandatory、amount、used',
    ],
    ['details', '明细列表：d.depEcoCode、d.amount、d.isCash'],
    ['beneficiaries', '受益对象列表：b.kind(person/enterprise)、b.name、b.idNo、b.amount'],
    ['params.名称', '本规则的参数'],
  ],
  operators: [
    ['and  or  not', '逻辑运算（不能连写比较，请加括号）'],
    ['=  !=  <  <=  >  >=', '比较'],
    ['+  -  *  /', '算术'],
    ['in [..]  not in', "属于列表：payee.accountKind in ['special', 'ownUnit']"],
    ['between a and b', '区间（含两端）'],
    ['contains  startsWith  endsWith', "文本：payment.purpose contains '报销'"],
    ["5000元  yuan('5000.00')", '金额字面量（金额不能与数字直接比较）'],
    ["'文本'  true  false  null", '字面量'],
  ],
  functions: [
    ['any / all / count / filter(list, x -> 条件)', '列表函数：any(details, d -> d.isCash)'],
    ['sumOf(list, x -> 金额)', '金额合计'],
    ['isEmpty(文本)  len(列表或文本)  fenAsNumber(金额)', '内置函数'],
    ['countSamePayee(天数)  sumSamePayee(天数)', 'N 天内向同一收款人的支付笔数 / 金额'],
    ['countSamePayeeAmount(天数)', 'N 天内同一收款人同金额的支付笔数'],
    ['unitMonthTotal()  unitYearTotal()', '本单位本月 / 本年已支付合计'],
    ["cashTotal('month'|'year')", '本单位本月或本年提现合计'],
    ["ecoYearTotal('302')  unitPayrollTotal()", '本年某经济分类(前缀)支出 / 工资总额'],
    ["unitEcoHistoryStats('30201')", '历史单笔 mean / stddev / count（分）'],
    ['payeeFirstSeen()  isWorkingDay()', "首次向该收款人支付日期（从未为 ''）/ 是否工作日"],
  ],
} as const;

/** 预警状态 (core monitoring/domain/disposition.ts `warningStatusNames`). */
export const warningStatusNames: Record<string, string> = {
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

/** 支付申请状态, for the backtest samples (the 支付管理 screens' words). */
export const paymentStateNames: Record<string, string> = {
  draft: '未送审',
  submitted: '已送审',
  unitApproved: '单位已审',
  approved: '已审未支付',
  held: '监控拦截',
  voucherSigned: '凭证已签章',
  paid: '已支付',
  bankReturned: '银行退回',
  refunded: '已退票',
  returned: '已退回',
  refused: '已拒绝',
  voided: '已作废',
};
