import {
  reverseYearendChunk,
  runYearendChunk,
  saveYearendPolicy,
  startYearend,
  type YearendPolicy,
} from '@fiscus/contracts';
import type { Kysely } from 'kysely';
import { regionAncestry, yearState } from '../../basedata/store/scope';
import { type CommandContext, defineHandler } from '../../commands/handler';
import { FiscusError } from '../../kernel/errors';
import { formatYuan } from '../../kernel/money';
import { reversal } from '../../ledger/domain/posting';
import { type EngineItem, postBatch } from '../../ledger/engine/engine';
import type { DB } from '../../platform/db/schema';
import { carriedIndicatorId, decide, nextYearElements, plan, yearendPostings } from './policy';
import {
  copyMissingAgencies,
  insertCarried,
  loadChunkEntries,
  loadPolicy,
  missingNextYearCodes,
  selectChunk,
  unspentGroups,
} from './store';

/** Plan totals as JSON (fen as strings). */
export function planJson(p: ReturnType<typeof plan>) {
  return {
    carry: { count: p.carry.count, amount: formatYuan(p.carry.amount) },
    lapse: { count: p.lapse.count, amount: formatYuan(p.lapse.amount) },
    byFundType: p.byFundType.map((r) => ({ ...r, amount: formatYuan(r.amount) })),
  };
}

async function lockRun(trx: Kysely<DB>, region: string, runId: string) {
  const run = await trx
    .selectFrom('yearend.run')
    .selectAll()
    .where('region_code', '=', region)
    .where('run_id', '=', runId)
    .forUpdate()
    .executeTakeFirst();
  if (!run) throw new FiscusError('NOT_FOUND', { entity: '年终结转 year-end run', key: runId });
  return run;
}

async function engine(ctx: CommandContext<unknown>, items: EngineItem[]) {
  if (items.length === 0) return [];
  const ancestry = ctx.regionPath ?? (await regionAncestry(ctx.trx, ctx.region)) ?? [ctx.region];
  const outcomes = await postBatch(ctx.trx, ctx.region, ancestry, items, ctx.actor.username);
  for (const o of outcomes) if (!o.ok) throw o.error;
  return outcomes as Extract<(typeof outcomes)[number], { ok: true }>[];
}

export const saveYearendPolicyHandler = defineHandler({
  def: saveYearendPolicy,
  async handle({ trx, payload, region, actor, now, changes }) {
    const before = await loadPolicy(trx, region);
    const version = before.version + 1;
    const row = {
      region_code: region,
      policy: JSON.stringify(payload),
      version,
      updated_by: actor.username,
      updated_at: now,
    };
    await trx
      .insertInto('yearend.policy')
      .values(row)
      .onConflict((oc) => oc.column('region_code').doUpdateSet(row))
      .execute();
    changes.push({ entity: 'yearendPolicy', key: region, before: before.policy, after: payload });
    return { version };
  },
});

/**
 * Start a run: the next year must be open and hold the codes the carried balances name; the
 * agencies of Y that Y+1 lacks are copied (audited as this command's changes); the policy and
 * the planned totals are recorded on the run.
 */
export const startYearendHandler = defineHandler({
  def: startYearend,
  async handle({ trx, payload, region, year, actor, now, changes }) {
    if ((await yearState(trx, region, year + 1)) !== 'open')
      throw new FiscusError('YEAREND_NEXT_YEAR_NOT_OPEN', { region, year, nextYear: year + 1 });
    const open = await trx
      .selectFrom('yearend.run')
      .select(['run_id', 'state'])
      .where('region_code', '=', region)
      .where('fiscal_year', '=', year)
      .where('state', 'in', ['running', 'reversing', 'completed'])
      .executeTakeFirst();
    if (open?.state === 'completed')
      throw new FiscusError('YEAREND_RUN_STATE', {
        runId: open.run_id,
        state: '已完成 completed',
        action: '再次结转（请先冲销） run again (reverse it first)',
      });
    if (open) throw new FiscusError('YEAREND_RUN_UNFINISHED', { region, year, runId: open.run_id });
    const { policy } = await loadPolicy(trx, region);
    const planned = plan(await unspentGroups(trx, region, year), policy);
    const missing = await missingNextYearCodes(trx, region, year, policy);
    if (missing.length > 0)
      throw new FiscusError('YEAREND_NEXT_YEAR_INCOMPLETE', {
        nextYear: year + 1,
        missing: missing.join(', '),
      });
    const copied = await copyMissingAgencies(trx, region, year);
    if (copied.length > 0)
      changes.push({
        entity: 'agency',
        key: `${year + 1}/*`,
        before: null,
        after: { copiedFrom: year, codes: copied },
      });
    await trx
      .insertInto('yearend.run')
      .values({
        region_code: region,
        run_id: payload.runId,
        fiscal_year: year,
        state: 'running',
        policy: JSON.stringify(policy),
        chunk_size: payload.chunkSize,
        planned: JSON.stringify(planJson(planned)),
        planned_count: BigInt(planned.carry.count + planned.lapse.count),
        agencies_copied: copied.length,
        started_by: actor.username,
        created_at: now,
        updated_at: now,
      })
      .execute();
    changes.push({
      entity: 'yearendRun',
      key: payload.runId,
      before: null,
      after: { year, policy, planned: planJson(planned) },
    });
    return { runId: payload.runId, planned: planJson(planned), agenciesCopied: copied.length };
  },
});

