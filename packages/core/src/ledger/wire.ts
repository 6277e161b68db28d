import type { ElementsInput, ScenarioPayload } from '@fiscus/contracts';
import { parseYuan } from '../kernel/money';
import { type Elements, elements } from './domain/elements';
import type { ScenarioInput } from './domain/scenarios';

/** Wire elements (optional fields) → domain elements (explicit nulls, flags false). */
export function toElements(e: ElementsInput): Elements {
  const partial: Record<string, unknown> = { fundTypeCode: e.fundTypeCode, flags: e.flags ?? {} };
  for (const [k, v] of Object.entries(e)) if (k !== 'flags' && v !== undefined) partial[k] = v;
  return elements(partial as Partial<Elements> & { fundTypeCode: string });
}

/** A `ledger.post` payload as the pure scenario input of the domain. */
export function toScenarioInput(p: ScenarioPayload, year: number): ScenarioInput {
  const amount = parseYuan(p.amount);
  switch (p.scenario) {
    case 'approve':
      return { scenario: p.scenario, year, amount, to: toElements(p.to), pool: p.pool, source: p.source };
    case 'allocate':
      return { scenario: p.scenario, year, amount, from: toElements(p.from), to: toElements(p.to) };
    case 'upperReceipt':
      return { scenario: p.scenario, year, amount, to: toElements(p.to), pool: p.pool };
    case 'issueToLower':
      return {
        scenario: p.scenario,
        year,
        amount,
        from: toElements(p.from),
        pool: p.pool,
        receivingRegion: p.receivingRegion,
      };
    case 'advanceIssue':
      return { scenario: p.scenario, year, amount, to: toElements(p.to) };
    case 'adjust':
      return {
        scenario: p.scenario,
        year,
        amount,
        target: toElements(p.target),
        pool: p.pool,
        source: p.source,
      };
    case 'transfer':
      return { scenario: p.scenario, year, amount, from: toElements(p.from), to: toElements(p.to) };
    case 'freeze':
    case 'unfreeze':
      return { scenario: p.scenario, year, amount, target: toElements(p.target), pool: p.pool };
    case 'recall':
      return {
        scenario: p.scenario,
        year,
        amount,
        from: toElements(p.from),
        to: toElements(p.to),
        retire: p.retire,
      };
    case 'usePlan':
    case 'bankPaid':
    case 'refund':
      return { scenario: p.scenario, year, amount, indicator: toElements(p.indicator) };
    case 'applicationApproved':
      return { scenario: p.scenario, year, amount, indicator: toElements(p.indicator), fromPlan: p.fromPlan };
    case 'voucherReturned':
      return { scenario: p.scenario, year, amount, indicator: toElements(p.indicator), toPlan: p.toPlan };
    case 'correction':
      return { scenario: p.scenario, year, amount, wrong: toElements(p.wrong), right: toElements(p.right) };
    case 'carryForward':
      return {
        scenario: p.scenario,
        year,
        amount,
        from: toElements(p.from),
        nextYear: toElements(p.nextYear),
      };
    case 'lapse':
      return { scenario: p.scenario, year, amount, from: toElements(p.from) };
  }
}
