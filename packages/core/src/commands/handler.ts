import type { CommandDef } from '@fiscus/contracts';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { AccessDecision, Actor } from '../auth/domain/access';
import type { FiscusError } from '../kernel/errors';
import type { DB } from '../platform/db/schema';

/** One before/after pair that the audit record keeps. */
export interface Change {
  entity: string;
  key: string;
  before: unknown;
  after: unknown;
}

export interface CommandContext<P> {
  /** The open transaction (inside a savepoint): everything the command writes goes here. */
  trx: Kysely<DB>;
  id: string;
  type: string;
  region: string;
  /** The region's ancestry (root first, itself last) when the pipeline already read it. */
  regionPath: readonly string[] | null;
  /** The region's configuration token when known: caches of configuration key on it. */
  configToken: string | null;
  year: number;
  /** Business date. */
  on: string;
  payload: P;
  actor: Actor;
  access: AccessDecision;
  /** Wall-clock time of the batch: one value for every command in it. */
  now: Date;
  changes: Change[];
}

export interface CommandHandler<P = unknown> {
  def: CommandDef<string, z.ZodType<P>>;
  /** The region whose scope authorizes the command; defaults to the envelope's region. */
  scopeRegion?: (payload: P, region: string) => string | null;
  /** The scope region may not exist yet (a new root region): authorize it as a root of its own. */
  scopeMayBeNew?: (payload: P) => boolean;
  /** The agency the command concerns, checked against agency-restricted grants. */
  agencyOf?: (payload: P) => string | null;
  /** Decide and persist. Throw FiscusError to refuse; return the result the caller sees. */
  handle(ctx: CommandContext<P>): Promise<unknown>;
  /**
   * Decide a run of consecutive commands of this type together (set-based engines). Must write
   * nothing for a refused item. When present, the pipeline uses it instead of `handle`.
   */
  handleBatch?: (ctxs: CommandContext<P>[]) => Promise<BatchOutcome[]>;
}

export type BatchOutcome = { ok: true; result: unknown } | { ok: false; error: FiscusError };

export function defineHandler<P>(h: CommandHandler<P>): CommandHandler<P> {
  return h;
}
