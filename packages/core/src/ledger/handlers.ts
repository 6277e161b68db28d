import {
  creditReceipts,
  postLedger,
  postOpening,
  reverseEntry,
  saveControlRule,
  saveLedgerAccount,
  saveLedgerSettings,
} from '@fiscus/contracts';
import type { Kysely } from 'kysely';
import { regionAncestry } from '../basedata/store/scope';
import { type BatchOutcome, type CommandContext, defineHandler } from '../commands/handler';
import { FiscusError, isFiscusError } from '../kernel/errors';
import { parseYuan } from '../kernel/money';
import type { DB } from '../platform/db/schema';
import type { PaymentFacts } from './domain/control-types';
import { reversal } from './domain/posting';
import { postingsFor } from './domain/scenarios';
import { type EngineItem, postBatch } from './engine/engine';
import { ensureLedger, loadEntryPosting } from './store/entries';
import { toElements, toScenarioInput } from './wire';

type Ctx<P> = CommandContext<P>;

/** Run engine items for a batch of contexts (one region: the pipeline groups by region). */
async function runEngine<P>(ctxs: Ctx<P>[], build: (c: Ctx<P>) => EngineItem): Promise<BatchOutcome[]> {
  const first = ctxs[0];
  if (!first) return [];
  const trx = first.trx;
  const built: (EngineItem | FiscusError)[] = ctxs.map((c) => {
    try {
      return build(c);
    } catch (e) {
      if (isFiscusError(e)) return e;
      throw e;
    }
  });
  const ancestry = first.regionPath ?? (await regionAncestry(trx, first.region)) ?? [first.region];
  const items = built.filter((b): b is EngineItem => !(b instanceof FiscusError));
  const outcomes = await postBatch(
    trx,
    first.region,
    ancestry,
    items,
    first.actor.username,
    first.configToken,
  );
  let k = 0;
  return built.map((b) => {
    if (b instanceof FiscusError) return { ok: false, error: b };
    const o = outcomes[k++]!;
    if (!o.ok) return { ok: false, error: o.error };
    return {
      ok: true,
      result: {
        entryIds: o.entryIds,
        warnings: o.warnings.map((w) => ({ rule: w.rule, version: w.version, message: w.message })),
      },
    };
  });
}

async function single(outcomes: Promise<BatchOutcome[]>): Promise<unknown> {
  const [o] = await outcomes;
  if (!o) throw new Error('engine returned no outcome');
  if (!o.ok) throw o.error;
  return o.result;
}

function paymentOf(p: { scenario: string; payment?: unknown }): PaymentFacts | null {
  if (p.scenario !== 'applicationApproved' || !p.payment) return null;
  const f = p.payment as { elements: Parameters<typeof toElements>[0] } & Omit<PaymentFacts, 'elements'>;
  return { ...f, elements: toElements(f.elements) };
}

const postBatchHandler = (ctxs: Ctx<typeof postLedger.payload._output>[]) =>
  runEngine(ctxs, (c) => ({
    scenario: c.payload.scenario,
    postings: postingsFor(toScenarioInput(c.payload, c.year)),
    on: c.on,
    commandId: c.id,
    payment: paymentOf(c.payload),
    reversesEntryId: null,
  }));

export const postLedgerHandler = defineHandler({
  def: postLedger,
  handle: (ctx) => single(postBatchHandler([ctx])),
  handleBatch: postBatchHandler,
});

const openingBatch = (ctxs: Ctx<typeof postOpening.payload._output>[]) =>
  runEngine(ctxs, (c) => ({
    scenario: 'opening',
    postings: postingsFor({
      scenario: 'opening',
      year: c.year,
      amount: parseYuan(c.payload.amount),
      account: c.payload.account,
      to: toElements(c.payload.to),
      source: c.payload.source,
    }),
    on: c.on,
    commandId: c.id,
    payment: null,
    reversesEntryId: null,
  }));

export const postOpeningHandler = defineHandler({
  def: postOpening,
  handle: (ctx) => single(openingBatch([ctx])),
  handleBatch: openingBatch,
});

export const reverseEntryHandler = defineHandler({
  def: reverseEntry,
  async handle(ctx) {
    const id = BigInt(ctx.payload.entryId);
    const original = await loadEntryPosting(ctx.trx, ctx.region, ctx.year, id);
    if (!original) throw new FiscusError('NOT_FOUND', { entity: '分录 entry', key: ctx.payload.entryId });
    if (original.reversesEntryId !== null) {
      throw new FiscusError('STATE_INVALID', {
        entity: '分录 entry',
        key: ctx.payload.entryId,
        state: '冲销分录 a reversal',
        action: '再冲销 reverse',
      });
    }
    if (original.reversedBy !== null) {
      throw new FiscusError('STATE_INVALID', {
        entity: '分录 entry',
        key: ctx.payload.entryId,
        state: '已冲销 reversed',
        action: '再冲销 reverse',
      });
    }
    ctx.changes.push({
      entity: 'entry',
      key: ctx.payload.entryId,
      before: null,
      after: { reversedFor: ctx.payload.reason },
    });
    return single(
      runEngine([ctx], (c) => ({
        scenario: 'reversal',
        postings: [reversal(original.posting)],
        on: c.on,
        commandId: c.id,
        payment: null,
        reversesEntryId: id,
      })),
    );
  },
});

