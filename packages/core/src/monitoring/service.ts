import type { CommandContext } from '../commands/handler';
import { FiscusError } from '../kernel/errors';
import { decide, evaluateCompiled, type Finding } from './domain/evaluate';
import type { MonitorAggregates } from './domain/functions';
import { applicableRules, type RuleAction, type RuleTrigger } from './domain/rules';
import type { PaymentSubject } from './domain/subject';
import { loadHistory } from './store/history';
import { compiledOf, loadRuleSet } from './store/rules';
import { paymentSubject } from './store/subject';
import { insertWarnings } from './store/warnings';

export interface RaisedWarning extends Finding {
  warningId: string;
}

export interface MonitorOutcome {
  decision: RuleAction | 'pass';
  warnings: RaisedWarning[];
}

const BLOCKING: ReadonlySet<RuleAction> = new Set(['hold', 'freeze', 'forbid']);

/** History is read only when a rule needs it; a rule that calls it without it is a bug, not a pass. */
const noHistory = new Proxy({} as MonitorAggregates, {
  get() {
    throw new Error('history aggregates were not loaded');
  },
});

/**
 * Findings for one subject. A rule that cannot be judged never passes silently: a blocking one
 * holds the payment for a reviewer (fail closed), any other is recorded as a grey warning.
 */
export function judge(
  prepared: Parameters<typeof evaluateCompiled>[0],
  subject: PaymentSubject,
  aggregates: MonitorAggregates,
): Finding[] {
  const { findings, failures } = evaluateCompiled(prepared, subject, aggregates);
  for (const f of failures) {
    const rule = prepared.find((p) => p.rule.code === f.ruleCode)!.rule;
    findings.push({
      ruleCode: f.ruleCode,
      version: f.version,
      level: 'grey',
      action: BLOCKING.has(rule.action) ? 'hold' : 'record',
      message: {
        'zh-CN': `规则 ${f.ruleCode} 无法执行，需人工审核：${f.error.message['zh-CN']}`,
        en: `Rule ${f.ruleCode} could not be evaluated and needs a person: ${f.error.message.en}`,
      },
    });
  }
  return findings;
}

/**
 * 事中监控 of one application at submission or approval, inside the command's transaction: runs the
 * region's applicable rules, stores what fired, and says what the payment step must do. A 预警需说明
 * without an explanation refuses the step (nothing is stored; the caller asks again with one).
 */
export async function monitorPayment(
  ctx: CommandContext<unknown>,
  applicationId: string,
  trigger: RuleTrigger,
  explanation: string | undefined,
): Promise<MonitorOutcome> {
  const set = await loadRuleSet(ctx.trx, ctx.region);
  if (set.rules.length === 0) return { decision: 'pass', warnings: [] };
  const rules = applicableRules(set.rules, { region: ctx.region, on: ctx.on, trigger });
  if (rules.length === 0) return { decision: 'pass', warnings: [] };
  const loaded = await paymentSubject(ctx.trx, ctx, applicationId);
  if (!loaded)
    throw new FiscusError('NOT_FOUND', { entity: '支付申请 payment application', key: applicationId });
  const { subject } = loaded;
  const prepared = rules.map((r) => compiledOf(set, r));
  const aggregates = prepared.some((p) => p.usesHistory)
    ? await loadHistory(ctx.trx, {
        region: ctx.region,
        year: ctx.year,
        agencyCode: subject.agencyCode,
        applicationId,
        payeeAccountNo: subject.payee.accountNo,
        on: ctx.on,
        amountFen: subject.amountFen,
      })
    : noHistory;
  const findings = judge(prepared, subject, aggregates);
  const decision = decide(findings);
  if (decision === 'warnExplain' && !explanation)
    throw new FiscusError('MONITOR_EXPLANATION_REQUIRED', {
      rules: findings
        .filter((f) => f.action === 'warnExplain')
        .map((f) => `${f.ruleCode}: ${f.message['zh-CN']}`)
        .join('; '),
    });
  const ids = await insertWarnings(
    ctx,
    findings.map((finding) => ({
      finding,
      trigger,
      applicationId,
      indicatorId: subject.indicator.id,
      agencyCode: subject.agencyCode,
      amountFen: subject.amountFen,
      explanation:
        finding.action === 'warnExplain' || finding.action === 'warn' ? (explanation ?? null) : null,
      subject,
    })),
  );
  return { decision, warnings: findings.map((f, i) => ({ ...f, warningId: ids[i]! })) };
}
