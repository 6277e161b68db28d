import { type CommandEnvelope, type CommandResult, type ErrorBody, errorBody } from '@fiscus/contracts';
import { type Kysely, sql } from 'kysely';
import {
  type AccessDecision,
  type Actor,
  authorize,
  authorizeAgency,
  SETUP_ACTOR,
  setupActor,
} from '../auth/domain/access';
import { loadActor } from '../auth/store/actors';
import { agencyAncestry, regionAncestry, yearState } from '../basedata/store/scope';
import { FiscusError, isFiscusError } from '../kernel/errors';
import { appendAudit } from '../platform/audit/store';
import type { DB } from '../platform/db/schema';
import { sm3Hex } from '../platform/gm/sm3';
import {
  claimId,
  claimIds,
  firstRun,
  type RecordedResult,
  recordAccepted,
  recordRefused,
  recordResults,
  resultsStatement,
} from './command-log';
import {
  type ExecuteOptions,
  entryFor,
  type Pending,
  prepare,
  regionOfRaw,
  requestHash,
  type Slot,
} from './envelope';
import { type ChunkCache, newCache, prefetchFacts } from './facts';
import type { Change, CommandContext, CommandHandler } from './handler';
import { issuesError, zodIssues } from './issues';
import { handlerFor } from './registry';

class DryRunRollback extends Error {}
class AtomicRollback extends Error {
  constructor(readonly audit: Pending[]) {
    super('atomic batch refused');
  }
}

const RETRYABLE = new Set(['40001', '40P01']);

export { type ExecuteOptions, SYSTEM_REGION, UnparsableInput } from './envelope';

/**
 * The one road every write takes: envelope → handler → payload validation → idempotency →
 * authorization → domain decision and persistence → audit, all in one transaction per region
 * and chunk, each command inside its own savepoint so one refusal changes nothing of the others.
 */
export async function executeCommands(
  db: Kysely<DB>,
  inputs: readonly unknown[],
  opts: ExecuteOptions = {},
): Promise<CommandResult[]> {
  const now = opts.now ?? new Date();
  const results: CommandResult[] = new Array(inputs.length);
  const groups = new Map<string, Slot[]>();
  inputs.forEach((raw, index) => {
    const slot = prepare(raw, index, opts);
    const region = slot.env?.region ?? regionOfRaw(raw);
    const list = groups.get(region) ?? [];
    list.push(slot);
    groups.set(region, list);
  });
  const chunkSize = opts.atomic ? Number.MAX_SAFE_INTEGER : (opts.chunkSize ?? 500);
  for (const [region, slots] of groups) {
    for (let i = 0; i < slots.length; i += chunkSize) {
      const chunk = slots.slice(i, i + chunkSize);
      const out = await runChunkWithRetry(db, region, chunk, now, opts);
      chunk.forEach((s, k) => {
        results[s.index] = out[k]!;
      });
    }
  }
  return results;
}

async function runChunkWithRetry(
  db: Kysely<DB>,
  region: string,
  chunk: Slot[],
  now: Date,
  opts: ExecuteOptions,
): Promise<CommandResult[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await runChunk(db, region, chunk, now, opts);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (attempt < 3 && code && RETRYABLE.has(code)) continue;
      throw e;
    }
  }
}

