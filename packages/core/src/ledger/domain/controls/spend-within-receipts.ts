import type { Violation } from '../control-types';
import { debited, type Evaluator, stringListParam, toleranceFen, violation, yuan } from './shared';

/** 财政专户 (21x) and 单位资金 (3x): money that can be spent only once it has come in. */
export const spendWithinReceiptsDefaults = { fundTypes: ['21', '3'] };

/**
 * 以收定支: cumulative spending of a fund type by an agency stays within what it has received.
 * `ctx.spent` is the spending before this posting, so this posting's amount is added here, summed
 * per (fund type, agency) in case one application draws on several indicators.
 */
export const spendWithinReceipts: Evaluator = (rule, ctx) => {
  if (ctx.scenario !== 'applicationApproved') return [];
  const fundTypes = stringListParam(rule, 'fundTypes', spendWithinReceiptsDefaults.fundTypes);
  const groups = new Map<string, { fundType: string; agency: string | null; amount: bigint }>();
  for (const d of debited(ctx)) {
    const fundType = d.elements.fundTypeCode;
    if (!fundTypes.some((f) => fundType.startsWith(f))) continue;
    const agency = d.elements.agencyCode;
    const k = `${fundType}|${agency ?? ''}`;
    const g = groups.get(k);
    if (g) g.amount += d.amount;
    else groups.set(k, { fundType, agency, amount: d.amount });
  }
  const out: Violation[] = [];
  for (const { fundType, agency, amount } of groups.values()) {
    const spent = ctx.spent(fundType, agency);
    const receipts = ctx.receipts(fundType, agency);
    if (spent + amount <= receipts + toleranceFen(rule, receipts)) continue;
    const who = agency ?? '—';
    out.push(
      violation(
        rule,
        {
          fundTypeCode: fundType,
          agencyCode: agency ?? '',
          spent: spent.toString(),
          amount: amount.toString(),
          receipts: receipts.toString(),
        },
        `以收定支：单位 ${who} 资金性质 ${fundType} 已支出 ${yuan(spent)} 元，本次 ${yuan(amount)} 元，超过已收入 ${yuan(receipts)} 元`,
        `Spending beyond receipts for agency ${who}, fund type ${fundType}: spent ${yuan(spent)} + ${yuan(amount)} > received ${yuan(receipts)}`,
      ),
    );
  }
  return out;
};
