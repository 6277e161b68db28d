import type { CommandResult } from '@fiscus/contracts';
import type { Kysely } from 'kysely';
import { executeCommands } from '../commands/pipeline';
import type { DB } from '../platform/db/schema';
import { startDailyJob } from '../platform/jobs/daily';

export { beijingDate } from '../platform/jobs/daily';

export interface DailyResult {
  region: string;
  type: string;
  result: CommandResult;
}

/**
 * 每日监控: the scheduled rules, then 督办 of overdue warnings, for each region that has rules (or
 * the one given), as `actor`. The request ids are derived from region and date, so a rerun of the
 * same day — a restart, the CLI after the server's own run — replays instead of repeating.
 */
export async function runMonitorDaily(
  db: Kysely<DB>,
  o: { on: string; actor: string; region?: string | undefined; year?: number | undefined },
): Promise<DailyResult[]> {
  const regions = o.region
    ? [o.region]
    : (
        await db
          .selectFrom('monitor.rule_version')
          .select('region_code')
          .distinct()
          .orderBy('region_code')
          .execute()
      ).map((r) => r.region_code);
  const year = o.year ?? Number(o.on.slice(0, 4));
  const out: DailyResult[] = [];
  for (const region of regions)
    for (const type of ['monitorScheduled.run', 'monitorWarning.escalate']) {
      const [result] = await executeCommands(
        db,
        [{ id: `monitor-daily:${region}:${o.on}:${type}`, type, region, year, on: o.on, payload: {} }],
        { defaultActor: o.actor },
      );
      out.push({ region, type, result: result! });
    }
  return out;
}

/** The daily job inside the server: today's monitoring once the Beijing clock passes `at`. */
export function startMonitorDaily(
  db: Kysely<DB>,
  o: { at: string; actor: string; onResult?: (r: DailyResult[]) => void; onError?: (e: unknown) => void },
): { stop(): Promise<void> } {
  return startDailyJob({
    at: o.at,
    run: (today) => runMonitorDaily(db, { on: today, actor: o.actor }),
    onResult: o.onResult,
    onError: o.onError,
  });
}
