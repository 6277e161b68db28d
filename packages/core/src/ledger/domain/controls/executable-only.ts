import type { Violation } from '../control-types';
import { elementKey } from '../elements';
import { debited, type Evaluator, indicatorLabel, spendsIndicator, violation } from './shared';

/** Holdings a payment may draw on: 可执行指标 and 用款计划; never 待分 (2001/2002) or frozen. */
const EXECUTABLE = new Set(['2101', '2301']);

/**
 * 可执行标志: plans and payments draw only on an executable indicator that has something left.
 * One finding per indicator, the first reason that applies (later checks presume the earlier).
 */
export const executableOnly: Evaluator = (rule, ctx) => {
  if (!spendsIndicator(ctx)) return [];
  const out: Violation[] = [];
  for (const d of debited(ctx)) {
    const id = d.elements.indicatorId;
    const label = indicatorLabel(id);
    const base = { account: d.account, indicatorId: id ?? '' };
    if (id === null || id === '') {
      out.push(
        violation(
          rule,
          { ...base, reason: 'noIndicator' },
          '未指定指标，不能用款或支付',
          'No indicator given; plans and payments must draw on an indicator',
        ),
      );
      continue;
    }
    if (!EXECUTABLE.has(d.account)) {
      out.push(
        violation(
          rule,
          { ...base, reason: 'notExecutable' },
          `指标 ${label} 不是可执行指标（科目 ${d.account}），待分指标不能支付`,
          `Indicator ${label} is not executable (account ${d.account}); unallocated indicators cannot be paid`,
        ),
      );
      continue;
    }
    const key = elementKey(d.elements);
    const available = ctx.before('2101', key) + ctx.before('2301', key);
    if (available <= 0n) {
      out.push(
        violation(
          rule,
          { ...base, reason: 'noExecutableBalance', available: available.toString() },
          `指标 ${label} 没有可执行余额`,
          `Indicator ${label} has no executable balance`,
        ),
      );
    }
  }
  return out;
};