/**
 * One chunk: the next balances after the cursor, each carried or lapsed by the run's policy
 * snapshot, posted as one engine batch; the next year's indicators inserted in one statement;
 * the entries and the progress recorded in the same transaction.
 */
export const runYearendChunkHandler = defineHandler({
  def: runYearendChunk,
  async handle(ctx) {
    const { trx, payload, region, year, now, changes } = ctx;
    const run = await lockRun(trx, region, payload.runId);
    if (run.fiscal_year !== year)
      throw new FiscusError('VALIDATION_FAILED', {
        detail: `run ${run.run_id} is of year ${run.fiscal_year}`,
      });
    if (run.state !== 'running')
      throw new FiscusError('YEAREND_RUN_STATE', { runId: run.run_id, state: run.state, action: '结转 run' });
    if (payload.chunk !== run.next_chunk)
      throw new FiscusError('STATE_INVALID', {
        entity: '年终结转 year-end run',
        key: run.run_id,
        state: `next chunk ${run.next_chunk}`,
        action: `run chunk ${payload.chunk}`,
      });
    const policy = run.policy as YearendPolicy;
    const rows = await selectChunk(
      trx,
      region,
      year,
      { account: run.cursor_account ?? '', key: run.cursor_key ?? 0n },
      payload.size,
    );
    const thisOn = `${year}-12-31`;
    const nextOn = `${year + 1}-01-01`;
    const items: EngineItem[] = [];
    const carried: { pool: 'executable' | 'unallocated'; elements: ReturnType<typeof nextYearElements> }[] =
      [];
    let carriedFen = 0n;
    let lapsedFen = 0n;
    let carriedN = 0;
    for (const r of rows) {
      const e = r.elements;
      const { action } = decide(policy, {
        pool: r.pool,
        fundTypeCode: e.fundTypeCode,
        indicatorTypeCode: e.indicatorTypeCode,
        sourceTypeCode: e.sourceTypeCode,
        directReach: Boolean(e.flags?.directReach),
      });
      let next = null;
      if (action === 'carry') {
        next = nextYearElements(e, carriedIndicatorId(e.indicatorId!, year + 1));
        carried.push({ pool: r.pool, elements: next });
        carriedFen += r.amount;
        carriedN++;
      } else lapsedFen += r.amount;
      const p = yearendPostings(action, r.pool, year, r.amount, e, next);
      const scenario = action === 'carry' ? 'carryForward' : 'lapse';
      items.push({
        scenario,
        postings: [p.thisYear],
        on: thisOn,
        commandId: ctx.id,
        payment: null,
        reversesEntryId: null,
      });
      if (p.nextYear)
        items.push({
          scenario,
          postings: [p.nextYear],
          on: nextOn,
          commandId: ctx.id,
          payment: null,
          reversesEntryId: null,
        });
    }
    await insertCarried(trx, region, year + 1, run.run_id, carried);
    const outcomes = await engine(ctx as CommandContext<unknown>, items);
    const entryIds: bigint[] = [];
    const entryYears: number[] = [];
    items.forEach((it, i) => {
      outcomes[i]!.entryIds.forEach((id, j) => {
        entryIds.push(BigInt(id));
        entryYears.push(it.postings[j]!.year);
      });
    });
    const last = rows.at(-1);
    const done = rows.length < payload.size;
    if (rows.length > 0)
      await trx
        .insertInto('yearend.chunk')
        .values({
          region_code: region,
          run_id: run.run_id,
          chunk_no: payload.chunk,
          items: rows.length,
          carried_fen: carriedFen,
          lapsed_fen: lapsedFen,
          entry_years: entryYears,
          entry_ids: entryIds,
        })
        .execute();
    const processed = run.processed + BigInt(rows.length);
    await trx
      .updateTable('yearend.run')
      .set({
        cursor_account: last?.account ?? run.cursor_account,
        cursor_key: last?.keyId ?? run.cursor_key,
        next_chunk: rows.length > 0 ? run.next_chunk + 1 : run.next_chunk,
        processed,
        carried_fen: run.carried_fen + carriedFen,
        lapsed_fen: run.lapsed_fen + lapsedFen,
        carried_count: run.carried_count + BigInt(carriedN),
        lapsed_count: run.lapsed_count + BigInt(rows.length - carriedN),
        state: done ? 'completed' : 'running',
        finished_at: done ? now : null,
        updated_at: now,
      })
      .where('region_code', '=', region)
      .where('run_id', '=', run.run_id)
      .execute();
    changes.push({
      entity: 'yearendChunk',
      key: `${run.run_id}/${payload.chunk}`,
      before: null,
      after: {
        balances: rows.length,
        carried: formatYuan(carriedFen),
        lapsed: formatYuan(lapsedFen),
        entries: entryIds.length,
        done,
      },
    });
    return {
      runId: run.run_id,
      chunk: payload.chunk,
      balances: rows.length,
      carried: { count: carriedN, amount: formatYuan(carriedFen) },
      lapsed: { count: rows.length - carriedN, amount: formatYuan(lapsedFen) },
      entries: entryIds.length,
      processed: Number(processed),
      planned: Number(run.planned_count),
      done,
    };
  },
});

