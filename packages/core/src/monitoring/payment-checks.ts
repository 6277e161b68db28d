import type { CommandContext } from '../commands/handler';
import type { Indicator } from '../indicators/domain/effects';
import { FiscusError } from '../kernel/errors';
import { checkBeneficiaryId } from './domain/identity';
import { addWarningEvent } from './store/warnings';

interface BeneficiaryLine {
  kind: 'person' | 'enterprise';
  name: string;
  idNo: string;
}

/**
 * 直达资金: a payment from a direct-reach indicator must name who it reaches, and every id number
 * must pass its check digit (GB 11643 for persons, GB 32100 for enterprises). Lines on other
 * payments are checked the same way: a wrong id is wrong wherever it appears.
 */
export function checkBeneficiaries(ind: Indicator, lines: readonly BeneficiaryLine[], on: string): void {
  if (ind.elements.flags.directReach && lines.length === 0)
    throw new FiscusError('BENEFICIARY_REQUIRED', { indicator: ind.id });
  for (const b of lines) {
    const c = checkBeneficiaryId(b.kind, b.idNo, on);
    if (!c.ok)
      throw new FiscusError('BENEFICIARY_ID_INVALID', {
        name: b.name,
        idNo: b.idNo,
        reason: `${c.reason['zh-CN']} ${c.reason.en}`,
      });
  }
}

const DECISION_EVENT = { release: 'holdRelease', correct: 'holdCorrect', forbid: 'holdForbid' } as const;

/**
 * Notes the reviewer's decision on every blocking warning of the held application. A 冻结 is
 * stricter than a 拦截: it is released only once its warning was concluded normal (认定正常) or
 * verified (核实无误); sending back or forbidding is always possible.
 */
export async function noteHoldDecision(
  ctx: CommandContext<unknown>,
  applicationId: string,
  decision: keyof typeof DECISION_EVENT,
  opinion: string,
): Promise<void> {
  const blocking = await ctx.trx
    .selectFrom('monitor.warning')
    .select(['warning_id', 'action', 'status'])
    .where('region_code', '=', ctx.region)
    .where('fiscal_year', '=', ctx.year)
    .where('application_id', '=', applicationId)
    .where('action', 'in', ['hold', 'freeze'])
    .forUpdate()
    .execute();
  if (decision === 'release') {
    const open = blocking.find(
      (w) => w.action === 'freeze' && w.status !== 'closedNormal' && w.status !== 'closedVerified',
    );
    if (open) throw new FiscusError('MONITOR_FREEZE_OPEN', { key: applicationId, warning: open.warning_id });
  }
  for (const w of blocking)
    await addWarningEvent(ctx, w.warning_id, DECISION_EVENT[decision], w.status, w.status, opinion, []);
}
