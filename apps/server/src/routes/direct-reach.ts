import { fiscalYearSchema, regionCodeSchema } from '@fiscus/contracts';
import {
  type AccessDecision,
  type Actor,
  authorize,
  type DirectReachFigures,
  directReachPayments,
  directReachReport,
  FiscusError,
  formatYuan,
} from '@fiscus/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { requireActor } from '../plugins/session';
import { authorizeRead } from '../scope';

const scope = z.object({ region: regionCodeSchema, year: z.coerce.number().pipe(fiscalYearSchema) });

/** Either permission lets one read the tracking report: monitoring staff and budget staff alike. */
const READ_PERMISSIONS = ['monitor.read', 'indicator.read'] as const;

/**
 * The report covers a region as a whole (every unit's payments and beneficiaries), so it needs a
 * grant of either permission without an agency restriction; an agency-scoped grant is refused.
 */
async function readRegion(deps: AppDeps, actor: Actor, region: string, ancestry?: readonly string[]) {
  let refusal: unknown = null;
  for (const permission of READ_PERMISSIONS) {
    try {
      const access: AccessDecision = ancestry
        ? authorize(actor, permission, ancestry)
        : await authorizeRead(deps, actor, permission, region);
      if (access.wholeRegion) return;
      refusal = new FiscusError('SCOPE_DENIED', { actor: actor.username, scope: region });
    } catch (e) {
      if (!(e instanceof FiscusError) || e.code === 'REGION_UNKNOWN') throw e;
      refusal ??= e;
    }
  }
  throw refusal;
}

const figures = (f: DirectReachFigures) => ({
  received: formatYuan(f.receivedFen),
  allocated: formatYuan(f.allocatedFen),
  issued: formatYuan(f.issuedFen),
  unallocated: formatYuan(f.unallocatedFen),
  paid: formatYuan(f.paidFen),
  payments: f.payments,
  beneficiaries: f.beneficiaries,
  beneficiaryAmount: formatYuan(f.beneficiaryAmountFen),
});

/** 直达资金跟踪: the tracking report per fund and region, and its drill-down to each payment. */
export async function directReachRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['monitor'];

  r.get(
    '/api/v1/monitor/direct-reach',
    {
      schema: {
        tags,
        summary:
          '直达资金跟踪表 Direct-reach funds per fund and region: received, allocated, issued, paid, beneficiaries',
        querystring: scope.extend({ subRegions: z.enum(['true', 'false']).default('false') }),
      },
    },
    async (req) => {
      const actor = await requireActor(req, deps);
      const q = req.query;
      const sub = q.subRegions === 'true';
      await readRegion(deps, actor, q.region);
      if (sub) {
        // Every region of the subtree must be readable: the report would otherwise show what the
        // reader may not see.
        const below = await sql<{ region_code: string; path: string }>`
          select r.region_code, r.path from basedata.region r, basedata.region p
          where p.region_code = ${q.region} and r.path like p.path || '/%'`.execute(deps.db);
        for (const x of below.rows) await readRegion(deps, actor, x.region_code, x.path.split('/'));
      }
      const rep = await directReachReport(deps.db, {
        region: q.region,
        year: q.year,
        includeSubRegions: sub,
      });
      return {
        region: rep.region,
        year: rep.year,
        subRegions: rep.includeSubRegions,
        funds: rep.funds.map((f) => ({
          fundKey: f.fundKey,
          region: f.region,
          regionName: f.regionName,
          docNo: f.docNo,
          supDocNo: f.supDocNo,
          title: f.title,
          originKind: f.originKind,
          pool: f.pool,
          agencyCode: f.agencyCode,
          fundTypeCode: f.fundTypeCode,
          fundTypeName: f.fundTypeName,
          expFuncCode: f.expFuncCode,
          expFuncName: f.expFuncName,
          projectCode: f.projectCode,
          trackProjectCode: f.trackProjectCode,
          indicators: f.indicators,
          upper: f.upper,
          ...figures(f),
        })),
        totals: { funds: rep.totals.funds, ...figures(rep.totals) },
      };
    },
  );

  r.get(
    '/api/v1/monitor/direct-reach/:fundKey/payments',
    {
      schema: {
        tags,
        summary: '直达资金支付明细 The paid payments of one direct-reach fund, with each beneficiary record',
        params: z.object({ fundKey: z.string().regex(/^[0-9A-Za-z_-]{1,80}$/) }),
        querystring: scope.extend({
          page: z.coerce.number().int().min(1).default(1),
          pageSize: z.coerce.number().int().min(1).max(500).default(20),
        }),
      },
    },
    async (req) => {
      const actor = await requireActor(req, deps);
      const q = req.query;
      await readRegion(deps, actor, q.region);
      const found = await directReachPayments(deps.db, { ...q, fundKey: req.params.fundKey });
      if (!found) throw new FiscusError('NOT_FOUND', { entity: '直达资金 fund', key: req.params.fundKey });
      return {
        region: found.region,
        year: found.year,
        fundKey: found.fundKey,
        total: found.total,
        page: found.page,
        pageSize: found.pageSize,
        paid: formatYuan(found.paidFen),
        items: found.items.map((p) => ({
          applicationId: p.applicationId,
          indicatorId: p.indicatorId,
          agencyCode: p.agencyCode,
          agencyName: p.agencyName,
          payType: p.payType,
          amount: formatYuan(p.amountFen),
          purpose: p.purpose,
          payeeName: p.payeeName,
          payeeAccountNo: p.payeeAccountNo,
          paidOn: p.paidOn,
          vtCode: p.vtCode,
          voucherNo: p.voucherNo,
          beneficiaries: p.beneficiaries.map(({ amountFen, ...b }) => ({
            ...b,
            amount: formatYuan(amountFen),
          })),
        })),
      };
    },
  );
}
