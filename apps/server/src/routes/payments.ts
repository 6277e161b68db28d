import { fiscalYearSchema, regionCodeSchema } from '@fiscus/contracts';
import { FiscusError, listPayments, paymentDetail } from '@fiscus/core';
import { voucherPdf } from '@fiscus/core/payments/vouchers/pdf';
import { paymentVoucher } from '@fiscus/core/payments/vouchers/queries';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { requireActor } from '../plugins/session';
import { authorizeRead } from '../scope';

const scope = z.object({ region: regionCodeSchema, year: z.coerce.number().pipe(fiscalYearSchema) });

/** 支付申请: lists and the full trail; writes go through POST /api/v1/commands. */
export async function paymentRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  /**
   * One thing of one application, for whoever may read payments in the region — of their own
   * agencies only, when their grant is agency-scoped (another agency's is "not found").
   */
  const readOne = async <T extends { agencyCode: string | null }>(
    req: FastifyRequest,
    q: { region: string; year: number },
    entity: string,
    key: string,
    load: () => Promise<T | null>,
  ): Promise<T> => {
    const actor = await requireActor(req, deps);
    const access = await authorizeRead(deps, actor, 'payment.read', q.region);
    const found = await load();
    if (!found || (!access.wholeRegion && !access.agencies.includes(found.agencyCode ?? '')))
      throw new FiscusError('NOT_FOUND', { entity, key });
    return found;
  };
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
    (req) =>
      readOne(req, req.query, '支付申请 payment application', req.params.applicationId, () =>
        paymentDetail(deps.db, req.query.region, req.query.year, req.params.applicationId),
      ),
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
      const v = await readOne(req, req.query, '支付凭证 payment voucher', req.params.applicationId, () =>
        paymentVoucher(deps.db, req.query.region, req.query.year, req.params.applicationId),
      );
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
      const v = await readOne(req, req.query, '支付凭证 payment voucher', req.params.applicationId, () =>
        paymentVoucher(deps.db, req.query.region, req.query.year, req.params.applicationId),
      );
      const pdf = await voucherPdf(v.envelope);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${v.vtCode}-${v.voucherNo}.pdf"`)
        .send(pdf);
    },
  );
}
