import { installMonitorCatalogue, saveMonitorRule } from '@fiscus/contracts';
import { defineHandler } from '../commands/handler';
import { FiscusError } from '../kernel/errors';
import { dispositionHandlers } from './disposition-handlers';
import { BUILT_IN_RULES } from './domain/catalogue';
import { checkedRule } from './rule-input';
import { runScheduledMonitorHandler } from './scheduled';
import { insertRuleVersions, latestVersion } from './store/rules';

/** 保存监控规则: every save is a new version, checked before it is kept (a bad condition never runs). */
export const saveMonitorRuleHandler = defineHandler({
  def: saveMonitorRule,
  async handle(ctx) {
    const { rule: w, baseVersion } = ctx.payload;
    const current = await latestVersion(ctx.trx, ctx.region, w.code);
    if (baseVersion !== undefined && baseVersion !== current)
      throw new FiscusError('STATE_INVALID', {
        entity: '监控规则 monitoring rule',
        key: w.code,
        state: `版本 ${current} version ${current}`,
        action: `基于版本 ${baseVersion} 保存 save from version ${baseVersion}`,
      });
    const rule = checkedRule(w, current + 1);
    await insertRuleVersions(ctx.trx, ctx.region, [rule], ctx.actor.username, ctx.now);
    ctx.changes.push({
      entity: 'monitorRule',
      key: w.code,
      before: { version: current },
      after: { version: rule.version },
    });
    return { code: w.code, version: rule.version };
  },
});

/** 安装内置规则: version 1 of every built-in code the region does not have yet. */
export const installMonitorCatalogueHandler = defineHandler({
  def: installMonitorCatalogue,
  async handle(ctx) {
    const have = new Set(
      (
        await ctx.trx
          .selectFrom('monitor.rule_version')
          .select('code')
          .distinct()
          .where('region_code', '=', ctx.region)
          .execute()
      ).map((r) => r.code),
    );
    const wanted = ctx.payload.codes ? new Set(ctx.payload.codes) : null;
    const unknown = [...(wanted ?? [])].filter((c) => !BUILT_IN_RULES.some((r) => r.code === c));
    if (unknown.length > 0)
      throw new FiscusError('NOT_FOUND', { entity: '内置规则 built-in rule', key: unknown.join(', ') });
    const rules = BUILT_IN_RULES.filter(
      (r) => !have.has(r.code) && (wanted === null || wanted.has(r.code)),
    ).map((r) => ({ ...r, enabled: ctx.payload.enabled }));
    await insertRuleVersions(ctx.trx, ctx.region, rules, ctx.actor.username, ctx.now);
    ctx.changes.push({
      entity: 'monitorRule',
      key: 'catalogue',
      before: null,
      after: { installed: rules.length },
    });
    return { installed: rules.map((r) => r.code), skipped: [...have].sort() };
  },
});

export const monitorHandlers = [
  saveMonitorRuleHandler,
  installMonitorCatalogueHandler,
  ...dispositionHandlers,
  runScheduledMonitorHandler,
];
