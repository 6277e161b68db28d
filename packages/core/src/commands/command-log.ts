import type { CommandEnvelope, CommandResult } from '@fiscus/contracts';
import type { Kysely } from 'kysely';
import { canonicalJson } from '../kernel/canonical-json';
import type { DB } from '../platform/db/schema';

/** platform.command_log: one row per request id and region, holding the first result. */
function row(
  env: CommandEnvelope,
  hash: string,
  actor: string,
  status: 'accepted' | 'rejected',
  result: string,
) {
  return {
    region_code: env.region,
    command_id: env.id,
    command_type: env.type,
    request_hash: hash,
    actor,
    status,
    result,
  };
}

/**
 * Claim the id for this run. False when it was already taken; a concurrent claimant waits on
 * the unique index and sees the committed row, so a command runs once.
 */
export async function claimId(
  trx: Kysely<DB>,
  env: CommandEnvelope,
  hash: string,
  actor: string,
): Promise<boolean> {
  const claimed = await trx
    .insertInto('platform.command_log')
    .values(row(env, hash, actor, 'accepted', '{}'))
    .onConflict((oc) => oc.columns(['region_code', 'command_id']).doNothing())
    .returning('command_id')
    .executeTakeFirst();
  return Boolean(claimed);
}

export async function firstRun(
  trx: Kysely<DB>,
  env: CommandEnvelope,
): Promise<{ hash: string; result: CommandResult }> {
  const first = await trx
    .selectFrom('platform.command_log')
    .select(['request_hash', 'result'])
    .where('region_code', '=', env.region)
    .where('command_id', '=', env.id)
    .executeTakeFirstOrThrow();
  return { hash: first.request_hash, result: first.result as CommandResult };
}

export async function recordAccepted(
  trx: Kysely<DB>,
  env: CommandEnvelope,
  result: CommandResult,
): Promise<void> {
  await trx
    .updateTable('platform.command_log')
    .set({ result: canonicalJson(result) })
    .where('region_code', '=', env.region)
    .where('command_id', '=', env.id)
    .execute();
}

/** After the savepoint rolled the claim back: remember a domain refusal under the id. */
export async function recordRefused(
  trx: Kysely<DB>,
  env: CommandEnvelope,
  hash: string,
  actor: string,
  result: CommandResult,
): Promise<void> {
  await trx
    .insertInto('platform.command_log')
    .values(row(env, hash, actor, 'rejected', canonicalJson(result)))
    .execute();
}

/** A claimed id whose command the domain refused (batch path: nothing to roll back). */
export async function markRefused(
  trx: Kysely<DB>,
  env: CommandEnvelope,
  result: CommandResult,
): Promise<void> {
  await trx
    .updateTable('platform.command_log')
    .set({ status: 'rejected', result: canonicalJson(result) })
    .where('region_code', '=', env.region)
    .where('command_id', '=', env.id)
    .execute();
}
