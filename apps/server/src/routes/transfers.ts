import { fiscalYearSchema, regionCodeSchema } from '@fiscus/contracts';
import { receivedFrom } from '@fiscus/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { requireActor } from '../plugins/session';
import { authorizeRead } from '../scope';

/**
 * What this instance's regions received from an upper region: the lower side of the level
 * reconciliation, for an upper level that runs on another Fiscus instance.
 */
export async function transferRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/transfers/received',
    {
      schema: {
        tags: ['indicators'],
        summary: '下级收到的转移支付 Transfers received from an upper region (for level reconciliation)',
        querystring: z.object({ from: regionCodeSchema, year: z.coerce.number().pipe(fiscalYearSchema) }),
      },
    },
    async (req) => {
      const actor = await requireActor(req, deps);
      await authorizeRead(deps, actor, 'indicator.read', req.query.from);
      const rows = await receivedFrom(deps.db, req.query.from, req.query.year);
      return {
        rows: rows.map((x) => ({
          ...x,
          amountFen: x.amountFen.toString(),
          ledgerFen: x.ledgerFen.toString(),
        })),
      };
    },
  );
}