async function runChunk(
  db: Kysely<DB>,
  region: string,
  chunk: Slot[],
  now: Date,
  opts: ExecuteOptions,
): Promise<CommandResult[]> {
  let out: CommandResult[] = [];
  try {
    await db.transaction().execute(async (trx) => {
      out = [];
      const audit: Pending[] = [];
      // Batch outcomes are recorded with the audit records, in the chunk's last statement; a
      // later group flushes them first (it might repeat an id and must read its first result).
      let pending: RecordedResult[] = [];
      let cache = newCache();
      for (let i = 0; i < chunk.length; ) {
        const first = chunk[i]!;
        if (pending.length > 0) {
          await recordResults(trx, region, pending);
          pending = [];
        }
        if (first.env && !first.early)
          await prefetchFacts(
            trx,
            cache,
            first.actorName === SETUP_ACTOR ? null : first.actorName,
            first.env.region,
            first.env.year,
          );
        const h = batchHandlerOf(first);
        let j = i + 1;
        if (h) while (j < chunk.length && batchHandlerOf(chunk[j]!) === h) j++;
        const ran = h
          ? await runMany(trx, chunk.slice(i, j), h, now, opts, cache, pending)
          : [await runOne(trx, chunk[i]!, now, opts, cache)];
        for (const r of ran) {
          out.push(r.result);
          audit.push(r.entry);
          // Grants, regions, years or configuration may have changed: later commands must see them.
          // Only set-based postings (batch handlers) are known to change none of those.
          if (r.result.status === 'accepted' && !h) cache = newCache();
        }
        i = j;
      }
      if (opts.dryRun) throw new DryRunRollback();
      if (opts.atomic && out.some((r) => r.status === 'rejected')) throw new AtomicRollback(audit);
      await appendAudit(trx, region, audit, pending.length > 0 ? resultsStatement(region, pending) : null);
    });
  } catch (e) {
    if (e instanceof AtomicRollback) {
      // Nothing of the batch stays; the refusals are recorded, and so is that the rest was undone.
      const refused = e.audit.map((a) =>
        a.outcome === 'accepted'
          ? { ...a, outcome: 'rejected' as const, errorCode: 'IMPORT_HAS_ERRORS', detail: { undone: true } }
          : a,
      );
      await db.transaction().execute((trx) => appendAudit(trx, region, refused));
      return out;
    }
    if (!(e instanceof DryRunRollback)) throw e;
  }
  return out;
}

async function cached<T>(map: Map<string, T>, key: string, load: () => Promise<T>): Promise<T> {
  if (!map.has(key)) map.set(key, await load());
  return map.get(key) as T;
}

interface Admitted {
  env: CommandEnvelope;
  handler: CommandHandler<unknown>;
  payload: unknown;
  actor: Actor;
  access: AccessDecision;
  hash: string;
}

/**
 * Everything decided before the domain: envelope, type, payload, actor, scope, permission, year.
 * A refusal here is not remembered under the id (the caller may fix it and retry the same id).
 */
async function admit(
  trx: Kysely<DB>,
  slot: Slot,
  opts: ExecuteOptions,
  cache: ChunkCache,
): Promise<{ ok: true; a: Admitted } | { ok: false; error: ErrorBody }> {
  const env = slot.env;
  if (slot.early || !env)
    return { ok: false, error: slot.early ?? errorBody('COMMAND_MALFORMED', { detail: 'envelope' }) };
  const handler = handlerFor(env.type);
  if (!handler) return { ok: false, error: errorBody('COMMAND_TYPE_UNKNOWN', { type: env.type }) };
  const payload = handler.def.payload.safeParse(env.payload);
  if (!payload.success) {
    return {
      ok: false,
      error: issuesError('VALIDATION_FAILED', zodIssues(handler.def.payload, env.payload, payload.error)),
    };
  }
  try {
    const actor = await actorOf(trx, slot.actorName, opts, cache.actors);
    const scopeRegion = handler.scopeRegion ? handler.scopeRegion(payload.data, env.region) : env.region;
    const found = scopeRegion
      ? await cached(cache.ancestry, scopeRegion, () => regionAncestry(trx, scopeRegion))
      : null;
    const ancestry = found ?? (handler.scopeMayBeNew?.(payload.data) && scopeRegion ? [scopeRegion] : null);
    if (!ancestry) throw new FiscusError('REGION_UNKNOWN', { region: scopeRegion ?? env.region });
    const access: AccessDecision = authorize(actor, handler.def.permission, ancestry);
    if (!access.wholeRegion) {
      const agency = handler.agencyOf?.(payload.data) ?? null;
      const path = agency ? await agencyAncestry(trx, env.region, env.year, agency) : null;
      authorizeAgency(actor, access, path);
    }
    if (handler.def.needsOpenYear) {
      const state = await cached(cache.years, `${env.region}|${env.year}`, () =>
        yearState(trx, env.region, env.year),
      );
      if (state !== 'open')
        throw new FiscusError('FISCAL_YEAR_NOT_OPEN', { region: env.region, year: env.year });
    }
    return {
      ok: true,
      a: { env, handler, payload: payload.data, actor, access, hash: requestHash(env, slot.actorName) },
    };
  } catch (e) {
    if (isFiscusError(e)) return { ok: false, error: errorBody(e.code, e.params, e.issues) };
    throw e;
  }
}

