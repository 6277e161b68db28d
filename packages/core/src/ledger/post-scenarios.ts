import type { Kysely } from 'kysely';
import { regionAncestry } from '../basedata/store/scope';
import type { CommandContext } from '../commands/handler';
import { FiscusError } from '../kernel/errors';
import type { DB } from '../platform/db/schema';
import type { PaymentFacts } from './domain/control-types';
import { reversal } from './domain/posting';
import { postingsFor, type ScenarioInput } from './domain/scenarios';
import { postBatch } from './engine/engine';
import { loadEntryPosting } from './store/entries';

/**
 * Post the scenarios of one business document through the engine, all or nothing: each is
 * checked against the balances the earlier ones leave; the first refusal (naming every rule
 * that stopped it) refuses the document, and the caller's savepoint undoes everything.
 */
export async function postScenarios(
  ctx: Pick<CommandContext<unknown>, 'trx' | 'region' | 'regionPath' | 'actor' | 'id' | 'on' | 'configToken'>,
  scenarios: readonly (ScenarioInput & { payment?: PaymentFacts })[],
  trx: Kysely<DB> = ctx.trx,
): Promise<string[]> {
  if (scenarios.length === 0) return [];
  const ancestry = ctx.regionPath ?? (await regionAncestry(trx, ctx.region)) ?? [ctx.region];
  const outcomes = await postBatch(
    trx,
    ctx.region,
    ancestry,
    scenarios.map((s) => ({
      scenario: s.scenario,
      postings: postingsFor(s),
      on: ctx.on,
      commandId: ctx.id,
      payment: s.payment ?? null,
      reversesEntryId: null,
    })),
    ctx.actor.username,
    ctx.configToken,
  );
  const ids: string[] = [];
  for (const o of outcomes) {
    if (!o.ok) throw o.error;
    ids.push(...o.entryIds);
  }
  return ids;
}

/** 红字冲销 of one entry by a new entry (checked by the control rules like any posting). */
export async function reverseEntryFor(
  ctx: Pick<CommandContext<unknown>, 'trx' | 'region' | 'year' | 'regionPath' | 'actor' | 'id' | 'on'>,
  entryId: bigint,
): Promise<string[]> {
  const original = await loadEntryPosting(ctx.trx, ctx.region, ctx.year, entryId);
  if (!original) throw new FiscusError('NOT_FOUND', { entity: '分录 entry', key: entryId.toString() });
  if (original.reversedBy !== null)
    throw new FiscusError('STATE_INVALID', {
      entity: '分录 entry',
      key: entryId.toString(),
      state: '已冲销 reversed',
      action: '再冲销 reverse',
    });
  const ancestry = ctx.regionPath ?? (await regionAncestry(ctx.trx, ctx.region)) ?? [ctx.region];
  const [o] = await postBatch(
    ctx.trx,
    ctx.region,
    ancestry,
    [
      {
        scenario: 'reversal',
        postings: [reversal(original.posting)],
        on: ctx.on,
        commandId: ctx.id,
        payment: null,
        reversesEntryId: entryId,
      },
    ],
    ctx.actor.username,
  );
  if (!o?.ok) throw o?.error ?? new Error('engine returned no outcome');
  return o.entryIds;
}
