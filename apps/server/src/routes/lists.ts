import { fiscalYearSchema, type PageQuery, pageQuerySchema, regionCodeSchema } from '@fiscus/contracts';
import {
  allRows,
  FiscusError,
  getRow,
  importList,
  type ListDef,
  listDefs,
  listRows,
  writeTemplate,
  writeXlsx,
} from '@fiscus/core';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { requireActor } from '../plugins/session';
import { authorizeRead } from '../scope';

const scopeQuery = z.object({ region: regionCodeSchema, year: z.coerce.number().pipe(fiscalYearSchema) });
type ScopeQuery = z.infer<typeof scopeQuery>;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function filtersOf(def: ListDef, query: Record<string, unknown>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const c of def.columns) {
    const v = query[c.key];
    if (c.filter && typeof v === 'string') out[c.key] = v;
  }
  return out;
}

function sendXlsx(reply: FastifyReply, name: string, body: Buffer) {
  return reply
    .header('content-type', XLSX)
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`)
    .send(body);
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export async function listRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/lists',
    { schema: { tags: ['basedata'], summary: '基础信息列表定义 List metadata' } },
    async (req) => {
      await requireActor(req, deps);
      return listDefs.map((d) => ({
        key: d.key,
        title: d.title,
        permission: d.permission,
        yearScoped: d.yearScoped,
        importable: Boolean(d.import),
        keyColumn: d.keyColumn,
        ...(d.idFields ? { idFields: d.idFields } : {}),
        columns: d.columns.map((c) => ({
          key: c.key,
          title: c.header,
          kind: c.kind,
          filter: c.filter,
          ...(c.options ? { options: c.options } : {}),
        })),
      }));
    },
  );

  for (const def of listDefs) {
    const base = `/api/v1/${def.key}`;
    const tags = ['basedata'];
    const filterShape = Object.fromEntries(
      def.columns.filter((c) => c.filter).map((c) => [c.key, z.string().max(100).optional()]),
    );
    const listQuery = scopeQuery.extend(pageQuerySchema.shape).extend(filterShape);
    const exportQuery = scopeQuery.extend({ q: z.string().max(100).optional() }).extend(filterShape);

    r.get(
      base,
      { schema: { tags, summary: `${def.title.zh} ${def.title.en}`, querystring: listQuery } },
      async (req) => {
        const actor = await requireActor(req, deps);
        const q = req.query as ScopeQuery & PageQuery & Record<string, unknown>;
        await authorizeRead(deps, actor, def.permission, q.region);
        return listRows(deps.db, def, {
          region: q.region,
          year: q.year,
          page: q.page,
          pageSize: q.pageSize,
          q: q.q,
          filters: filtersOf(def, q),
        });
      },
    );

    r.get(
      `${base}/export`,
      { schema: { tags, summary: `导出 ${def.title.zh}`, querystring: exportQuery } },
      async (req, reply) => {
        const actor = await requireActor(req, deps);
        const q = req.query as ScopeQuery & { q?: string } & Record<string, unknown>;
        await authorizeRead(deps, actor, def.permission, q.region);
        const rows = await allRows(deps.db, def, {
          region: q.region,
          year: q.year,
          q: q.q,
          filters: filtersOf(def, q),
        });
        const body = await writeXlsx(def.title.zh, def.columns, rows);
        return sendXlsx(reply, `${def.title.zh}-${q.region}-${q.year}.xlsx`, body);
      },
    );

    r.get(
      `${base}/template`,
      { schema: { tags, summary: `导入模板 ${def.title.zh}` } },
      async (req, reply) => {
        await requireActor(req, deps);
        const cols = def.columns.filter((c) => !c.readOnly);
        return sendXlsx(reply, `${def.title.zh}-导入模板.xlsx`, await writeTemplate(def.title.zh, cols));
      },
    );

    r.get(
      `${base}/:id`,
      {
        schema: {
          tags,
          summary: `${def.title.zh} 详情`,
          params: z.object({ id: z.string().max(100) }),
          querystring: scopeQuery,
        },
      },
      async (req) => {
        const actor = await requireActor(req, deps);
        await authorizeRead(deps, actor, def.permission, req.query.region);
        const item = await getRow(deps.db, def, req.params.id, req.query);
        if (!item) throw new FiscusError('NOT_FOUND', { entity: def.title.zh, key: req.params.id });
        return { item };
      },
    );

    if (def.import) {
      r.post(
        `${base}/imports`,
        {
          schema: {
            tags,
            summary: `导入 ${def.title.zh}（dryRun=true 预览）`,
            querystring: scopeQuery.extend({ dryRun: z.enum(['true', 'false']).default('true') }),
          },
          bodyLimit: 20 * 1024 * 1024,
        },
        async (req) => {
          const actor = await requireActor(req, deps);
          await authorizeRead(deps, actor, def.permission, req.query.region);
          if (!Buffer.isBuffer(req.body))
            throw new FiscusError('IMPORT_FILE_INVALID', {
              detail: 'send the file bytes as application/octet-stream',
            });
          const fileName = String(req.headers['x-file-name'] ?? 'upload.xlsx');
          return importList(deps.db, {
            def,
            bytes: req.body,
            fileName: decodeURIComponent(fileName),
            region: req.query.region,
            year: req.query.year,
            actor: actor.username,
            on: today(),
            dryRun: req.query.dryRun === 'true',
          });
        },
      );
    }
  }
}
