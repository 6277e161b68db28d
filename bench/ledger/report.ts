import { type Kysely, sql } from 'kysely';
import { balanceReport } from '../../packages/core/src/ledger/reports/balances';
import type { DB } from '../../packages/core/src/platform/db/schema';
import { type Figure, log, median, PROVINCE, round, seconds, YEAR } from './shared';

/** G8: the province-year balance report by account × agency, whole subtree, median of `runs`. */
export async function reportFigure(db: Kysely<DB>, runs: number): Promise<Figure> {
  const opts = { region: PROVINCE, year: YEAR, by: ['account', 'agency'], includeSubtree: true };
  const counted = await sql<{ balances: string; months: string }>`select
      (select count(*) from ledger.balance where fiscal_year = ${YEAR})::text as balances,
      (select count(*) from ledger.balance_month where fiscal_year = ${YEAR})::text as months`.execute(db);
  const sizes = {
    ...opts,
    runs,
    balanceRows: Number(counted.rows[0]?.balances ?? 0),
    monthRows: Number(counted.rows[0]?.months ?? 0),
  };
  const base: Figure = {
    figure: 'G8',
    name: 'province-year balance report from balance rows (by account, agency; subtree)',
    value: null,
    unit: 's',
    baseline: null,
    baselineValue: null,
    ratio: null,
    goal: '<= 0.1 s',
    met: null,
    sizes,
  };
  const times: number[] = [];
  let rows: number | null = null;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const out = await balanceReport(db, opts);
    times.push(seconds(t0));
    rows = out.length;
  }
  const s = median(times);
  log(`G8: median ${s.toFixed(4)} s over ${runs} runs (${rows ?? '?'} rows)`);
  return {
    ...base,
    value: round(s, 4),
    met: s <= 0.1,
    sizes: { ...sizes, resultRows: rows, runsS: times.map((t) => round(t, 4)) },
  };
}
