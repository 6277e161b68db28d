import { docIdSchema, docTypeNames, docTypes, fiscalYearSchema, regionCodeSchema } from '@fiscus/contracts';
import {
  type AccessDecision,
  type Actor,
  allDocuments,
  allIndicators,
  approvalInbox,
  documentDetail,
  FiscusError,
  formatYuan,
  indicatorDetail,
  listDocuments,
  listIndicators,
  parseYuan,
  reconcileLevels,
  writeXlsx,
} from '@fiscus/core';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { requireActor } from '../plugins/session';
import { authorizeRead } from '../scope';

/**
 * 指标管理 reads: the indicator ledger list and detail, documents, the approval inbox and the
 * level reconciliation. Every write (draft, submit, approve …) goes through POST /api/v1/commands.
 */

const scope = z.object({ region: regionCodeSchema, year: z.coerce.number().pipe(fiscalYearSchema) });
const paging = {
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(20),
};
const format = z.enum(['json', 'xlsx']).default('json');
const text = z.string().max(100).optional();
const code = z
  .string()
  .regex(/^[0-9A-Za-z]{0,21}$/)
  .optional();

const indicatorQuery = scope.extend({
  ...paging,
  format,
  q: text,
  agency: code,
  dept: code,
  project: code,
  expFunc: code,
  govEco: code,
  depEco: code,
  fundType: code,
  sourceType: code,
  indicatorType: code,
  docNo: text,
  supDocNo: text,
  pool: z.enum(['executable', 'unallocated']).optional(),
  directReach: z.enum(['true', 'false']).optional(),
});

