import { fiscalYearSchema, regionCodeSchema } from '@fiscus/contracts';
import { reportNames, reportTitles, runReport, toCsv, toXlsx, verifyLedger } from '@fiscus/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { requireActor } from '../plugins/session';
import { authorizeRead } from '../scope';

const reportQuery = z.object({
  region: regionCodeSchema,
  year: z.coerce.number().pipe(fiscalYearSchema),
  by: z.string().max(200).optional(),
  asOf: z.iso.date().optional(),
  subtree: z.enum(['true', 'false']).optional(),
  indicatorId: z.string().max(38).optional(),
  format: z.enum(['json', 'csv', 'xlsx']).default('json'),
});

export async function ledgerRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/ledger/reports/:name',
    {
      schema: {
        tags: ['ledger'],
        summary: '指标核算报表 Ledger reports: balances, trial-balance, sources-uses, progress, indicator',
        params: z.object({ name: z.enum(reportNames) }),
        querystring: reportQuery,
      },
    },
    async (req, reply) => {
      const actor = await requireActor(req, deps);
      const q = req.query;
      await authorizeRead(deps, actor, 'ledger.read', q.region);
      const rows = await runReport(deps.db, req.params.name, {
        region: q.region,
        year: q.year,
        by: q.by ? q.by.split(',').map((s) => s.trim()) : undefined,
        asOf: q.asOf,
        includeSubtree: q.subtree === 'true',
        indicatorId: q.indicatorId,
      });
      const title = reportTitles[req.params.name];
      if (q.format === 'csv') return reply.type('text/csv; charset=utf-8').send(toCsv(rows));
      if (q.format === 'xlsx') {
        return reply
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header(
            'content-disposition',
            `attachment; filename*=UTF-8''${encodeURIComponent(`${title}-${q.region}-${q.year}.xlsx`)}`,
          )
          .send(await toXlsx(title, rows));
      }
      return { report: req.params.name, title, rows };
    },
  );
  r.post(
    '/api/v1/ledger/verifications',
    {
      schema: {
        tags: ['ledger'],
        summary: '核对指标账 Verify the ledger',
        querystring: z.object({
          region: regionCodeSchema,
          year: z.coerce.number().pipe(fiscalYearSchema).optional(),
        }),
      },
    },
    async (req) => {
      const actor = await requireActor(req, deps);
      await authorizeRead(deps, actor, 'ledger.read', req.query.region);
      return verifyLedger(deps.db, { region: req.query.region, year: req.query.year });
    },
  );
}
