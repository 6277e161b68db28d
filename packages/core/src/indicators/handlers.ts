import {
  approveDocument,
  type DocumentBody,
  draftDocument,
  returnDocument,
  saveRoute,
  submitDocument,
  voidDocument,
  withdrawDocument,
} from '@fiscus/contracts';
import { holdsPermission } from '../auth/domain/access';
import { regionAncestry } from '../basedata/store/scope';
import { type CommandContext, defineHandler } from '../commands/handler';
import { FiscusError } from '../kernel/errors';
import { formatYuan } from '../kernel/money';
import { postScenarios } from '../ledger/post-scenarios';
import {
  createdIndicatorIds,
  type DocumentEffect,
  documentAmount,
  documentEffect,
  referencedIndicators,
} from './domain/effects';
import { type DocAction, transition } from './domain/workflow';
import { addAction, lockDocument, nextDocId } from './store/documents';
import { childRegions, existingIds, insertIndicators, loadIndicators, standingOf } from './store/indicators';
import { loadRoute } from './store/routes';
import { loadAdvances, recordOutgoing } from './store/transfers';

type Ctx<P> = CommandContext<P>;

/** What the document would do now, with the balances as they are (refuses what it cannot). */
async function effectNow(ctx: Ctx<unknown>, docId: string, docNo: string, body: DocumentBody) {
  const { trx, region, year } = ctx;
  const taken = await existingIds(trx, region, year, createdIndicatorIds(docId, body));
  if (taken.length > 0)
    throw new FiscusError('ALREADY_EXISTS', { entity: '指标 indicator', key: taken.join(', ') });
  const indicators = await loadIndicators(trx, region, year, referencedIndicators(body));
  const standing = await standingOf(trx, region, year, [...indicators.values()]);
  const children = await childRegions(trx, region);
  const offsets =
    body.docType === 'issue' ? body.lines.flatMap((l) => (l.offsetsAdvance ? [l.offsetsAdvance] : [])) : [];
  const advances = await loadAdvances(trx, region, year, offsets);
  return documentEffect({ region, year, docId, docNo, body, indicators, standing, children, advances });
}

async function mustLock(ctx: Ctx<{ docId: string }>) {
  const found = await lockDocument(ctx.trx, ctx.region, ctx.year, ctx.payload.docId);
  if (!found) throw new FiscusError('NOT_FOUND', { entity: '指标单 document', key: ctx.payload.docId });
  return found;
}

export const draftDocumentHandler = defineHandler({
  def: draftDocument,
  async handle(ctx) {
    const { trx, region, year, payload: p, actor, now } = ctx;
    const existing = p.docId ? await lockDocument(trx, region, year, p.docId) : null;
    const docId = p.docId ?? (await nextDocId(trx, year));
    if (existing) {
      transition(existing.snapshot, { action: 'update', actor: actor.username, holds: () => false });
      if (existing.row.docType !== p.body.docType)
        throw new FiscusError('VALIDATION_FAILED', {
          detail: '不能改变单据类型 the document type cannot change',
        });
    }
    // Refuse now what approval would refuse (unknown indicators, wrong pool, fund type, region …).
    await effectNow(ctx, docId, p.docNo, p.body);
    const values = {
      doc_no: p.docNo,
      title: p.title,
      summary: p.summary ?? null,
      body: JSON.stringify(p.body),
      amount_fen: documentAmount(p.body),
      updated_at: now,
    };
    if (existing) {
      await trx
        .updateTable('indicators.document')
        .set(values)
        .where('region_code', '=', region)
        .where('fiscal_year', '=', year)
        .where('doc_id', '=', docId)
        .execute();
    } else {
      await trx
        .insertInto('indicators.document')
        .values({
          region_code: region,
          fiscal_year: year,
          doc_id: docId,
          doc_type: p.body.docType,
          state: 'draft',
          step: 0,
          route: '[]',
          prepared_by: actor.username,
          created_at: now,
          ...values,
        })
        .execute();
    }
    await addAction(trx, region, year, docId, {
      action: existing ? 'update' : 'draft',
      step: null,
      actor: actor.username,
      opinion: null,
      at: now,
    });
    ctx.changes.push({
      entity: 'indicatorDoc',
      key: docId,
      before: existing ? { state: existing.row.state, body: existing.row.body } : null,
      after: { state: existing?.row.state ?? 'draft', body: p.body },
    });
    return { docId, state: existing?.row.state ?? 'draft', amount: formatYuan(values.amount_fen) };
  },
});

