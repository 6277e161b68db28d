import { fiscalYearSchema, isoDateSchema, regionCodeSchema } from '@fiscus/contracts';
import { formatYuan } from '@fiscus/core/kernel/money';
import { paymentCorrections, quotaBalances, quotaNotices } from '@fiscus/core/payments/clearing/queries';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { requireActor } from '../plugins/session';
import { authorizeRead } from '../scope';

const scope = z.object({ region: regionCodeSchema, year: z.coerce.number().pipe(fiscalYearSchema) });

/**
 * 清算 reads (docs/design/clearing-protocol.md): the quota notices (5108 / 5106) of a pay date with
 * their lines and send / receipt state, the quota balances per agent bank × pay type, and the
 * corrections of one paid application. Writes are commands (clearing.issueQuotas, payment.correct,
 * payment.approveCorrection). Amounts are yuan strings; the signed envelopes stay on the server.
 */
export async function clearingRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const access = async (req: Parameters<typeof requireActor>[0], region: string) => {
    const actor = await requireActor(req, deps);
    await authorizeRead(deps, actor, 'clearing.read', region);
  };

  r.get(
    '/api/v1/clearing/quotas',
    {
      schema: {
        tags: ['clearing'],
        summary: '清算额度通知单 Quota notices (5108 / 5106) of a region-year (of a pay date), with lines',
        querystring: scope.extend({ date: isoDateSchema.optional() }),
      },
    },
    async (req) => {
      const q = req.query;
      await access(req, q.region);
      const notices = await quotaNotices(deps.db, q.region, q.year, q.date);
      return {
        rows: notices.map((n) => ({
          vtCode: n.vtCode,
          voucherNo: n.voucherNo,
          payDate: n.payDate,
          bankCode: n.bankCode,
          payTypeCode: n.payTypeCode,
          seq: n.seq,
          amount: n.amount,
          state: n.state,
          receipts: n.receipts,
          lines: n.lines.map((l) => ({
            lineNo: l.lineNo,
            kind: l.kind,
            payVoucherNo: l.payVoucherNo,
            oriVtCode: l.oriVtCode,
            sourceVtCode: l.sourceVtCode,
            sourceNo: l.sourceNo,
            amount: formatYuan(l.amountFen),
            coding: l.coding,
          })),
        })),
      };
    },
  );
  r.get(
    '/api/v1/clearing/balances',
    {
      schema: {
        tags: ['clearing'],
        summary: '清算额度余额 Issued, cleared and open quota per agent bank × pay type',
        querystring: scope.extend({ from: isoDateSchema.optional(), to: isoDateSchema.optional() }),
      },
    },
    async (req) => {
      const q = req.query;
      await access(req, q.region);
      const rows = await quotaBalances(deps.db, q.region, q.year, { from: q.from, to: q.to });
      return {
        rows: rows.map((b) => ({
          bankCode: b.bankCode,
          payTypeCode: b.payTypeCode,
          vtCode: b.vtCode,
          notices: b.notices,
          issued: b.issued,
          cleared: b.cleared,
          balance: b.balance,
        })),
      };
    },
  );
  r.get(
    '/api/v1/payments/:applicationId/corrections',
    {
      schema: {
        tags: ['clearing'],
        summary: '支付更正 The corrections of a paid application, oldest first',
        params: z.object({ applicationId: z.string().max(40) }),
        querystring: scope,
      },
    },
    async (req) => {
      const q = req.query;
      await access(req, q.region);
      const rows = await paymentCorrections(deps.db, q.region, q.year, req.params.applicationId);
      return { rows: rows.map((c) => ({ ...c, entryId: c.entryId === null ? null : String(c.entryId) })) };
    },
  );
}
