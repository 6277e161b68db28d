import { fiscalYearSchema, isoDateSchema, regionCodeSchema } from '@fiscus/contracts';
import { FiscusError } from '@fiscus/core';
import { backtestReportJson, backtestRule, testRuleOnApplications } from '@fiscus/core/monitoring/backtest';
import {
  listRules,
  listWarnings,
  monitorStats,
  ruleVersions,
  warningDetail,
} from '@fiscus/core/monitoring/queries';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { requireActor } from '../plugins/session';
import { authorizeRead } from '../scope';

const region = z.object({ region: regionCodeSchema });
const scope = region.extend({ year: z.coerce.number().pipe(fiscalYearSchema) });
/** A draft (validated by the core as a save would) or a stored version by code. */
const ruleInput = z.union([
  z.strictObject({ code: z.string().max(48), version: z.number().int().min(1).optional() }),
  z.record(z.string(), z.unknown()),
]);

/**
 * 动态监控 reads: rules with their versions, the warning inbox, one warning's trail and the
 * dashboard figures. Writes (save, install, dispose, respond, escalate, run) are commands.
 * A unit's user (agency-scoped grant) sees only its own warnings.
 */
export async function monitorRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const access = async (req: Parameters<typeof requireActor>[0], regionCode: string) => {
    const actor = await requireActor(req, deps);
    const a = await authorizeRead(deps, actor, 'monitor.read', regionCode);
    return a.wholeRegion ? null : a.agencies;
  };

  r.get(
    '/api/v1/monitor/rules',
    {
      schema: {
        tags: ['monitor'],
        summary: '监控规则列表 The newest version of every rule of the region',
        querystring: region,
      },
    },
    async (req) => {
      await access(req, req.query.region);
      return { rows: await listRules(deps.db, req.query.region) };
    },
  );
  r.get(
    '/api/v1/monitor/rules/:code',
    {
      schema: {
        tags: ['monitor'],
        summary: '监控规则版本 Every version of one rule, newest first',
        params: z.object({ code: z.string().max(48) }),
        querystring: region,
      },
    },
    async (req) => {
      await access(req, req.query.region);
      const versions = await ruleVersions(deps.db, req.query.region, req.params.code);
      if (versions.length === 0)
        throw new FiscusError('NOT_FOUND', { entity: '监控规则 monitoring rule', key: req.params.code });
      return { code: req.params.code, versions };
    },
  );
  r.get(
    '/api/v1/monitor/warnings',
    {
      schema: {
        tags: ['monitor'],
        summary: '预警列表 Warnings, newest first (a unit sees its own)',
        querystring: scope.extend({
          status: z.string().max(20).optional(),
          state: z.enum(['open', 'closed']).optional(),
          level: z.string().max(10).optional(),
          ruleCode: z.string().max(48).optional(),
          agencyCode: z.string().max(21).optional(),
          applicationId: z.string().max(40).optional(),
          from: isoDateSchema.optional(),
          to: isoDateSchema.optional(),
          page: z.coerce.number().int().min(1).default(1),
          pageSize: z.coerce.number().int().min(1).max(500).default(20),
        }),
      },
    },
    async (req) => {
      const agencies = await access(req, req.query.region);
      return listWarnings(deps.db, { ...req.query, agencies });
    },
  );
  r.get(
    '/api/v1/monitor/warnings/:warningId',
    {
      schema: {
        tags: ['monitor'],
        summary: '预警详情 One warning with what the rule saw and its disposition trail',
        params: z.object({ warningId: z.string().max(40) }),
        querystring: scope,
      },
    },
    async (req) => {
      const agencies = await access(req, req.query.region);
      const w = await warningDetail(deps.db, req.query.region, req.query.year, req.params.warningId);
      if (!w || (agencies !== null && !agencies.includes(w.agencyCode)))
        throw new FiscusError('NOT_FOUND', { entity: '预警 warning', key: req.params.warningId });
      return w;
    },
  );
  r.get(
    '/api/v1/monitor/stats',
    {
      schema: {
        tags: ['monitor'],
        summary:
          '监控看板与评价 Warnings by level, rule, unit, month and status; evaluation per unit and rule',
        querystring: scope,
      },
    },
    async (req) => {
      const agencies = await access(req, req.query.region);
      return monitorStats(deps.db, { ...req.query, agencies });
    },
  );

  // Backtests and test-runs write nothing, but they read every payment of the period: they are
  // for whoever edits rules (monitor.rule.manage), not every reader.
  r.post(
    '/api/v1/monitor/backtest',
    {
      schema: {
        tags: ['monitor'],
        summary: '规则回测 Run a draft rule (or a stored version) over a past period; writes nothing',
        body: scope.extend({
          rule: ruleInput,
          from: isoDateSchema,
          to: isoDateSchema,
          limit: z.number().int().min(1).max(1000).optional(),
        }),
      },
    },
    async (req) => {
      const actor = await requireActor(req, deps);
      await authorizeRead(deps, actor, 'monitor.rule.manage', req.body.region);
      const b = req.body;
      const report = await backtestRule(deps.db, {
        region: b.region,
        year: b.year,
        rule: b.rule as Parameters<typeof backtestRule>[1]['rule'],
        from: b.from,
        to: b.to,
        ...(b.limit === undefined ? {} : { limit: b.limit }),
      });
      return backtestReportJson(report);
    },
  );
  r.post(
    '/api/v1/monitor/rules/test',
    {
      schema: {
        tags: ['monitor'],
        summary: '规则试运行 Judge a draft rule on chosen payment applications; writes nothing',
        body: scope.extend({
          rule: ruleInput,
          applicationIds: z.array(z.string().max(40)).min(1).max(200),
          on: isoDateSchema.optional(),
        }),
      },
    },
    async (req) => {
      const actor = await requireActor(req, deps);
      await authorizeRead(deps, actor, 'monitor.rule.manage', req.body.region);
      const b = req.body;
      const rows = await testRuleOnApplications(deps.db, {
        region: b.region,
        year: b.year,
        rule: b.rule as Parameters<typeof testRuleOnApplications>[1]['rule'],
        applicationIds: b.applicationIds,
        ...(b.on === undefined ? {} : { on: b.on }),
      });
      return { rows };
    },
  );
}
