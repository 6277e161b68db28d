import { FiscusError } from '../../kernel/errors';
import type { Elements } from './elements';
import { credit, debit, type Posting } from './posting';

/**
 * The 18 business scenarios of DOMAIN.md §3.5, one pure function each: data in, balanced
 * lines out. Account codes follow the default chart; which source account a region uses for an
 * adjustment is the caller's choice (e.g. 1009 for 预备费).
 */
export type SourceAccount = '1001' | '1002' | '1003' | '1004' | '1009';
export type Pool = 'unallocated' | 'executable';

const holding = (pool: Pool) => (pool === 'executable' ? '2101' : '2001');
const frozen = (pool: Pool) => (pool === 'executable' ? '2102' : '2002');

export type ScenarioInput =
  /** 1/2 年初批复: into executable (to a unit) or unallocated (待分). */
  | { scenario: 'approve'; year: number; amount: bigint; to: Elements; pool: Pool; source: SourceAccount }
  /** 3 分解/分配: 待分 → executable unit indicator (origin on the target). */
  | { scenario: 'allocate'; year: number; amount: bigint; from: Elements; to: Elements }
  /** 4 上级下达(收到). */
  | { scenario: 'upperReceipt'; year: number; amount: bigint; to: Elements; pool: Pool }
  /** 5 本级下达下级 (转移支付): the upper level's books. */
  | {
      scenario: 'issueToLower';
      year: number;
      amount: bigint;
      from: Elements;
      pool: Pool;
      receivingRegion: string;
    }
  /** 6 提前下达: next year's ledger, source type 提前下达. */
  | { scenario: 'advanceIssue'; year: number; amount: bigint; to: Elements }
  /** 7 追加 (amount > 0) / 追减 (amount < 0). */
  | { scenario: 'adjust'; year: number; amount: bigint; target: Elements; pool: Pool; source: SourceAccount }
  /** 8 调剂: between lines, total unchanged. */
  | { scenario: 'transfer'; year: number; amount: bigint; from: Elements; to: Elements }
  /** 9 冻结 / 解冻. */
  | { scenario: 'freeze'; year: number; amount: bigint; target: Elements; pool: Pool }
  | { scenario: 'unfreeze'; year: number; amount: bigint; target: Elements; pool: Pool }
  /** 10 收回: to the finance pool (reusable) or retired. */
  | { scenario: 'recall'; year: number; amount: bigint; from: Elements; to: Elements; retire: boolean }
  /** 11 用款计划批复. */
  | { scenario: 'usePlan'; year: number; amount: bigint; indicator: Elements }
  /** 12 支付申请审核通过 (encumber), from the plan when plans are on. */
  | { scenario: 'applicationApproved'; year: number; amount: bigint; indicator: Elements; fromPlan: boolean }
  /** 13 银行支付成功 (回单). */
  | { scenario: 'bankPaid'; year: number; amount: bigint; indicator: Elements }
  /** 14 支付失败/凭证退回 (before payment). */
  | { scenario: 'voucherReturned'; year: number; amount: bigint; indicator: Elements; toPlan: boolean }
  /** 15 退款 (after payment). */
  | { scenario: 'refund'; year: number; amount: bigint; indicator: Elements }
  /** 16 支付更正: no money moves; both sides recorded. */
  | { scenario: 'correction'; year: number; amount: bigint; wrong: Elements; right: Elements }
  /** 17 年终结转: out of this year, into the next with lineage. */
  | { scenario: 'carryForward'; year: number; amount: bigint; from: Elements; nextYear: Elements }
  /** 18 年终结余收回. */
  | { scenario: 'lapse'; year: number; amount: bigint; from: Elements }
  /** 期初: opening balance migrated from a legacy system (双轨运行). */
  | {
      scenario: 'opening';
      year: number;
      amount: bigint;
      account: string;
      to: Elements;
      source: SourceAccount;
    };

export type Scenario = ScenarioInput['scenario'];

export const scenarioNames: Record<Scenario, string> = {
  approve: '年初批复',
  allocate: '分解分配',
  upperReceipt: '上级下达',
  issueToLower: '下达下级',
  advanceIssue: '提前下达',
  adjust: '追加追减',
  transfer: '调剂',
  freeze: '冻结',
  unfreeze: '解冻',
  recall: '收回',
  usePlan: '用款计划',
  applicationApproved: '支付申请审核',
  bankPaid: '银行支付',
  voucherReturned: '凭证退回',
  refund: '退款',
  correction: '支付更正',
  carryForward: '年终结转',
  lapse: '结余收回',
  opening: '期初余额',
};

