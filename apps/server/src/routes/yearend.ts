import { fiscalYearSchema, regionCodeSchema } from '@fiscus/contracts';
import {
  authorize,
  FiscusError,
  listYearendRuns,
  regionAncestry,
  reverseYearend,
  runYearend,
  yearendDryRun,
} from '@fiscus/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { requireActor } from '../plugins/session';
import { authorizeRead } from '../scope';

const scope = z.object({ region: regionCodeSchema, year: z.coerce.number().pipe(fiscalYearSchema) });
const today = () => new Date().toISOString().slice(0, 10);

/**
 * Runs driven by this server in the background, by region-year: a run is a series of chunk
 * commands (each idempotent and audited), so a restart loses nothing — the next start resumes.
 * What the last background drive ended with is kept to show on the page.
 */
const driving = new Map<string, { running: boolean; error: string | null }>();

/**
 * 年终结转: preview (dry run), runs with their progress, and starting or reversing a run from the
 * web page (the server drives the chunks). The chunk commands also go through /api/v1/commands.
 */
export async function yearendRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const mayRun = async (actor: Parameters<typeof authorize>[0], region: string) => {
    const ancestry = (await regionAncestry(deps.db, region)) ?? [region];
    authorize(actor, 'indicator.yearend', ancestry);
  };
  const drive = (key: string, work: Promise<unknown>) => {
    driving.set(key, { running: true, error: null });
    work.then(
      () => driving.set(key, { running: false, error: null }),
      (e: unknown) => {
        const err = e as { code?: string; message?: string };
        driving.set(key, { running: false, error: `${err.code ?? ''} ${err.message ?? String(e)}`.trim() });
      },
    );
  };
  r.get(
    '/api/v1/yearend/preview',
    {
      schema: {
        tags: ['indicators'],
        summary: '年终结转预览（不记账） Year-end dry run: totals to carry and to lapse, by fund type',
        querystring: scope,
      },
    },
    async (req) => {
      const actor = await requireActor(req, deps);
      await authorizeRead(deps, actor, 'indicator.read', req.query.region);
      return yearendDryRun(deps.db, req.query.region, req.query.year);
    },
  );
  r.post(
    '/api/v1/yearend/runs',
    {
      schema: {
        tags: ['indicators'],
        summary:
          '开始（或继续）年终结转，由服务器分批执行 Start or resume a year-end run (the server drives its chunks)',
        querystring: scope,
      },
    },
    async (req, reply) => {
      const actor = await requireActor(req, deps);
      const { region, year } = req.query;
      await mayRun(actor, region);
      const key = `${region}|${year}`;
      if (driving.get(key)?.running) return reply.status(202).send({ started: false, running: true });
      drive(key, runYearend(deps.db, { region, year, actor: actor.username, on: today() }));
      return reply.status(202).send({ started: true, running: true });
    },
  );
  r.post(
    '/api/v1/yearend/runs/:runId/reversal',
    {
      schema: {
        tags: ['indicators'],
        summary: '冲销整批年终结转 Reverse a whole year-end run (the server drives its chunks)',
        params: z.object({ runId: z.string().min(1).max(80) }),
        querystring: scope,
      },
    },
    async (req, reply) => {
      const actor = await requireActor(req, deps);
      const { region, year } = req.query;
      await mayRun(actor, region);
      const key = `${region}|${year}`;
      if (driving.get(key)?.running) return reply.status(202).send({ started: false, running: true });
      const runs = await listYearendRuns(deps.db, region, year);
      if (!runs.some((x) => x.runId === req.params.runId))
        throw new FiscusError('NOT_FOUND', { entity: '年终结转 year-end run', key: req.params.runId });
      drive(key, reverseYearend(deps.db, { runId: req.params.runId, actor: actor.username, on: today() }));
      return reply.status(202).send({ started: true, running: true });
    },
  );
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
      const drive = req.query.year ? driving.get(`${req.query.region}|${req.query.year}`) : undefined;
      return {
        driving: drive ?? { running: false, error: null },
        runs: runs.map((x) => ({
          ...x,
          progress:
            x.plannedCount > 0 ? Math.min(1, x.processed / x.plannedCount) : x.state === 'running' ? 0 : 1,
        })),
      };
    },
  );
}
