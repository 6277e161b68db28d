import type { Kysely } from 'kysely';
import { FiscusError } from '../../kernel/errors';
import type { DB } from '../../platform/db/schema';
import { balanceReport } from './balances';
import { toWire } from './format';
import { executionProgress, indicatorLedger, sourcesAndUses, trialBalance } from './statements';

export const reportNames = ['balances', 'trial-balance', 'sources-uses', 'progress', 'indicator'] as const;
export type ReportName = (typeof reportNames)[number];

export interface ReportParams {
  region: string;
  year: number;
  by?: string[] | undefined;
  asOf?: string | undefined;
  includeSubtree?: boolean | undefined;
  indicatorId?: string | undefined;
}

export const reportTitles: Record<ReportName, string> = {
  balances: '指标余额表',
  'trial-balance': '科目余额表',
  'sources-uses': '指标来源去向表',
  progress: '执行进度表',
  indicator: '指标明细账',
};

/** One entry point for the CLI and the API: a report as rows ready for JSON, CSV or Excel. */
export async function runReport(
  db: Kysely<DB>,
  name: ReportName,
  p: ReportParams,
): Promise<Record<string, unknown>[]> {
  switch (name) {
    case 'balances':
      return toWire(
        await balanceReport(db, {
          region: p.region,
          year: p.year,
          by: p.by ?? ['account'],
          asOf: p.asOf,
          includeSubtree: p.includeSubtree,
        }),
      );
    case 'trial-balance': {
      const t = await trialBalance(db, p);
      return toWire(t.rows);
    }
    case 'sources-uses': {
      const s = await sourcesAndUses(db, p);
      return toWire([
        ...s.sources.map((r) => ({ side: '来源', ...r })),
        ...s.uses.map((r) => ({ side: '去向', ...r })),
      ]);
    }
    case 'progress':
      return toWire(
        await executionProgress(db, { region: p.region, year: p.year, by: p.by?.[0] ?? 'agency' }),
      );
    case 'indicator': {
      if (!p.indicatorId) throw new FiscusError('VALIDATION_FAILED', { detail: 'indicatorId is required' });
      const l = await indicatorLedger(db, { region: p.region, year: p.year, indicatorId: p.indicatorId });
      return toWire([
        ...l.lineage.map((x) => ({ kind: 'lineage', ...x })),
        ...l.lines.map((x) => ({ kind: 'line', ...x })),
      ]);
    }
  }
}