function positive(amount: bigint): void {
  if (amount <= 0n)
    throw new FiscusError('VALIDATION_FAILED', { detail: 'amount must be greater than zero' });
}

/** The entries a scenario posts (carry-forward posts one in each of two years). */
export function postingsFor(input: ScenarioInput): Posting[] {
  const { year } = input;
  const one = (lines: Posting['lines']): Posting[] => [{ scenario: input.scenario, year, lines }];
  switch (input.scenario) {
    case 'approve':
      positive(input.amount);
      return one([
        debit(input.source, input.amount, input.to),
        credit(holding(input.pool), input.amount, input.to),
      ]);
    case 'allocate':
      positive(input.amount);
      return one([debit('2001', input.amount, input.from), credit('2101', input.amount, input.to)]);
    case 'upperReceipt':
      positive(input.amount);
      return one([
        debit('1002', input.amount, input.to),
        credit(holding(input.pool), input.amount, input.to),
      ]);
    case 'issueToLower': {
      positive(input.amount);
      const issued = { ...input.from, receivingRegion: input.receivingRegion };
      return one([
        debit(holding(input.pool), input.amount, input.from),
        credit('2201', input.amount, issued),
      ]);
    }
    case 'advanceIssue':
      positive(input.amount);
      return one([debit('1002', input.amount, input.to), credit('2001', input.amount, input.to)]);
    case 'adjust': {
      if (input.amount === 0n)
        throw new FiscusError('VALIDATION_FAILED', { detail: 'adjustment amount must not be zero' });
      const h = holding(input.pool);
      if (input.amount > 0n)
        return one([debit(input.source, input.amount, input.target), credit(h, input.amount, input.target)]);
      const a = -input.amount;
      return one([debit(h, a, input.target), credit(input.source, a, input.target)]);
    }
    case 'transfer':
      positive(input.amount);
      return one([debit('2101', input.amount, input.from), credit('2101', input.amount, input.to)]);
    case 'freeze':
      positive(input.amount);
      return one([
        debit(holding(input.pool), input.amount, input.target),
        credit(frozen(input.pool), input.amount, input.target),
      ]);
    case 'unfreeze':
      positive(input.amount);
      return one([
        debit(frozen(input.pool), input.amount, input.target),
        credit(holding(input.pool), input.amount, input.target),
      ]);
    case 'recall':
      positive(input.amount);
      return one([
        debit('2101', input.amount, input.from),
        credit(input.retire ? '2602' : '2001', input.amount, input.to),
      ]);
    case 'usePlan':
      positive(input.amount);
      return one([
        debit('2101', input.amount, input.indicator),
        credit('2301', input.amount, input.indicator),
      ]);
    case 'applicationApproved':
      positive(input.amount);
      return one([
        debit(input.fromPlan ? '2301' : '2101', input.amount, input.indicator),
        credit('2401', input.amount, input.indicator),
      ]);
    case 'bankPaid':
      positive(input.amount);
      return one([
        debit('2401', input.amount, input.indicator),
        credit('2501', input.amount, input.indicator),
      ]);
    case 'voucherReturned':
      positive(input.amount);
      return one([
        debit('2401', input.amount, input.indicator),
        credit(input.toPlan ? '2301' : '2101', input.amount, input.indicator),
      ]);
    case 'refund':
      positive(input.amount);
      return one([
        debit('2501', input.amount, input.indicator),
        credit('2101', input.amount, input.indicator),
      ]);
    case 'correction':
      positive(input.amount);
      return one([
        debit('2501', input.amount, input.wrong),
        credit('2101', input.amount, input.wrong),
        debit('2101', input.amount, input.right),
        credit('2501', input.amount, input.right),
      ]);
    case 'carryForward': {
      positive(input.amount);
      const next = { ...input.nextYear, originIndicatorId: input.from.indicatorId, sourceTypeCode: '3' };
      return [
        {
          scenario: 'carryForward',
          year,
          lines: [debit('2101', input.amount, input.from), credit('2601', input.amount, input.from)],
        },
        {
          scenario: 'carryForward',
          year: year + 1,
          lines: [debit('1003', input.amount, next), credit('2101', input.amount, next)],
        },
      ];
    }
    case 'lapse':
      positive(input.amount);
      return one([debit('2101', input.amount, input.from), credit('2602', input.amount, input.from)]);
    case 'opening':
      positive(input.amount);
      return one([
        debit(input.source, input.amount, input.to),
        credit(input.account, input.amount, input.to),
      ]);
  }
}
