import { randomUUID } from 'node:crypto';
import {
  differenceStates,
  httpStatusOf,
  isoDateSchema,
  reconcileLayers,
  reconcilePairs,
  reconcileParties,
  regionCodeSchema,
} from '@fiscus/contracts';
import { executeCommands, FiscusError } from '@fiscus/core';
import { beijingDate } from '@fiscus/core/reconcile/daily';
import { differenceDetail, listDifferences, listRuns, runDetail } from '@fiscus/core/reconcile/queries';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { requireActor } from '../plugins/session';
import { authorizeRead } from '../scope';

const region = z.object({ region: regionCodeSchema });

/**
 * 对账 reads: the runs of a date, one run's layer × pair figures (green / red), the differences and
 * one difference with what each side says. POST runs a reconciliation as the signed-in user (the
 * `reconcile.run` command); the disposition is the reconcileDiff.* commands.
 */
export async function reconcileRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const access = async (req: Parameters<typeof requireActor>[0], regionCode: string) => {
    const actor = await requireActor(req, deps);
    await authorizeRead(deps, actor, 'reconcile.read', regionCode);
    return actor;
  };

  r.post(
    '/api/v1/reconcile/runs',
    {
      schema: {
        tags: ['reconcile'],
        summary: '运行对账 Reconcile a date (the reconcile.run command as the signed-in user)',
        body: z.strictObject({
          region: regionCodeSchema,
          date: isoDateSchema,
          parties: z.array(z.enum(reconcileParties)).optional(),
          id: z.string().min(8).max(64).optional(),
        }),
      },
    },
    async (req, reply) => {
      const actor = await requireActor(req, deps);
      const b = req.body;
      const [res] = await executeCommands(
        deps.db,
        [
          {
            id: b.id ?? randomUUID(),
            type: 'reconcile.run',
            region: b.region,
            year: Number(b.date.slice(0, 4)),
            on: beijingDate(),
            payload: { date: b.date, ...(b.parties ? { parties: b.parties } : {}) },
          },
        ],
        { sessionActor: actor.username },
      );
      return reply.status(res!.status === 'accepted' ? 200 : httpStatusOf(res!.error.code)).send(res);
    },
  );
  r.get(
    '/api/v1/reconcile/runs',
    {
      schema: {
        tags: ['reconcile'],
        summary: '对账批次 Reconciliation runs of a region (of a date), newest first',
        querystring: region.extend({ date: isoDateSchema.optional() }),
      },
    },
    async (req) => {
      await access(req, req.query.region);
      return listRuns(deps.db, req.query);
    },
  );
  r.get(
    '/api/v1/reconcile/runs/:runId',
    {
      schema: {
        tags: ['reconcile'],
        summary: '对账结果 One run: per layer × pair counts, matched amount (yuan), green / red',
        params: z.object({ runId: z.string().max(40) }),
        querystring: region,
      },
    },
    async (req) => {
      await access(req, req.query.region);
      const run = await runDetail(deps.db, req.query.region, req.params.runId);
      if (!run)
        throw new FiscusError('NOT_FOUND', { entity: '对账批次 reconciliation run', key: req.params.runId });
      return run;
    },
  );
  r.get(
    '/api/v1/reconcile/differences',
    {
      schema: {
        tags: ['reconcile'],
        summary: '对账差异 Differences of a run (default: the current runs of the region)',
        querystring: region.extend({
          runId: z.string().max(40).optional(),
          layer: z.enum(reconcileLayers).optional(),
          pair: z.enum(reconcilePairs).optional(),
          state: z.enum(differenceStates).optional(),
          kind: z.string().max(20).optional(),
          page: z.coerce.number().int().min(1).default(1),
          pageSize: z.coerce.number().int().min(1).max(500).default(50),
        }),
      },
    },
    async (req) => {
      await access(req, req.query.region);
      return listDifferences(deps.db, req.query);
    },
  );
  r.get(
    '/api/v1/reconcile/differences/:differenceId',
    {
      schema: {
        tags: ['reconcile'],
        summary: '差异详情 One difference, its trail and the records behind it on each side',
        params: z.object({ differenceId: z.string().max(40) }),
        querystring: region,
      },
    },
    async (req) => {
      await access(req, req.query.region);
      const d = await differenceDetail(deps.db, req.query.region, req.params.differenceId);
      if (!d)
        throw new FiscusError('NOT_FOUND', { entity: '对账差异 difference', key: req.params.differenceId });
      return d;
    },
  );
}
