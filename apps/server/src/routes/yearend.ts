import { fiscalYearSchema, regionCodeSchema } from '@fiscus/contracts';
import { listYearendRuns } from '@fiscus/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { requireActor } from '../plugins/session';
import { authorizeRead } from '../scope';

/** 年终结转: the runs of a region (and year) with their progress. Commands go through /api/v1/commands. */
export async function yearendRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/yearend/runs',
    {
      schema: {
        tags: ['indicators'],
        summary: '年终结转批次及进度 Year-end runs with their progress',
        querystring: z.object({
          region: regionCodeSchema,
          year: z.coerce.number().pipe(fiscalYearSchema).optional(),
        }),
      },
    },
    async (req) => {
      const actor = await requireActor(req, deps);
      await authorizeRead(deps, actor, 'indicator.read', req.query.region);
      const runs = await listYearendRuns(deps.db, req.query.region, req.query.year);
      return {
        runs: runs.map((x) => ({
          ...x,
          progress:
            x.plannedCount > 0 ? Math.min(1, x.processed / x.plannedCount) : x.state === 'running' ? 0 : 1,
        })),
      };
    },
  );
}
