import { z } from 'zod';
import { bi, fiscalYearSchema, isoDateSchema, regionCodeSchema } from './common';
import type { ErrorBody } from './errors';

/** The caller's idempotency key: repeat it and you get the first result back. */
export const commandIdSchema = z
  .string()
  .min(8)
  .max(64)
  .regex(
    /^[A-Za-z0-9._:-]+$/,
    bi('请求编号只能使用字母、数字和 . _ : -', 'id uses letters, digits and . _ : -'),
  );

/** Wire type: `context.verb` in camelCase words, e.g. `agency.save`, `bankAccount.approve`. */
export const commandTypeSchema = z.string().regex(/^[a-z][a-zA-Z]*(\.[a-z][a-zA-Z]*)+$/);

/**
 * The envelope every write travels in, over HTTP, from the CLI and in JSON Lines files.
 * `actor` is the acting user: over HTTP it comes from the session (a body value must match it);
 * in files it names the user the operator runs the line as.
 */
export const commandEnvelopeSchema = z.strictObject({
  id: commandIdSchema,
  type: commandTypeSchema,
  region: regionCodeSchema,
  year: fiscalYearSchema,
  actor: z.string().min(1).max(64).optional(),
  on: isoDateSchema,
  payload: z.unknown(),
});
export type CommandEnvelope = z.infer<typeof commandEnvelopeSchema>;

/** A command definition: the schema side only; the handler lives in core. */
export interface CommandDef<T extends string = string, P extends z.ZodType = z.ZodType> {
  type: T;
  /** The permission an actor needs. */
  permission: string;
  payload: P;
  summary: { zh: string; en: string };
  /** Whether the command needs the envelope's fiscal year to be open in that region. */
  needsOpenYear: boolean;
}

export function defineCommand<T extends string, P extends z.ZodType>(
  def: CommandDef<T, P>,
): CommandDef<T, P> {
  return def;
}

/** What the pipeline answers for each command. */
export type CommandResult =
  | { id: string; type: string; status: 'accepted'; replayed: boolean; result: unknown }
  | { id: string; type: string; status: 'rejected'; replayed: boolean; error: ErrorBody };
