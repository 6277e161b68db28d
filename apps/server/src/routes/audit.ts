import { pageQuerySchema, regionCodeSchema } from '@fiscus/contracts';
import { allPermissions, FiscusError, listAudit, verifyAudit } from '@fiscus/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { requireActor } from '../plugins/session';
import { authorizeRead } from '../scope';

export async function auditRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/audit-records',
    {
      schema: {
        tags: ['audit'],
        summary: '审计日志 Audit records (newest first)',
        querystring: pageQuerySchema.extend({
          region: regionCodeSchema,
          actor: z.string().max(64).optional(),
          commandType: z.string().max(64).optional(),
        }),
      },
    },
    async (req) => {
      const actor = await requireActor(req, deps);
      await authorizeRead(deps, actor, 'audit.read', req.query.region);
      const page = await listAudit(deps.db, { ...req.query, regionCode: req.query.region });
      return {
        ...page,
        items: page.items.map((a) => ({
          regionCode: a.region_code,
          seq: a.seq.toString(),
          recordedAt: new Date(a.recorded_at).toISOString(),
          actor: a.actor,
          commandId: a.command_id,
          commandType: a.command_type,
          fiscalYear: a.fiscal_year,
          businessDate: a.business_date,
          outcome: a.outcome,
          errorCode: a.error_code,
          detail: a.detail,
          hash: a.hash,
        })),
      };
    },
  );
  r.post(
    '/api/v1/audit/verifications',
    {
      schema: {
        tags: ['audit'],
        summary: '校验审计链 Verify the audit chains',
        querystring: z.object({ region: regionCodeSchema.optional() }),
      },
    },
    async (req) => {
      const actor = await requireActor(req, deps);
      if (req.query.region) await authorizeRead(deps, actor, 'audit.verify', req.query.region);
      // Without a region every chain is verified, including the system chain: the audit
      // administrator's duty is system-wide, so holding the permission anywhere is enough.
      else if (!allPermissions(actor).includes('audit.verify')) {
        throw new FiscusError('PERMISSION_DENIED', { actor: actor.username, permission: 'audit.verify' });
      }
      return verifyAudit(deps.db, req.query.region);
    },
  );
}
