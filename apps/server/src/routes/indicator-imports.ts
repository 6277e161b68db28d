import { docTypes, fiscalYearSchema, indicatorIdSchema, regionCodeSchema } from '@fiscus/contracts';
import { docTemplate, FiscusError, importDocument } from '@fiscus/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { requireActor } from '../plugins/session';
import { authorizeRead } from '../scope';

const today = () => new Date().toISOString().slice(0, 10);

/** 指标单 Excel: a template per document type, and import of lines as a draft (preview first). */
export async function indicatorImportRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/indicator-docs/templates/:docType',
    {
      schema: {
        tags: ['indicators'],
        summary: '指标单导入模板 Import template of a document type (xlsx)',
        params: z.object({ docType: z.enum(docTypes) }),
      },
    },
    async (req, reply) => {
      await requireActor(req, deps);
      const bytes = await docTemplate(req.params.docType);
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header(
          'content-disposition',
          `attachment; filename*=UTF-8''${encodeURIComponent(`${req.params.docType}-template.xlsx`)}`,
        )
        .send(bytes);
    },
  );
  r.post(
    '/api/v1/indicator-docs/imports',
    {
      schema: {
        tags: ['indicators'],
        summary:
          '导入指标单明细为草稿（dryRun=true 预览） Import document lines as a draft (dryRun=true previews)',
        querystring: z.object({
          region: regionCodeSchema,
          year: z.coerce.number().pipe(fiscalYearSchema),
          docType: z.enum(docTypes),
          docNo: z.string().min(1).max(100),
          title: z.string().min(1).max(200),
          fromIndicatorId: indicatorIdSchema.optional(),
          dryRun: z.enum(['true', 'false']).default('true'),
        }),
      },
      bodyLimit: 20 * 1024 * 1024,
    },
    async (req) => {
      const actor = await requireActor(req, deps);
      const q = req.query;
      await authorizeRead(deps, actor, 'indicator.prepare', q.region);
      if (!Buffer.isBuffer(req.body))
        throw new FiscusError('IMPORT_FILE_INVALID', {
          detail: 'send the file bytes as application/octet-stream',
        });
      return importDocument(deps.db, {
        docType: q.docType,
        bytes: req.body,
        fileName: decodeURIComponent(String(req.headers['x-file-name'] ?? 'upload.xlsx')),
        region: q.region,
        year: q.year,
        docNo: q.docNo,
        title: q.title,
        fromIndicatorId: q.fromIndicatorId,
        actor: actor.username,
        on: today(),
        dryRun: q.dryRun === 'true',
      });
    },
  );
}
