/**
 * 科目: the recommended 一体化 indicator chart (DOMAIN.md §3.4, tagged [R]). Seeded per region and
 * year and changeable by command, never by editing rows. Sources (1xxx) are debit-normal,
 * holdings (2xxx) credit-normal; Σ sources = Σ holdings per region × year × fund type.
 */
export type Side = 'debit' | 'credit';
export type AccountClass = 'source' | 'holding';

export interface LedgerAccount {
  code: string;
  name: string;
  normalSide: Side;
  accountClass: AccountClass;
  /** A balance on the wrong side is allowed (e.g. a suspense account); default false. */
  allowNegative: boolean;
}

export const defaultChart: readonly LedgerAccount[] = [
  {
    code: '1001',
    name: '本级财力安排指标来源',
    normalSide: 'debit',
    accountClass: 'source',
    allowNegative: false,
  },
  {
    code: '1002',
    name: '上级转移支付指标来源',
    normalSide: 'debit',
    accountClass: 'source',
    allowNegative: false,
  },
  {
    code: '1003',
    name: '上年结转指标来源',
    normalSide: 'debit',
    accountClass: 'source',
    allowNegative: false,
  },
  {
    code: '1004',
    name: '债务资金指标来源',
    normalSide: 'debit',
    accountClass: 'source',
    allowNegative: false,
  },
  { code: '1009', name: '其他指标来源', normalSide: 'debit', accountClass: 'source', allowNegative: false },
  { code: '2001', name: '待分配指标', normalSide: 'credit', accountClass: 'holding', allowNegative: false },
  {
    code: '2002',
    name: '待分配指标—冻结',
    normalSide: 'credit',
    accountClass: 'holding',
    allowNegative: false,
  },
  { code: '2101', name: '可执行指标', normalSide: 'credit', accountClass: 'holding', allowNegative: false },
  {
    code: '2102',
    name: '可执行指标—冻结',
    normalSide: 'credit',
    accountClass: 'holding',
    allowNegative: false,
  },
  {
    code: '2201',
    name: '已下达下级指标',
    normalSide: 'credit',
    accountClass: 'holding',
    allowNegative: false,
  },
  { code: '2301', name: '用款计划', normalSide: 'credit', accountClass: 'holding', allowNegative: false },
  { code: '2401', name: '支付在途', normalSide: 'credit', accountClass: 'holding', allowNegative: false },
  { code: '2501', name: '已支付指标', normalSide: 'credit', accountClass: 'holding', allowNegative: false },
  { code: '2601', name: '结转指标', normalSide: 'credit', accountClass: 'holding', allowNegative: false },
  {
    code: '2602',
    name: '结余/收回指标',
    normalSide: 'credit',
    accountClass: 'holding',
    allowNegative: false,
  },
];

/** Signed balance on the account's normal side from debit and credit totals. */
export function normalBalance(
  account: Pick<LedgerAccount, 'normalSide'>,
  debit: bigint,
  credit: bigint,
): bigint {
  return account.normalSide === 'debit' ? debit - credit : credit - debit;
}
