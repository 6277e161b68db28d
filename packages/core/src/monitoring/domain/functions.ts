import { T, type Type } from './types';

/** Mean, standard deviation and count of a unit's past payments in one economic class, in fen. */
export interface HistoryStats {
  mean: number;
  stddev: number;
  count: number;
}

/**
 * History the pure evaluator cannot see: the caller (the monitoring service) answers these from the
 * database for the payment being checked — "same payee" means same paying unit and same payee
 * account, and every window ends at the payment's business date and EXCLUDES the payment itself.
 */
export interface MonitorAggregates {
  /** Earlier payments by this unit to the same payee account within `days` days. */
  countSamePayee(days: number): number;
  sumSamePayee(days: number): bigint;
  /** Earlier payments by this unit to the same payee with the same amount within `days` days. */
  countSamePayeeAmount(days: number): number;
  /** This unit's payments in the payment's calendar month / fiscal year so far. */
  unitMonthTotal(): bigint;
  unitYearTotal(): bigint;
  /** This unit's cash withdrawals so far in the payment's `'month'` or `'year'`. */
  cashTotal(period: 'month' | 'year'): bigint;
  /** This unit's payments this year whose departmental economic code starts with `ecoPrefix`. */
  ecoYearTotal(ecoPrefix: string): bigint;
  /** This unit's payroll (工资福利支出 paid through the payroll run) this year — the base for 工会经费/福利费 ratios. */
  unitPayrollTotal(): bigint;
  /**
   * Statistics of this unit's past single payments in economic class `eco`. Numbers, not bigint:
   * a standard deviation is irrational in general, and the statistical rule only needs an
   * approximate threshold — see the outlier rule. Never used to compute or store money.
   */
  unitEcoHistoryStats(eco: string): HistoryStats;
  /** Business date (YYYY-MM-DD) this unit first paid this payee account, or '' if never. */
  payeeFirstSeen(): string;
  /** Whether the payment's date is a working day in the region's fiscal calendar. */
  isWorkingDay(): boolean;
}

export type AggregateName = keyof MonitorAggregates;

export interface FunctionSpec {
  params: readonly Type[];
  returns: Type;
  /** One line for the rule editor's help panel. */
  doc: string;
}

const statsType = T.record({ mean: T.number, stddev: T.number, count: T.number });

/** Caller-provided history functions, with argument types so that conditions are checked on save. */
export const AGGREGATES: ReadonlyMap<AggregateName, FunctionSpec> = new Map<AggregateName, FunctionSpec>([
  ['countSamePayee', { params: [T.number], returns: T.number, doc: 'N 天内向同一收款人的支付笔数' }],
  ['sumSamePayee', { params: [T.number], returns: T.money, doc: 'N 天内向同一收款人的支付金额合计' }],
  [
    'countSamePayeeAmount',
    { params: [T.number], returns: T.number, doc: 'N 天内同一收款人同金额的支付笔数' },
  ],
  ['unitMonthTotal', { params: [], returns: T.money, doc: '本单位本月已支付合计' }],
  ['unitYearTotal', { params: [], returns: T.money, doc: '本单位本年已支付合计' }],
  ['cashTotal', { params: [T.string], returns: T.money, doc: "本单位本月('month')或本年('year')提现合计" }],
  ['ecoYearTotal', { params: [T.string], returns: T.money, doc: '本单位本年某经济分类(前缀)支出合计' }],
  ['unitPayrollTotal', { params: [], returns: T.money, doc: '本单位本年工资总额' }],
  [
    'unitEcoHistoryStats',
    { params: [T.string], returns: statsType, doc: '本单位该经济分类历史单笔均值/标准差/笔数(分)' },
  ],
  ['payeeFirstSeen', { params: [], returns: T.string, doc: "本单位首次向该收款人支付的日期，从未支付为 ''" }],
  ['isWorkingDay', { params: [], returns: T.boolean, doc: '支付日期是否为工作日' }],
]);

/** Functions over lists that take a lambda `x -> …` as second argument; total because lists are finite. */
export const LIST_FUNCTIONS: ReadonlyMap<
  string,
  { returns: 'boolean' | 'number' | 'list' | 'money'; doc: string }
> = new Map([
  ['any', { returns: 'boolean', doc: 'any(list, x -> 条件)：存在一项满足' }],
  ['all', { returns: 'boolean', doc: 'all(list, x -> 条件)：每一项都满足（空列表为真）' }],
  ['count', { returns: 'number', doc: 'count(list, x -> 条件)：满足的项数' }],
  ['filter', { returns: 'list', doc: 'filter(list, x -> 条件)：满足的项' }],
  ['sumOf', { returns: 'money', doc: 'sumOf(list, x -> 金额)：金额合计' }],
] as const);

/** Plain built-ins; `len` accepts a list or a string and is special-cased by the checker. */
export const BUILTINS: ReadonlyMap<string, FunctionSpec> = new Map<string, FunctionSpec>([
  ['isEmpty', { params: [T.nullableString], returns: T.boolean, doc: "isEmpty(文本)：为空值或 ''" }],
  ['fenAsNumber', { params: [T.money], returns: T.number, doc: '金额(分)转为数字，仅用于统计比较' }],
  ['len', { params: [T.string], returns: T.number, doc: 'len(列表或文本)：项数或字数' }],
]);

export function isAggregateName(name: string): name is AggregateName {
  return AGGREGATES.has(name as AggregateName);
}

/** Every callable name, for the editor's autocompletion and for documentation. */
export function functionCatalogue(): { name: string; signature: string; doc: string }[] {
  const out: { name: string; signature: string; doc: string }[] = [];
  for (const [name, f] of LIST_FUNCTIONS)
    out.push({ name, signature: `${name}(list, x -> …): ${f.returns}`, doc: f.doc });
  for (const [name, f] of [...BUILTINS, ...AGGREGATES]) {
    const ps = f.params.map((p) => (p.kind === 'string' && p.nullable ? 'string?' : p.kind)).join(', ');
    out.push({ name, signature: `${name}(${ps}): ${f.returns.kind}`, doc: f.doc });
  }
  return out;
}
