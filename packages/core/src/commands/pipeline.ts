import { type CommandResult, type ErrorBody, errorBody } from '@fiscus/contracts';
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
import { claimId, firstRun, recordAccepted, recordRefused } from './command-log';
import {
  type ExecuteOptions,
  entryFor,
  type Pending,
  prepare,
  regionOfRaw,
  requestHash,
  type Slot,
} from './envelope';
import type { Change, CommandContext } from './handler';
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
      const actors = new Map<string, Actor | null>();
      for (const slot of chunk) {
        const { result, entry } = await runOne(trx, slot, now, opts, actors);
        // Grants may have changed: later commands in the chunk must see them.
        if (result.status === 'accepted' && result.type.startsWith('user.')) actors.clear();
        out.push(result);
        audit.push(entry);
      }
      if (opts.dryRun) throw new DryRunRollback();
      if (opts.atomic && out.some((r) => r.status === 'rejected')) throw new AtomicRollback(audit);
      await appendAudit(trx, region, audit);
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

async function runOne(
  trx: Kysely<DB>,
  slot: Slot,
  now: Date,
  opts: ExecuteOptions,
  actors: Map<string, Actor | null>,
): Promise<{ result: CommandResult; entry: Pending }> {
  const env = slot.env;
  const id = env?.id ?? String((slot.raw as { id?: unknown } | null)?.id ?? '');
  const type = env?.type ?? String((slot.raw as { type?: unknown } | null)?.type ?? '');
  const reject = (error: ErrorBody, detail: Record<string, unknown> = {}, replayed = false) => {
    const result: CommandResult = { id, type, status: 'rejected', replayed, error };
    return { result, entry: entryFor(slot, now, result, { error, ...detail }) };
  };
  if (slot.early || !env) return reject(slot.early ?? errorBody('COMMAND_MALFORMED', { detail: 'envelope' }));

  const handler = handlerFor(env.type);
  if (!handler) return reject(errorBody('COMMAND_TYPE_UNKNOWN', { type: env.type }));
  const payload = handler.def.payload.safeParse(env.payload);
  if (!payload.success) {
    return reject(
      issuesError('VALIDATION_FAILED', zodIssues(handler.def.payload, env.payload, payload.error)),
    );
  }

  await sql`savepoint cmd`.execute(trx);
  const hash = requestHash(env, slot.actorName);
  const claimed = await claimId(trx, env, hash, slot.actorName);
  if (!claimed) {
    await sql`release savepoint cmd`.execute(trx);
    const first = await firstRun(trx, env);
    if (first.hash !== hash) return reject(errorBody('COMMAND_ID_REUSED', { id: env.id }));
    const stored = first.result;
    const result = { ...stored, replayed: true } as CommandResult;
    return { result, entry: entryFor(slot, now, result, { replayOfFirstResult: true }) };
  }

  const changes: Change[] = [];
  try {
    const actor = await actorOf(trx, slot.actorName, opts, actors);
    const scopeRegion = handler.scopeRegion ? handler.scopeRegion(payload.data, env.region) : env.region;
    const found = scopeRegion ? await regionAncestry(trx, scopeRegion) : null;
    const ancestry = found ?? (handler.scopeMayBeNew?.(payload.data) && scopeRegion ? [scopeRegion] : null);
    if (!ancestry) throw new FiscusError('REGION_UNKNOWN', { region: scopeRegion ?? env.region });
    const access: AccessDecision = authorize(actor, handler.def.permission, ancestry);
    if (!access.wholeRegion) {
      const agency = handler.agencyOf?.(payload.data) ?? null;
      const path = agency ? await agencyAncestry(trx, env.region, env.year, agency) : null;
      authorizeAgency(actor, access, path);
    }
    if (handler.def.needsOpenYear && (await yearState(trx, env.region, env.year)) !== 'open') {
      throw new FiscusError('FISCAL_YEAR_NOT_OPEN', { region: env.region, year: env.year });
    }
    const ctx: CommandContext<unknown> = {
      trx,
      id: env.id,
      type: env.type,
      region: env.region,
      year: env.year,
      on: env.on,
      payload: payload.data,
      actor,
      access,
      now,
      changes,
    };
    // Refusals up to here leave no command_log row: the caller may fix permissions and retry the id.
    const decided = await decide(handler.handle, ctx);
    const result: CommandResult = { id, type, status: 'accepted', replayed: false, result: decided };
    await recordAccepted(trx, env, result);
    await sql`release savepoint cmd`.execute(trx);
    return { result, entry: entryFor(slot, now, result, { result: decided, changes }) };
  } catch (e) {
    await sql`rollback to savepoint cmd`.execute(trx);
    await sql`release savepoint cmd`.execute(trx);
    if (e instanceof DomainRefusal) {
      // A domain decision is part of the command's meaning: a repeat of the id returns it again.
      const error = errorBody(e.inner.code, e.inner.params, e.inner.issues);
      const result: CommandResult = { id, type, status: 'rejected', replayed: false, error };
      await recordRefused(trx, env, hash, slot.actorName, result);
      return { result, entry: entryFor(slot, now, result, { error }) };
    }
    if (isFiscusError(e)) return reject(errorBody(e.code, e.params, e.issues));
    const ref = sm3Hex(`${now.toISOString()}${env.id}`).slice(0, 12);
    const pgCode = (e as { code?: string }).code;
    if (pgCode && RETRYABLE.has(pgCode)) throw e;
    console.error(`[fiscus] internal error ${ref} in ${env.type}:`, e);
    return reject(errorBody('INTERNAL_ERROR', { ref }), { internal: String(e).slice(0, 500) });
  }
}

class DomainRefusal extends Error {
  constructor(readonly inner: FiscusError) {
    super(inner.message);
  }
}

async function decide(fn: (ctx: CommandContext<unknown>) => Promise<unknown>, ctx: CommandContext<unknown>) {
  try {
    return await fn(ctx);
  } catch (e) {
    if (isFiscusError(e)) throw new DomainRefusal(e);
    throw e;
  }
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