/**
 * 红字冲销 of one chunk of a run (chunks in order): every entry the chunk posted gets its
 * reversal in one engine batch; after the last chunk the run is reversed. The next year's
 * indicators stay (with zero balances) as the record of what was carried and taken back.
 */
export const reverseYearendChunkHandler = defineHandler({
  def: reverseYearendChunk,
  async handle(ctx) {
    const { trx, payload, region, now, changes } = ctx;
    const run = await lockRun(trx, region, payload.runId);
    if (run.state === 'reversed')
      throw new FiscusError('YEAREND_RUN_STATE', {
        runId: run.run_id,
        state: '已冲销 reversed',
        action: '冲销 reverse',
      });
    if (payload.chunk !== run.reverse_next)
      throw new FiscusError('STATE_INVALID', {
        entity: '年终结转 year-end run',
        key: run.run_id,
        state: `next reversal chunk ${run.reverse_next}`,
        action: `reverse chunk ${payload.chunk}`,
      });
    const chunk = await trx
      .selectFrom('yearend.chunk')
      .selectAll()
      .where('region_code', '=', region)
      .where('run_id', '=', run.run_id)
      .where('chunk_no', '=', payload.chunk)
      .executeTakeFirst();
    let reversedEntries = 0;
    if (chunk) {
      const entries = await loadChunkEntries(
        trx,
        region,
        chunk.entry_years,
        chunk.entry_ids.map((x) => BigInt(x)),
      );
      const items: EngineItem[] = entries.map((en) => ({
        scenario: 'reversal',
        postings: [reversal({ scenario: 'reversal', year: en.year, lines: en.lines })],
        on: en.on,
        commandId: ctx.id,
        payment: null,
        reversesEntryId: en.id,
      }));
      await engine(ctx as CommandContext<unknown>, items);
      reversedEntries = items.length;
      await trx
        .updateTable('yearend.chunk')
        .set({ reversed: true })
        .where('region_code', '=', region)
        .where('run_id', '=', run.run_id)
        .where('chunk_no', '=', payload.chunk)
        .execute();
    }
    const nextReverse = run.reverse_next + (chunk ? 1 : 0);
    const done = !chunk || nextReverse >= run.next_chunk;
    await trx
      .updateTable('yearend.run')
      .set({
        reverse_next: nextReverse,
        state: done ? 'reversed' : 'reversing',
        reversed_at: done ? now : null,
        updated_at: now,
      })
      .where('region_code', '=', region)
      .where('run_id', '=', run.run_id)
      .execute();
    changes.push({
      entity: 'yearendReversal',
      key: `${run.run_id}/${payload.chunk}`,
      before: { state: run.state },
      after: { entries: reversedEntries, done },
    });
    return { runId: run.run_id, chunk: payload.chunk, entries: reversedEntries, done };
  },
});

export const yearendHandlers = [
  saveYearendPolicyHandler,
  startYearendHandler,
  runYearendChunkHandler,
  reverseYearendChunkHandler,
];