const docStates = ['draft', 'submitted', 'approved', 'returned', 'voided'] as const;
const docQuery = scope.extend({
  ...paging,
  format,
  q: text,
  state: z.enum(docStates).optional(),
  docType: z.enum(docTypes).optional(),
  preparedBy: z.string().max(64).optional(),
});

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
function sendXlsx(reply: FastifyReply, name: string, body: Buffer) {
  return reply
    .header('content-type', XLSX)
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`)
    .send(body);
}

const poolNames = { executable: '可执行', unallocated: '待分' } as const;
const stateNames: Record<(typeof docStates)[number], string> = {
  draft: '未送审',
  submitted: '审核中',
  approved: '已生效',
  returned: '已退回',
  voided: '已作废',
};

const indicatorColumns = [
  { key: 'indicatorId', header: '指标编号', kind: 'code', width: 22 },
  { key: 'poolName', header: '指标类别', kind: 'text', width: 10 },
  { key: 'agencyCode', header: '单位代码', kind: 'code', width: 10 },
  { key: 'agencyName', header: '单位名称', kind: 'text', width: 24 },
  { key: 'deptCode', header: '部门', kind: 'code', width: 8 },
  { key: 'projectCode', header: '项目', kind: 'code', width: 14 },
  { key: 'expFuncCode', header: '支出功能分类', kind: 'code', width: 12 },
  { key: 'expFuncName', header: '功能分类名称', kind: 'text', width: 20 },
  { key: 'govEcoCode', header: '政府经济分类', kind: 'code', width: 12 },
  { key: 'depEcoCode', header: '部门经济分类', kind: 'code', width: 12 },
  { key: 'fundTypeCode', header: '资金性质', kind: 'code', width: 10 },
  { key: 'sourceTypeCode', header: '指标来源', kind: 'code', width: 10 },
  { key: 'indicatorTypeCode', header: '指标类型', kind: 'code', width: 10 },
  { key: 'docNo', header: '文号', kind: 'text', width: 22 },
  { key: 'supDocNo', header: '上级文号', kind: 'text', width: 22 },
  { key: 'directReach', header: '直达资金', kind: 'boolean', width: 8 },
  { key: 'total', header: '指标金额', kind: 'yuan', width: 16 },
  { key: 'available', header: '可用金额', kind: 'yuan', width: 16 },
  { key: 'frozen', header: '冻结金额', kind: 'yuan', width: 16 },
  { key: 'inUse', header: '在途金额', kind: 'yuan', width: 16 },
  { key: 'paid', header: '已支付金额', kind: 'yuan', width: 16 },
] as const;

const docColumns = [
  { key: 'docId', header: '单据编号', kind: 'code', width: 18 },
  { key: 'docTypeName', header: '单据类型', kind: 'text', width: 16 },
  { key: 'docNo', header: '文号', kind: 'text', width: 22 },
  { key: 'title', header: '标题', kind: 'text', width: 30 },
  { key: 'amount', header: '金额', kind: 'yuan', width: 16 },
  { key: 'stateName', header: '状态', kind: 'text', width: 10 },
  { key: 'stepName', header: '当前环节', kind: 'text', width: 14 },
  { key: 'preparedBy', header: '制单人', kind: 'text', width: 12 },
  { key: 'submittedBy', header: '送审人', kind: 'text', width: 12 },
  { key: 'updatedAt', header: '更新时间', kind: 'date', width: 12 },
] as const;

/** Documents name many agencies in their lines: an agency-scoped reader sees none of them. */
function needWholeRegion(actor: Actor, access: AccessDecision, region: string) {
  if (!access.wholeRegion) throw new FiscusError('SCOPE_DENIED', { actor: actor.username, scope: region });
}

export async function indicatorRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['indicators'];

  r.get(
    '/api/v1/indicators',
    {
      schema: {
        tags,
        summary: '指标台账 Indicators with total/available/frozen/in-use/paid amounts (format=xlsx exports)',
        querystring: indicatorQuery,
      },
    },
    async (req, reply) => {
      const actor = await requireActor(req, deps);
      const { format: fmt, directReach, ...q } = req.query;
      const access = await authorizeRead(deps, actor, 'indicator.read', q.region);
      const filter = {
        ...q,
        directReach: directReach === undefined ? undefined : directReach === 'true',
        agencies: access.wholeRegion ? null : access.agencies,
      };
      if (fmt === 'xlsx') {
        const rows = await allIndicators(deps.db, filter);
        const sum = (k: 'total' | 'available' | 'frozen' | 'inUse' | 'paid') =>
          formatYuan(rows.reduce((t, x) => t + parseYuan(x[k]), 0n));
        const totals = {
          indicatorId: '合计',
          total: sum('total'),
          available: sum('available'),
          frozen: sum('frozen'),
          inUse: sum('inUse'),
          paid: sum('paid'),
        };
        const body = await writeXlsx(
          '指标台账',
          [...indicatorColumns],
          [...rows.map((x) => ({ ...x, poolName: poolNames[x.pool] })), totals],
        );
        return sendXlsx(reply, `指标台账-${q.region}-${q.year}.xlsx`, body);
      }
      return listIndicators(deps.db, filter);
    },
  );

  r.get(
    '/api/v1/indicators/:id',
    {
      schema: {
        tags,
        summary: '指标详情 One indicator: elements, amounts, ledger lines, lineage up and down',
        params: z.object({ id: z.string().min(1).max(38) }),
        querystring: scope,
      },
    },
    async (req) => {
      const actor = await requireActor(req, deps);
      const q = req.query;
      const access = await authorizeRead(deps, actor, 'indicator.read', q.region);
      const d = await indicatorDetail(
        deps.db,
        q.region,
        q.year,
        req.params.id,
        access.wholeRegion ? null : access.agencies,
      );
      if (!d) throw new FiscusError('NOT_FOUND', { entity: '指标 indicator', key: req.params.id });
      return d;
    },
  );

  r.get(
    '/api/v1/indicator-docs',
    {
      schema: {
        tags,
        summary: '指标单列表 Indicator documents by state and type (format=xlsx exports)',
        querystring: docQuery,
      },
    },
    async (req, reply) => {
      const actor = await requireActor(req, deps);
      const { format: fmt, ...q } = req.query;
      needWholeRegion(actor, await authorizeRead(deps, actor, 'indicator.read', q.region), q.region);
      if (fmt === 'xlsx') {
        const rows = await allDocuments(deps.db, q);
        const body = await writeXlsx(
          '指标单',
          [...docColumns],
          rows.map((x) => ({
            ...x,
            docTypeName: docTypeNames[x.docType as keyof typeof docTypeNames] ?? x.docType,
            stateName: stateNames[x.state],
            stepName: x.currentStep?.name ?? null,
          })),
        );
        return sendXlsx(reply, `指标单-${q.region}-${q.year}.xlsx`, body);
      }
      return listDocuments(deps.db, q);
    },
  );

  r.get(
    '/api/v1/indicator-docs/inbox',
    {
      schema: {
        tags,
        summary: '审批待办 Submitted documents waiting on a step the signed-in user may approve',
        querystring: scope,
      },
    },
    async (req) => {
      const actor = await requireActor(req, deps);
      const q = req.query;
      needWholeRegion(actor, await authorizeRead(deps, actor, 'indicator.read', q.region), q.region);
      const items = await approvalInbox(deps.db, actor, q.region, q.year);
      return { total: items.length, items };
    },
  );

  r.get(
    '/api/v1/indicator-docs/:docId',
    {
      schema: {
        tags,
        summary: '指标单详情 One document: body, route, effect and the history of actions',
        params: z.object({ docId: docIdSchema }),
        querystring: scope,
      },
    },
    async (req) => {
      const actor = await requireActor(req, deps);
      const q = req.query;
      needWholeRegion(actor, await authorizeRead(deps, actor, 'indicator.read', q.region), q.region);
      const d = await documentDetail(deps.db, q.region, q.year, req.params.docId);
      if (!d) throw new FiscusError('NOT_FOUND', { entity: '指标单 document', key: req.params.docId });
      return d;
    },
  );

  r.get(
    '/api/v1/reconciliations/levels',
    {
      schema: {
        tags,
        summary: '上下级对账 What the region issued against what its lower levels received, by message',
        querystring: scope,
      },
    },
    async (req) => {
      const actor = await requireActor(req, deps);
      await authorizeRead(deps, actor, 'indicator.read', req.query.region);
      return reconcileLevels(deps.db, req.query.region, req.query.year);
    },
  );
}
