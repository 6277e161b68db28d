import {
  type CommandEnvelope,
  type CommandResult,
  commandEnvelopeSchema,
  type ErrorBody,
  errorBody,
} from '@fiscus/contracts';
import { canonicalJson } from '../kernel/canonical-json';
import type { AuditEntry } from '../platform/audit/chain';
import { sm3Hex } from '../platform/gm/sm3';
import { issuesError, zodIssues } from './issues';
import { redact } from './redact';

// What the pipeline makes of each raw input before any database work: the parsed envelope
// (or the reason it is malformed), the acting user's name, its fingerprint and audit entry.

export interface ExecuteOptions {
  /** Over HTTP: the signed-in user. An envelope naming anyone else is refused. */
  sessionActor?: string;
  /** CLI: the actor of lines that name none. */
  defaultActor?: string;
  /** CLI only: lines may run as the setup actor (`fiscus-setup`). */
  allowSetupActor?: boolean;
  /** Execute everything, then roll back: import previews. */
  dryRun?: boolean;
  now?: Date;
  /** Commands per transaction (per region). */
  chunkSize?: number;
  /**
   * All or nothing per region: one transaction, and if any command is refused none is kept
   * (imports). The refusals are still audited.
   */
  atomic?: boolean;
}

/** The region whose chain records refusals that name no valid region. */
export const SYSTEM_REGION = '000000000';

export type Pending = Omit<AuditEntry, 'seq' | 'regionCode'>;

export interface Slot {
  index: number;
  raw: unknown;
  env: CommandEnvelope | null;
  actorName: string;
  early: ErrorBody | null;
}

export function regionOfRaw(raw: unknown): string {
  const r = (raw as { region?: unknown } | null)?.region;
  return typeof r === 'string' && /^\d{9}$/.test(r) ? r : SYSTEM_REGION;
}

/** A line of a command file that is not JSON: refused and audited like any malformed command. */
export class UnparsableInput {
  constructor(readonly text: string) {}
}

export function prepare(raw: unknown, index: number, opts: ExecuteOptions): Slot {
  if (raw instanceof UnparsableInput) {
    const actorName = opts.sessionActor ?? opts.defaultActor ?? 'anonymous';
    return {
      index,
      raw: { text: raw.text.slice(0, 500) },
      env: null,
      actorName,
      early: errorBody('COMMAND_MALFORMED', { detail: 'not valid JSON' }),
    };
  }
  const parsed = commandEnvelopeSchema.safeParse(raw);
  const rawActor = (raw as { actor?: unknown } | null)?.actor;
  const named = typeof rawActor === 'string' ? rawActor : undefined;
  const actorName = opts.sessionActor ?? named ?? opts.defaultActor ?? 'anonymous';
  if (!parsed.success) {
    const issues = zodIssues(commandEnvelopeSchema, raw, parsed.error);
    return {
      index,
      raw,
      env: null,
      actorName,
      early: issuesError('COMMAND_MALFORMED', issues),
    };
  }
  const env = parsed.data;
  if (opts.sessionActor && env.actor && env.actor !== opts.sessionActor) {
    return {
      index,
      raw,
      env,
      actorName,
      early: errorBody('COMMAND_MALFORMED', { detail: `actor ${env.actor} is not the signed-in user` }),
    };
  }
  if (!opts.sessionActor && !named && !opts.defaultActor) {
    return {
      index,
      raw,
      env,
      actorName,
      early: errorBody('COMMAND_MALFORMED', { detail: 'actor is required' }),
    };
  }
  return { index, raw, env, actorName, early: null };
}

export function requestHash(env: CommandEnvelope, actor: string): string {
  return sm3Hex(
    canonicalJson({
      type: env.type,
      region: env.region,
      year: env.year,
      on: env.on,
      actor,
      payload: redact(env.payload),
    }),
  );
}

export function entryFor(
  slot: Slot,
  now: Date,
  res: CommandResult,
  detail: Record<string, unknown>,
): Pending {
  const env = slot.env;
  const raw = slot.raw as Record<string, unknown> | null;
  return {
    recordedAt: now.toISOString(),
    actor: slot.actorName,
    commandId: env?.id ?? (typeof raw?.id === 'string' ? raw.id.slice(0, 64) : null),
    commandType: env?.type ?? (typeof raw?.type === 'string' ? raw.type.slice(0, 64) : '(malformed)'),
    fiscalYear: env?.year ?? null,
    businessDate: env?.on ?? null,
    outcome: res.status,
    errorCode: res.status === 'rejected' ? res.error.code : null,
    detail: { payload: redact(env ? env.payload : raw), ...detail },
  };
}
