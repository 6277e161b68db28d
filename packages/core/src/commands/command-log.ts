import type { CommandEnvelope, CommandResult } from '@fiscus/contracts';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { canonicalJson } from '../kernel/canonical-json';
import type { DB } from '../platform/db/schema';

/** Results are stored as jsonb, which orders keys itself: no canonical form needed. */
const bigintAsText = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);

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

export interface Claim {
  env: CommandEnvelope;
  hash: string;
  actor: string;
}

/**
 * Claim a run's ids in one statement: the ids returned are this run's; the others were taken
 * before (or by a concurrent run, whose commit the unique index made us wait for).
 */
export async function claimIds(
  trx: Kysely<DB>,
  region: string,
  claims: readonly Claim[],
): Promise<Set<string>> {
  if (claims.length === 0) return new Set();
  const r = await sql<{ command_id: string }>`
    insert into platform.command_log (region_code, command_id, command_type, request_hash, actor, status, result)
    select ${region}, i, t, h, a, 'accepted', '{}'::jsonb
    from unnest(${claims.map((c) => c.env.id)}::text[], ${claims.map((c) => c.env.type)}::text[],
                ${claims.map((c) => c.hash)}::text[], ${claims.map((c) => c.actor)}::text[]) as w(i, t, h, a)
    on conflict (region_code, command_id) do nothing
    returning command_id`.execute(trx);
  return new Set(r.rows.map((x) => x.command_id));
}

export type RecordedResult = { id: string; result: CommandResult };

/** The statement that records claimed ids' outcomes (also usable as a CTE of a larger one). */
export function resultsStatement(region: string, outcomes: readonly RecordedResult[]): RawBuilder<unknown> {
  return sql`
    update platform.command_log c set status = w.s, result = w.r
    from unnest(${outcomes.map((o) => o.id)}::text[], ${outcomes.map((o) => o.result.status)}::text[],
                ${outcomes.map((o) => JSON.stringify(o.result, bigintAsText))}::jsonb[]) as w(i, s, r)
    where c.region_code = ${region} and c.command_id = w.i`;
}

/** The outcomes of a run's claimed ids, in one statement. */
export async function recordResults(
  trx: Kysely<DB>,
  region: string,
  outcomes: readonly RecordedResult[],
): Promise<void> {
  if (outcomes.length === 0) return;
  await resultsStatement(region, outcomes).execute(trx);
}
