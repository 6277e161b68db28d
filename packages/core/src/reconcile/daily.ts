import type { CommandResult } from '@fiscus/contracts';
import { type Kysely, sql } from 'kysely';
import { executeCommands } from '../commands/pipeline';
import type { DB } from '../platform/db/schema';
import { startDailyJob } from '../platform/jobs/daily';

export { beijingDate } from '../platform/jobs/daily';

const dayBefore = (iso: string) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

export interface ReconcileDailyResult {
  region: string;
  date: string;
  result: CommandResult;
}

/**
 * 每日对账: reconcile `date` (default: the day before `on`, whose day-end reports have arrived) for
 * every region with paid vouchers or counterpart reports of that date (or the one given), as
 * `actor`. Request ids derive from region and date, so a rerun of the job replays instead of
 * superseding; an operator reruns a date by hand (`fiscus reconcile run`).
 */
export async function runReconcileDaily(
  db: Kysely<DB>,
  o: { on: string; actor: string; date?: string | undefined; region?: string | undefined },
): Promise<ReconcileDailyResult[]> {
  const date = o.date ?? dayBefore(o.on);
  const d8 = date.replaceAll('-', '');
  const regions = o.region
    ? [o.region]
    : (
        await sql<{ region_code: string }>`
select region_code from reconcile.report where report_date = ${date}
union
select region_code from payments.voucher where x_pay_date = ${d8}
order by 1`.execute(db)
      ).rows.map((r) => r.region_code);
  const out: ReconcileDailyResult[] = [];
  for (const region of regions) {
    const [result] = await executeCommands(
      db,
      [
        {
          id: `reconcile-daily:${region}:${date}`,
          type: 'reconcile.run',
          region,
          year: Number(date.slice(0, 4)),
          on: o.on,
          payload: { date },
        },
      ],
      { defaultActor: o.actor },
    );
    out.push({ region, date, result: result! });
  }
  return out;
}

/** The daily job inside the server: yesterday's reconciliation once the Beijing clock passes `at`. */
export function startReconcileDaily(
  db: Kysely<DB>,
  o: {
    at: string;
    actor: string;
    onResult?: (r: ReconcileDailyResult[]) => void;
    onError?: (e: unknown) => void;
  },
): { stop(): Promise<void> } {
  return startDailyJob({
    at: o.at,
    run: (today) => runReconcileDaily(db, { on: today, actor: o.actor }),
    onResult: o.onResult,
    onError: o.onError,
  });
}