type Ran = { result: CommandResult; entry: Pending };

function idAndType(slot: Slot) {
  return {
    id: slot.env?.id ?? String((slot.raw as { id?: unknown } | null)?.id ?? ''),
    type: slot.env?.type ?? String((slot.raw as { type?: unknown } | null)?.type ?? ''),
  };
}

function rejected(slot: Slot, now: Date, error: ErrorBody, detail: Record<string, unknown> = {}): Ran {
  const result: CommandResult = { ...idAndType(slot), status: 'rejected', replayed: false, error };
  return { result, entry: entryFor(slot, now, result, { error, ...detail }) };
}

/** The id was taken before: the first result again, or a refusal when the command differs. */
async function replay(trx: Kysely<DB>, slot: Slot, now: Date, a: Admitted): Promise<Ran> {
  const first = await firstRun(trx, a.env);
  if (first.hash !== a.hash) return rejected(slot, now, errorBody('COMMAND_ID_REUSED', { id: a.env.id }));
  const result = { ...first.result, replayed: true } as CommandResult;
  return { result, entry: entryFor(slot, now, result, { replayOfFirstResult: true }) };
}

function contextOf(trx: Kysely<DB>, a: Admitted, now: Date, cache: ChunkCache): CommandContext<unknown> {
  return {
    regionPath: cache.ancestry.get(a.env.region) ?? null,
    configToken: cache.tokens.get(a.env.region) ?? null,
    trx,
    id: a.env.id,
    type: a.env.type,
    region: a.env.region,
    year: a.env.year,
    on: a.env.on,
    payload: a.payload,
    actor: a.actor,
    access: a.access,
    now,
    changes: [] as Change[],
  };
}

function internal(slot: Slot, now: Date, e: unknown): Ran {
  const pgCode = (e as { code?: string }).code;
  if (pgCode && RETRYABLE.has(pgCode)) throw e;
  const ref = sm3Hex(`${now.toISOString()}${slot.env?.id ?? ''}`).slice(0, 12);
  console.error(`[fiscus] internal error ${ref} in ${slot.env?.type}:`, e);
  return rejected(slot, now, errorBody('INTERNAL_ERROR', { ref }), { internal: String(e).slice(0, 500) });
}

/** One command in its own savepoint: a refusal or a failure leaves nothing of it behind. */
async function runOne(
  trx: Kysely<DB>,
  slot: Slot,
  now: Date,
  opts: ExecuteOptions,
  cache: ChunkCache,
): Promise<Ran> {
  const admitted = await admit(trx, slot, opts, cache);
  if (!admitted.ok) return rejected(slot, now, admitted.error);
  const a = admitted.a;
  await sql`savepoint cmd`.execute(trx);
  if (!(await claimId(trx, a.env, a.hash, slot.actorName))) {
    await sql`release savepoint cmd`.execute(trx);
    return replay(trx, slot, now, a);
  }
  const ctx = contextOf(trx, a, now, cache);
  try {
    const decided = await a.handler.handle(ctx);
    const result: CommandResult = {
      ...idAndType(slot),
      status: 'accepted',
      replayed: false,
      result: decided,
    };
    await recordAccepted(trx, a.env, result);
    await sql`release savepoint cmd`.execute(trx);
    return { result, entry: entryFor(slot, now, result, { result: decided, changes: ctx.changes }) };
  } catch (e) {
    await sql`rollback to savepoint cmd`.execute(trx);
    await sql`release savepoint cmd`.execute(trx);
    if (!isFiscusError(e)) return internal(slot, now, e);
    // A domain decision is part of the command's meaning: a repeat of the id returns it again.
    const ran = rejected(slot, now, errorBody(e.code, e.params, e.issues));
    await recordRefused(trx, a.env, a.hash, slot.actorName, ran.result);
    return ran;
  }
}

/**
 * A run of commands whose handler decides them together (the ledger engine): admitted one by
 * one (from the chunk's cache), claimed in one statement, decided in one call, recorded in one
 * statement. The batch handler writes nothing for a refused item, so no savepoints are needed.
 */
