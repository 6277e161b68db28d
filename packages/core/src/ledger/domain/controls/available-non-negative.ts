import type { Violation } from '../control-types';
import { elementKey } from '../elements';
import { type Evaluator, indicatorLabel, toleranceFen, violation, yuan } from './shared';

/**
 * 指标余额控制: no watched balance may end on the wrong side (有预算才能支付). Watches the rule's
 * accounts, else every account that does not allow a negative balance.
 */
export const availableNonNegative: Evaluator = (rule, ctx) => {
  const watched = new Set(
    rule.scope.accounts ?? [...ctx.accounts.values()].filter((a) => !a.allowNegative).map((a) => a.code),
  );
  const seen = new Set<string>();
  const out: Violation[] = [];
  for (const line of ctx.posting.lines) {
    if (!watched.has(line.account)) continue;
    const key = elementKey(line.elements);
    const id = `${line.account}|${key}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const before = ctx.before(line.account, key);
    const after = ctx.after(line.account, key);
    // Only a posting that lowers a balance is to blame for it: one that raises a balance already
    // below the limit (after a percent tolerance was used) is the entry that repairs it.
    if (after >= before || after >= -toleranceFen(rule, before)) continue;
    const name = ctx.accounts.get(line.account)?.name ?? line.account;
    const indicatorId = line.elements.indicatorId ?? '';
    const label = indicatorLabel(line.elements.indicatorId);
    out.push(
      violation(
        rule,
        { account: line.account, indicatorId, before: before.toString(), after: after.toString() },
        `${name}（${line.account}）余额不足：指标 ${label} 记账前 ${yuan(before)} 元，记账后 ${yuan(after)} 元`,
        `Insufficient balance on ${line.account} for indicator ${label}: ${yuan(before)} before, ${yuan(after)} after`,
      ),
    );
  }
  return out;
};