export const saveLedgerAccountHandler = defineHandler({
  def: saveLedgerAccount,
  async handle({ trx, payload: p, region, year, actor, changes }) {
    await ensureLedger(trx, region, year, actor.username);
    const before = await trx
      .selectFrom('ledger.account')
      .selectAll()
      .where('region_code', '=', region)
      .where('fiscal_year', '=', year)
      .where('code', '=', p.code)
      .executeTakeFirst();
    if (
      before &&
      (before.normal_side !== p.normalSide || before.account_class !== p.accountClass) &&
      (await hasLines(trx, region, year, p.code))
    ) {
      throw new FiscusError('STATE_INVALID', {
        entity: '科目 account',
        key: p.code,
        state: '已有分录 has entries',
        action: '改变余额方向 change its side',
      });
    }
    const row = {
      region_code: region,
      fiscal_year: year,
      code: p.code,
      name: p.name,
      normal_side: p.normalSide,
      account_class: p.accountClass,
      allow_negative: p.allowNegative,
      enabled: p.enabled,
    };
    await trx
      .insertInto('ledger.account')
      .values(row)
      .onConflict((oc) => oc.columns(['region_code', 'fiscal_year', 'code']).doUpdateSet(row))
      .execute();
    changes.push({ entity: 'ledgerAccount', key: `${year}/${p.code}`, before: before ?? null, after: row });
    return { code: p.code, created: !before };
  },
});

async function hasLines(trx: Kysely<DB>, region: string, year: number, account: string): Promise<boolean> {
  const r = await trx
    .selectFrom('ledger.line')
    .select('entry_id')
    .where('region_code', '=', region)
    .where('fiscal_year', '=', year)
    .where('account', '=', account)
    .limit(1)
    .executeTakeFirst();
  return Boolean(r);
}

export const saveControlRuleHandler = defineHandler({
  def: saveControlRule,
  async handle({ trx, payload: p, region, year, actor, changes }) {
    await ensureLedger(trx, region, year, actor.username);
    const last = await trx
      .selectFrom('ledger.control_rule')
      .select((eb) => eb.fn.max('version').as('v'))
      .where('region_code', '=', region)
      .where('code', '=', p.code)
      .executeTakeFirst();
    const version = (last?.v ?? 0) + 1;
    const row = {
      region_code: region,
      code: p.code,
      version,
      kind: p.kind,
      name_zh: p.nameZh,
      name_en: p.nameEn,
      scope: JSON.stringify(p.scope),
      action: p.action,
      tolerance: p.tolerance ? JSON.stringify(p.tolerance) : null,
      params: JSON.stringify(p.params),
      enabled: p.enabled,
      created_by: actor.username,
    };
    await trx.insertInto('ledger.control_rule').values(row).execute();
    changes.push({ entity: 'controlRule', key: `${p.code}@${version}`, before: null, after: p });
    return { code: p.code, version };
  },
});

export const saveLedgerSettingsHandler = defineHandler({
  def: saveLedgerSettings,
  async handle({ trx, payload: p, region, changes }) {
    const before = await trx
      .selectFrom('ledger.setting')
      .selectAll()
      .where('region_code', '=', region)
      .executeTakeFirst();
    await trx
      .insertInto('ledger.setting')
      .values({ region_code: region, use_plans: p.usePlans })
      .onConflict((oc) => oc.column('region_code').doUpdateSet({ use_plans: p.usePlans }))
      .execute();
    changes.push({ entity: 'ledgerSetting', key: region, before: before ?? null, after: p });
    return { usePlans: p.usePlans };
  },
});

export const creditReceiptsHandler = defineHandler({
  def: creditReceipts,
  async handle({ trx, payload: p, region, year, changes }) {
    const amount = parseYuan(p.amount);
    const row = await trx
      .insertInto('ledger.receipt')
      .values({
        region_code: region,
        fiscal_year: year,
        fund_type_code: p.fundTypeCode,
        agency_code: p.agencyCode ?? '',
        amount_fen: amount,
      })
      .onConflict((oc) =>
        oc.columns(['region_code', 'fiscal_year', 'fund_type_code', 'agency_code']).doUpdateSet((eb) => ({
          amount_fen: eb('ledger.receipt.amount_fen', '+', eb.ref('excluded.amount_fen')),
        })),
      )
      .returning('amount_fen')
      .executeTakeFirstOrThrow();
    if (row.amount_fen < 0n)
      throw new FiscusError('VALIDATION_FAILED', { detail: 'receipts credited cannot go below zero' });
    changes.push({
      entity: 'receipt',
      key: `${year}/${p.fundTypeCode}/${p.agencyCode ?? ''}`,
      before: null,
      after: { amount: p.amount },
    });
    return { total: row.amount_fen.toString() };
  },
});

export const ledgerHandlers = [
  postLedgerHandler,
  postOpeningHandler,
  reverseEntryHandler,
  saveLedgerAccountHandler,
  saveControlRuleHandler,
  saveLedgerSettingsHandler,
  creditReceiptsHandler,
];
