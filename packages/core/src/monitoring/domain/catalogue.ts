import type { MonitorRule, RuleAction, RuleTrigger, WarningLevel } from './rules';
import type { RuleParam } from './subject';

interface Entry {
  code: string;
  name: string;
  theme: string;
  basis: string;
  trigger?: RuleTrigger;
  condition: string;
  params?: Record<string, RuleParam>;
  level: WarningLevel;
  action: RuleAction;
  zh: string;
  en: string;
}

const BASIS_TSA = '《财政国库管理制度改革试点方案》《预算执行动态监控》';
const BASIS_CASH = '《现金管理暂行条例》';
const BASIS_CARD = '《中央预算单位公务卡强制结算目录》';
const BASIS_DIRECT = '《常态化财政资金直达机制》';
const BASIS_AUSTERITY = '《党政机关厉行节约反对浪费条例》';

/** Money helper for thresholds: whole yuan → fen. */
const yuan = (y: number): bigint => BigInt(y) * 100n;

/**
 * Built-in 监控规则 (DOMAIN.md §5.2). Thresholds are [R] defaults in `params`; a region overrides
 * them by saving a new version of the rule with its own scope. Codes are stable, messages are not.
 */
const ENTRIES: readonly Entry[] = [
  {
    code: 'ZERO_BALANCE_TO_OWN_ACCOUNT',
    name: '零余额账户向本单位实有资金账户划转',
    theme: 'fundFlow',
    basis: BASIS_TSA,
    condition: "payer.accountKind = 'zeroBalance' and payee.accountKind = 'ownUnit'",
    level: 'red',
    action: 'hold',
    zh: '零余额账户向本单位实有资金账户划转 {amount} 元',
    en: 'Transfer of {amount} yuan from the zero-balance account to the unit’s own account',
  },
  {
    code: 'PERSONAL_TRANSFER_NON_SALARY',
    name: '向个人账户转账（非工资、非报销）',
    theme: 'personalTransfer',
    basis: BASIS_TSA,
    condition:
      "payee.accountKind = 'personal' and payment.amount >= params.threshold and not (payment.purpose contains '报销')" +
      ' and not any(details, d -> any(params.allowedEcoPrefixes, p -> d.depEcoCode startsWith p))',
    params: { threshold: yuan(5000), allowedEcoPrefixes: ['301', '303'] },
    level: 'orange',
    action: 'warnExplain',
    zh: '向个人账户 {payee} 转账 {amount} 元，且不属于工资或报销',
    en: 'Transfer of {amount} yuan to personal account {payee} that is neither salary nor reimbursement',
  },
  {
    code: 'PERSONAL_TRANSFER_LARGE',
    name: '向个人账户大额转账单笔',
    theme: 'personalTransfer',
    basis: BASIS_TSA,
    condition:
      "payee.accountKind = 'personal' and payment.amount >= params.threshold and not payment.viaPayroll",
    params: { threshold: yuan(500000) },
    level: 'red',
    action: 'hold',
    zh: '单笔向个人账户 {payee} 大额转账 {amount} 元',
    en: 'Single large transfer of {amount} yuan to personal account {payee}',
  },
  {
    code: 'CASH_LARGE_SINGLE',
    name: '单笔大额提现',
    theme: 'cash',
    basis: BASIS_CASH,
    condition:
      "(payment.settlementMode = 'cash' or any(details, d -> d.isCash)) and payment.amount >= params.threshold",
    params: { threshold: yuan(50000) },
    level: 'orange',
    action: 'warnExplain',
    zh: '单笔提现 {amount} 元，超过大额提现标准',
    en: 'Single cash withdrawal of {amount} yuan above the large-withdrawal threshold',
  },
  {
    code: 'CASH_CUMULATIVE_MONTH',
    name: '当月累计提现超限',
    theme: 'cash',
    basis: BASIS_CASH,
    condition: "payment.settlementMode = 'cash' and cashTotal('month') + payment.amount > params.limit",
    params: { limit: yuan(200000) },
    level: 'yellow',
    action: 'warn',
    zh: '本月累计提现超过限额（本笔 {amount} 元）',
    en: 'Cash withdrawals this month exceed the limit (this one {amount} yuan)',
  },
  {
    code: 'CASH_CUMULATIVE_YEAR',
    name: '全年累计提现超限',
    theme: 'cash',
    basis: BASIS_CASH,
    condition: "payment.settlementMode = 'cash' and cashTotal('year') + payment.amount > params.limit",
    params: { limit: yuan(1000000) },
    level: 'orange',
    action: 'warnExplain',
    zh: '全年累计提现超过限额（本笔 {amount} 元）',
    en: 'Cash withdrawals this year exceed the limit (this one {amount} yuan)',
  },
  {
    code: 'OFFICIAL_CARD_MANDATORY',
    name: '公务卡强制结算目录违规',
    theme: 'officialCard',
    basis: BASIS_CARD,
    condition:
      "payment.settlementMode in ['cash', 'transfer'] and payment.amount < params.cardLimit" +
      ' and (indicator.officialCardMandatory or any(details, d -> any(params.cardEcoCodes, c -> d.depEcoCode startsWith c)))',
    params: { cardLimit: yuan(200000), cardEcoCodes: ['30201', '30211', '30215', '30216', '30217'] },
    level: 'yellow',
    action: 'warn',
    zh: '公务卡强制结算目录内支出 {amount} 元未使用公务卡结算',
    en: 'Expense of {amount} yuan in the mandatory official-card list was not paid by official card',
  },
  {
    code: 'SAN_GONG_OVER_BUDGET',
    name: '"三公"经费超预算',
    theme: 'sanGong',
    basis: BASIS_AUSTERITY,
    condition: "indicator.sanGong != '' and indicator.used + payment.amount > indicator.amount",
    level: 'red',
    action: 'forbid',
    zh: '"三公"经费支付 {amount} 元后将超过预算',
    en: 'Paying {amount} yuan would take "three public" spending over budget',
  },
  {
    code: 'SPLIT_PAYMENT',
    name: '拆分支付',
    theme: 'payee',
    basis: BASIS_TSA,
    condition:
      'payment.amount < params.threshold and countSamePayee(params.days) >= 1' +
      ' and sumSamePayee(params.days) + payment.amount >= params.threshold',
    params: { threshold: yuan(100000), days: 3 },
    level: 'yellow',
    action: 'warn',
    zh: '{payee} 近期多笔小额支付合计超过大额标准，疑似拆分支付',
    en: 'Several small payments to {payee} add up above the large-payment threshold: possible splitting',
  },
  {
    code: 'DUPLICATE_PAYMENT',
    name: '重复支付',
    theme: 'payee',
    basis: BASIS_TSA,
    condition: 'countSamePayeeAmount(params.days) >= 1',
    params: { days: 30 },
    level: 'red',
    action: 'hold',
    zh: '近期已向 {payee} 支付过相同金额 {amount} 元，疑似重复支付',
    en: '{payee} was recently paid the same {amount} yuan: possible duplicate',
  },
  {
    code: 'YEAR_END_SURGE',
    name: '年底突击花钱',
    theme: 'progress',
    basis: BASIS_AUSTERITY,
    condition:
      'payment.month = 12 and (unitMonthTotal() + payment.amount) * 100 > (unitYearTotal() + payment.amount) * params.sharePercent',
    params: { sharePercent: 30 },
    level: 'yellow',
    action: 'warn',
    zh: '12 月支出占全年比例过高',
    en: 'December spending is too large a share of the year',
  },
  {
    code: 'SLOW_EXECUTION',
    name: '支出进度慢',
    theme: 'progress',
    basis: BASIS_DIRECT,
    trigger: 'scheduled',
    condition:
      'payment.month >= params.fromMonth and indicator.amount > 0元' +
      ' and indicator.used * 1200 < indicator.amount * (payment.month * params.targetPercent)',
    params: { fromMonth: 6, targetPercent: 80 },
    level: 'blue',
    action: 'warn',
    zh: '指标执行进度低于序时进度',
    en: 'Indicator execution is behind schedule',
  },
  {
    code: 'OUTSIDE_WORKING_HOURS',
    name: '非工作时间/节假日支付',
    theme: 'time',
    basis: BASIS_TSA,
    condition: 'payment.time < params.dayStart or payment.time > params.dayEnd or not isWorkingDay()',
    params: { dayStart: '08:00', dayEnd: '18:00' },
    level: 'grey',
    action: 'record',
    zh: '非工作时间或节假日支付 {amount} 元',
    en: 'Payment of {amount} yuan outside working hours or on a holiday',
  },
  {
    code: 'PROCUREMENT_WITHOUT_CONTRACT',
    name: '无合同政府采购支付',
    theme: 'procurement',
    basis: '《中华人民共和国政府采购法》',
    condition: 'payment.procurement and isEmpty(payment.contractNo)',
    level: 'red',
    action: 'hold',
    zh: '政府采购支付 {amount} 元未关联采购合同',
    en: 'Procurement payment of {amount} yuan has no contract',
  },
  {
    code: 'ALLOWANCE_OUTSIDE_PAYROLL',
    name: '违规发放津补贴',
    theme: 'salary',
    basis: '《关于规范津贴补贴的通知》',
    condition:
      'not payment.viaPayroll and any(details, d -> any(params.ecoPrefixes, p -> d.depEcoCode startsWith p))',
    params: { ecoPrefixes: ['30102', '30103'] },
    level: 'orange',
    action: 'warnExplain',
    zh: '津贴补贴或奖金未通过工资统发发放',
    en: 'Allowances or bonuses paid outside the payroll run',
  },
  {
    code: 'PAYEE_PURPOSE_RECEPTION',
    name: '收款人与用途不符（公务接待费付旅行社）',
    theme: 'payee',
    basis: BASIS_AUSTERITY,
    condition:
      "any(details, d -> d.depEcoCode startsWith '30217') and any(params.words, w -> payee.name contains w)",
    params: { words: ['旅行社', '旅游'] },
    level: 'yellow',
    action: 'warnExplain',
    zh: '公务接待费支付给 {payee}，收款人与用途不符',
    en: 'Hospitality expense paid to {payee}: payee does not fit the purpose',
  },
  {
    code: 'PAYEE_PURPOSE_MEETING',
    name: '收款人与用途不符（会议费付非会议场所）',
    theme: 'payee',
    basis: BASIS_AUSTERITY,
    condition:
      "any(details, d -> d.depEcoCode startsWith '30215') and payee.accountKind = 'corporate'" +
      ' and not any(params.venueWords, w -> payee.name contains w)',
    params: { venueWords: ['酒店', '宾馆', '饭店', '会议中心', '招待所', '培训中心'] },
    level: 'yellow',
    action: 'warn',
    zh: '会议费支付给 {payee}，收款人不是会议场所',
    en: 'Meeting expense paid to {payee}, which is not a venue',
  },
  {
    code: 'UNION_FEE_RATIO',
    name: '工会经费超比例',
    theme: 'ratio',
    basis: '《中华人民共和国工会法》',
    condition:
      "any(details, d -> d.depEcoCode startsWith '30228') and ecoYearTotal('30228')" +
      " + sumOf(filter(details, d -> d.depEcoCode startsWith '30228'), d -> d.amount)" +
      ' > unitPayrollTotal() * params.ratePercent / 100',
    params: { ratePercent: 2 },
    level: 'yellow',
    action: 'warn',
    zh: '工会经费累计超过工资总额的规定比例',
    en: 'Union fees this year exceed the allowed share of payroll',
  },
  {
    code: 'WELFARE_RATIO',
    name: '福利费超比例',
    theme: 'ratio',
    basis: '《行政单位财务规则》',
    condition:
      "any(details, d -> d.depEcoCode startsWith '30229') and ecoYearTotal('30229')" +
      " + sumOf(filter(details, d -> d.depEcoCode startsWith '30229'), d -> d.amount)" +
      ' > unitPayrollTotal() * params.ratePercent / 100',
    params: { ratePercent: 5 },
    level: 'yellow',
    action: 'warn',
    zh: '福利费累计超过工资总额的规定比例',
    en: 'Welfare spending this year exceeds the allowed share of payroll',
  },
  {
    code: 'DIRECT_REACH_MISDIRECTED',
    name: '直达资金违规划转至专户、实有资金或乡镇账户',
    theme: 'directReach',
    basis: BASIS_DIRECT,
    condition: "indicator.isDirectReach and payee.accountKind in ['special', 'ownUnit', 'township']",
    level: 'red',
    action: 'forbid',
    zh: '直达资金 {amount} 元违规划转至财政专户、单位或乡镇实有资金账户',
    en: 'Direct-reach funds of {amount} yuan moved to a special, own-unit or township account',
  },
  {
    code: 'DIRECT_REACH_BENEFICIARY_MISMATCH',
    name: '直达资金惠企利民明细缺失或不符',
    theme: 'directReach',
    basis: BASIS_DIRECT,
    condition:
      "indicator.isDirectReach and payee.accountKind = 'personal'" +
      ' and (len(beneficiaries) = 0 or sumOf(beneficiaries, b -> b.amount) != payment.amount)',
    level: 'orange',
    action: 'warnExplain',
    zh: '直达资金支付的惠企利民明细缺失或合计与支付金额不符',
    en: 'Direct-reach payment lacks beneficiary lines or they do not add up to the amount',
  },
  {
    code: 'STATISTICAL_OUTLIER',
    name: '单笔金额异常（超过历史均值加三倍标准差）',
    theme: 'outlier',
    basis: BASIS_TSA,
    // Statistics are numbers (fen as floats): a standard deviation is not a whole number of fen,
    // and this threshold is approximate by nature. No money is computed or stored from it.
    condition:
      'unitEcoHistoryStats(indicator.depEcoCode).count >= params.minCount' +
      ' and fenAsNumber(payment.amount) > unitEcoHistoryStats(indicator.depEcoCode).mean' +
      ' + params.sigmas * unitEcoHistoryStats(indicator.depEcoCode).stddev',
    params: { minCount: 20, sigmas: 3 },
    level: 'yellow',
    action: 'warn',
    zh: '单笔支付 {amount} 元远高于本单位该经济分类的历史水平',
    en: 'Payment of {amount} yuan is far above this unit’s history for the economic class',
  },
  {
    code: 'FIRST_TIME_PAYEE_LARGE',
    name: '首次收款人大额支付',
    theme: 'payee',
    basis: BASIS_TSA,
    condition: "(payee.isFirstTime or payeeFirstSeen() = '') and payment.amount >= params.threshold",
    params: { threshold: yuan(300000) },
    level: 'orange',
    action: 'warnExplain',
    zh: '首次向 {payee} 支付即达 {amount} 元',
    en: 'First payment to {payee} is already {amount} yuan',
  },
];

export const CATALOGUE_EFFECTIVE_FROM = '2026-01-01';

/** The built-in rules as version 1, effective everywhere from {@link CATALOGUE_EFFECTIVE_FROM}. */
export const BUILT_IN_RULES: readonly MonitorRule[] = ENTRIES.map((e) => ({
  code: e.code,
  version: 1,
  name: e.name,
  theme: e.theme,
  basis: e.basis,
  trigger: e.trigger ?? 'approve',
  scope: { regions: [''], level: 'system' },
  condition: e.condition,
  params: e.params ?? {},
  warningLevel: e.level,
  action: e.action,
  prompt: { 'zh-CN': e.zh, en: e.en },
  effectiveFrom: CATALOGUE_EFFECTIVE_FROM,
  enabled: true,
}));
