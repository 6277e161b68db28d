import { fiscalYearSchema, regionCodeSchema } from '@fiscus/contracts';
import { FiscusError, listPayments, paymentDetail } from '@fiscus/core';
import { voucherPdf } from '@fiscus/core/payments/vouchers/pdf';
import { paymentVoucher } from '@fiscus/core/payments/vouchers/queries';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { requireActor } from '../plugins/session';
import { authorizeRead } from '../scope';

const scope = z.object({ region: regionCodeSchema, year: z.coerce.number().pipe(fiscalYearSchema) });

/** 支付申请: lists and the full trail; writes go through POST /api/v1/commands. */
export async function paymentRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/payments',
    {
      schema: {
        tags: ['payments'],
        summary: '支付申请列表 Payment applications (an agency-scoped user sees their agencies only)',
        querystring: scope.extend({
          state: z.string().max(20).optional(),
          agencyCode: z.string().max(21).optional(),
          indicatorId: z.string().max(38).optional(),
          page: z.coerce.number().int().min(1).default(1),
          pageSize: z.coerce.number().int().min(1).max(500).default(20),
        }),
      },
    },
    async (req) => {
      const actor = await requireActor(req, deps);
      const q = req.query;
      const access = await authorizeRead(deps, actor, 'payment.read', q.region);
      return listPayments(deps.db, { ...q, agencies: access.wholeRegion ? null : access.agencies });
    },
  );
  r.get(
    '/api/v1/payments/:applicationId',
    {
      schema: {
        tags: ['payments'],
        summary: '支付申请详情与全程轨迹 One application with its actions and ledger entries',
        params: z.object({ applicationId: z.string().max(40) }),
        querystring: scope,
      },
    },
    async (req) => {
      const actor = await requireActor(req, deps);
      const access = await authorizeRead(deps, actor, 'payment.read', req.query.region);
      const d = await paymentDetail(deps.db, req.query.region, req.query.year, req.params.applicationId);
      if (!d || (!access.wholeRegion && !access.agencies.includes(d.agencyCode ?? '')))
        throw new FiscusError('NOT_FOUND', {
          entity: '支付申请 payment application',
          key: req.params.applicationId,
        });
      return d;
    },
  );
  r.get(
    '/api/v1/payments/:applicationId/voucher',
    {
      schema: {
        tags: ['payments'],
        summary: '支付凭证 The signed payment voucher of an application (its MOF envelope, XML text)',
        params: z.object({ applicationId: z.string().max(40) }),
        querystring: scope,
      },
    },
    async (req) => {
      const actor = await requireActor(req, deps);
      const access = await authorizeRead(deps, actor, 'payment.read', req.query.region);
      const v = await paymentVoucher(deps.db, req.query.region, req.query.year, req.params.applicationId);
      if (!v || (!access.wholeRegion && !access.agencies.includes(v.agencyCode ?? '')))
        throw new FiscusError('NOT_FOUND', {
          entity: '支付凭证 payment voucher',
          key: req.params.applicationId,
        });
      return {
        applicationId: v.applicationId,
        vtCode: v.vtCode,
        voucherNo: v.voucherNo,
        libraryStatus: v.libraryStatus,
        signedBy: v.signedBy,
        keyId: v.keyId,
        createdAt: v.createdAt.toISOString(),
        envelope: v.envelope,
      };
    },
  );
  r.get(
    '/api/v1/payments/:applicationId/voucher.pdf',
    {
      schema: {
        tags: ['payments'],
        summary: '支付凭证 PDF（含大写金额） The voucher as a PDF, amount in Chinese capitals',
        params: z.object({ applicationId: z.string().max(40) }),
        querystring: scope,
      },
    },
    async (req, reply) => {
      const actor = await requireActor(req, deps);
      const access = await authorizeRead(deps, actor, 'payment.read', req.query.region);
      const v = await paymentVoucher(deps.db, req.query.region, req.query.year, req.params.applicationId);
      if (!v || (!access.wholeRegion && !access.agencies.includes(v.agencyCode ?? '')))
        throw new FiscusError('NOT_FOUND', {
          entity: '支付凭证 payment voucher',
          key: req.params.applicationId,
        });
      const pdf = await voucherPdf(v.envelope);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${v.vtCode}-${v.voucherNo}.pdf"`)
        .send(pdf);
    },
  );
}