/** A workflow action on an existing document; `effective` runs the document's ledger effect. */
async function act(
  ctx: Ctx<{ docId: string; opinion?: string | undefined; reason?: string | undefined }>,
  action: DocAction,
) {
  const { trx, region, year, actor, now } = ctx;
  const { row, snapshot } = await mustLock(ctx);
  const ancestry = ctx.regionPath ?? (await regionAncestry(trx, region)) ?? [region];
  const opinion = ctx.payload.opinion ?? ctx.payload.reason;
  const route = action === 'submit' ? await loadRoute(trx, region, row.docType) : row.route;
  const t = transition(
    { ...snapshot, route },
    { action, actor: actor.username, holds: (p) => holdsPermission(ctx.actor, p, ancestry), opinion },
  );
  const body = row.body as DocumentBody;
  let effect: (DocumentEffect & { entryIds: string[]; messages: string[] }) | null = null;
  if (action === 'submit') await effectNow(ctx, row.docId, row.docNo, body);
  if (t.effective) {
    const e = await effectNow(ctx, row.docId, row.docNo, body);
    await insertIndicators(trx, region, year, row.docId, e.newIndicators);
    const entryIds = await postScenarios(ctx, e.scenarios);
    const messages = await recordOutgoing(ctx, row, e, entryIds);
    effect = { ...e, entryIds, messages };
  }
  await trx
    .updateTable('indicators.document')
    .set({
      state: t.state,
      step: t.step,
      updated_at: now,
      ...(action === 'submit' ? { route: JSON.stringify(route), submitted_by: actor.username } : {}),
      ...(effect
        ? {
            effect: JSON.stringify({
              entryIds: effect.entryIds,
              indicators: effect.newIndicators.map((i) => i.id),
              messages: effect.messages,
            }),
          }
        : {}),
    })
    .where('region_code', '=', region)
    .where('fiscal_year', '=', year)
    .where('doc_id', '=', row.docId)
    .execute();
  await addAction(trx, region, year, row.docId, {
    action,
    step: t.actedStep,
    actor: actor.username,
    opinion: opinion ?? null,
    at: now,
  });
  ctx.changes.push({
    entity: 'indicatorDoc',
    key: row.docId,
    before: { state: row.state, step: row.step },
    after: { state: t.state, step: t.step },
  });
  return {
    docId: row.docId,
    state: t.state,
    step: t.step,
    ...(effect
      ? {
          entryIds: effect.entryIds,
          indicators: effect.newIndicators.map((i) => i.id),
          messages: effect.messages,
        }
      : {}),
  };
}

export const submitDocumentHandler = defineHandler({
  def: submitDocument,
  handle: (ctx) => act(ctx, 'submit'),
});
export const approveDocumentHandler = defineHandler({
  def: approveDocument,
  handle: (ctx) => act(ctx, 'approve'),
});
export const returnDocumentHandler = defineHandler({
  def: returnDocument,
  handle: (ctx) => act(ctx, 'return'),
});
export const withdrawDocumentHandler = defineHandler({
  def: withdrawDocument,
  handle: (ctx) => act(ctx, 'withdraw'),
});
export const voidDocumentHandler = defineHandler({
  def: voidDocument,
  handle: (ctx) => act(ctx, 'void'),
});

export const saveRouteHandler = defineHandler({
  def: saveRoute,
  async handle({ trx, region, payload: p, actor, now, changes }) {
    const before = await trx
      .selectFrom('indicators.route')
      .selectAll()
      .where('region_code', '=', region)
      .where('doc_type', '=', p.docType)
      .forUpdate()
      .executeTakeFirst();
    const version = (before?.version ?? 0) + 1;
    const row = {
      region_code: region,
      doc_type: p.docType,
      steps: JSON.stringify(p.steps),
      version,
      updated_by: actor.username,
      updated_at: now,
    };
    await trx
      .insertInto('indicators.route')
      .values(row)
      .onConflict((oc) => oc.columns(['region_code', 'doc_type']).doUpdateSet(row))
      .execute();
    changes.push({ entity: 'route', key: p.docType, before: before?.steps ?? null, after: p.steps });
    // Documents already submitted keep the route they were submitted under.
    return { docType: p.docType, version };
  },
});

export const documentHandlers = [
  draftDocumentHandler,
  submitDocumentHandler,
  approveDocumentHandler,
  returnDocumentHandler,
  withdrawDocumentHandler,
  voidDocumentHandler,
  saveRouteHandler,
];
