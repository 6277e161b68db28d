import type { CommandResult } from '@fiscus/contracts';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema';

/**
 * Books one round's outcomes as the sender's own command (id from what was sent, so a retried
 * booking replays); a booking refused is counted and named in the summary, never thrown.
 */
export async function bookSendOutcomes(
  db: Kysely<DB>,
  summary: { notBooked: number; lastError?: string | undefined },
  o: {
    id: string;
    type: string;
    region: string;
    year: number;
    payload: unknown;
    count: number;
    actor?: string | undefined;
  },
): Promise<void> {
  // Loaded when first needed: the pipeline's registry imports the clearing handlers, whose module
  // imports this one, so a static import would make the module order decide whether it works.
  const { executeCommands } = await import('../../commands/pipeline');
  const results: CommandResult[] = await executeCommands(
    db,
    [
      {
        id: o.id,
        type: o.type,
        region: o.region,
        year: o.year,
        on: new Date().toISOString().slice(0, 10),
        payload: o.payload,
      },
    ],
    { defaultActor: o.actor ?? 'exchange' },
  );
  if (results[0]?.status !== 'accepted') {
    summary.notBooked += o.count;
    const r = results[0];
    summary.lastError = r?.status === 'rejected' ? `${r.error.code}: ${r.error.message.en}` : 'no result';
  }
}