async function runMany(
  trx: Kysely<DB>,
  slots: readonly Slot[],
  handler: CommandHandler<unknown>,
  now: Date,
  opts: ExecuteOptions,
  cache: ChunkCache,
  /** Where the outcomes to record go (written by the chunk with its audit records). */
  recorded: RecordedResult[],
): Promise<Ran[]> {
  const out: (Ran | null)[] = slots.map(() => null);
  const fresh: { i: number; a: Admitted }[] = [];
  // The same id twice in one run: the second waits for the first's outcome instead of reading
  // a claim that has no result yet.
  const firstHere = new Map<string, number>();
  const repeats: { i: number; of: number; a: Admitted }[] = [];
  for (const [i, slot] of slots.entries()) {
    const admitted = await admit(trx, slot, opts, cache);
    if (!admitted.ok) {
      out[i] = rejected(slot, now, admitted.error);
      continue;
    }
    const idKey = `${admitted.a.env.region}|${admitted.a.env.id}`;
    const earlier = firstHere.get(idKey);
    if (earlier !== undefined) repeats.push({ i, of: earlier, a: admitted.a });
    else {
      firstHere.set(idKey, i);
      fresh.push({ i, a: admitted.a });
    }
  }
  const region = fresh[0]?.a.env.region;
  const claimed = region
    ? await claimIds(
        trx,
        region,
        fresh.map((f) => ({ env: f.a.env, hash: f.a.hash, actor: slots[f.i]!.actorName })),
      )
    : new Set<string>();
  const todo: { i: number; a: Admitted; ctx: CommandContext<unknown> }[] = [];
  for (const f of fresh) {
    if (claimed.has(f.a.env.id)) todo.push({ ...f, ctx: contextOf(trx, f.a, now, cache) });
    else out[f.i] = await replay(trx, slots[f.i]!, now, f.a);
  }
  if (todo.length > 0) {
    const outcomes = await handler.handleBatch!(todo.map((t) => t.ctx));
    for (const [k, t] of todo.entries()) {
      const slot = slots[t.i]!;
      const o = outcomes[k]!;
      if (o.ok) {
        const result: CommandResult = {
          ...idAndType(slot),
          status: 'accepted',
          replayed: false,
          result: o.result,
        };
        out[t.i] = {
          result,
          entry: entryFor(slot, now, result, { result: o.result, changes: t.ctx.changes }),
        };
      } else {
        // A domain decision is part of the command's meaning: a repeat of the id returns it again.
        out[t.i] = rejected(slot, now, errorBody(o.error.code, o.error.params, o.error.issues));
      }
      recorded.push({ id: t.a.env.id, result: out[t.i]!.result });
    }
  }
  for (const r of repeats) {
    const slot = slots[r.i]!;
    const first = out[r.of]!;
    const firstHash = fresh.find((f) => f.i === r.of)!.a.hash;
    if (firstHash !== r.a.hash)
      out[r.i] = rejected(slot, now, errorBody('COMMAND_ID_REUSED', { id: r.a.env.id }));
    else {
      const result = { ...first.result, replayed: true } as CommandResult;
      out[r.i] = { result, entry: entryFor(slot, now, result, { replayOfFirstResult: true }) };
    }
  }
  return out as Ran[];
}

function batchHandlerOf(slot: Slot): CommandHandler<unknown> | null {
  if (!slot.env || slot.early) return null;
  const h = handlerFor(slot.env.type);
  return h?.handleBatch ? h : null;
}

async function actorOf(
  trx: Kysely<DB>,
  name: string,
  opts: ExecuteOptions,
  cache: Map<string, Actor | null>,
): Promise<Actor> {
  if (name === SETUP_ACTOR) {
    if (opts.allowSetupActor && !opts.sessionActor) return setupActor();
    throw new FiscusError('ACTOR_UNKNOWN', { actor: name });
  }
  if (!cache.has(name)) cache.set(name, await loadActor(trx, name));
  const actor = cache.get(name);
  if (!actor) throw new FiscusError('ACTOR_UNKNOWN', { actor: name });
  return actor;
}
