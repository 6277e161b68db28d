import type { CommandResult } from '@fiscus/contracts';
import type { Kysely } from 'kysely';
import { executeCommands } from '../commands/pipeline';
import type { DB } from '../platform/db/schema';

/** Business date in China: the fiscal day runs on Beijing time. */
export const beijingDate = (at: Date = new Date()) =>
  new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

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

/**
 * The daily job inside the server: once the Beijing clock passes `at` (HH:MM), run today's
 * monitoring once. Checked every minute; a day missed while the server was down runs at start.
 */
export function startMonitorDaily(
  db: Kysely<DB>,
  o: { at: string; actor: string; onResult?: (r: DailyResult[]) => void; onError?: (e: unknown) => void },
): { stop(): Promise<void> } {
  let done = '';
  let running: Promise<void> | null = null;
  const tick = () => {
    const now = new Date();
    const today = beijingDate(now);
    const time = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(11, 16);
    if (running || done === today || time < o.at) return;
    running = runMonitorDaily(db, { on: today, actor: o.actor })
      .then((r) => {
        done = today;
        o.onResult?.(r);
      })
      .catch((e) => o.onError?.(e))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, 60_000);
  timer.unref();
  tick();
  return {
    // Waits for a run in progress, so the database is not closed under it.
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
