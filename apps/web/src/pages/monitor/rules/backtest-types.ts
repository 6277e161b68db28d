import type { RuleAction, WarningLevel } from './labels';

/** Wire shapes of POST /monitor/rules/test and /monitor/backtest (core monitoring/backtest.ts). */

export interface Localized {
  'zh-CN': string;
  en: string;
}

export interface SampleRunResult {
  applicationId: string;
  fired: boolean;
  action?: RuleAction;
  level?: WarningLevel;
  message?: Localized;
  error?: Localized;
}

export interface BacktestSample {
  applicationId: string;
  agencyCode: string;
  submittedOn: string;
  amount: string;
  payeeName: string;
  state: string;
  action: RuleAction;
  level: WarningLevel;
  message: Localized;
  failed: boolean;
}

/** `backtestReportJson` of core: money as yuan strings. */
export interface BacktestReport {
  rule: {
    code: string;
    version: 'draft' | number;
    name: string;
    trigger: string;
    action: RuleAction;
    warningLevel: WarningLevel;
  };
  region: string;
  year: number;
  period: { from: string; to: string };
  inScope: boolean;
  scanned: number;
  hits: number;
  amount: string;
  failures: number;
  byAgency: { agencyCode: string; count: number; amount: string }[];
  byMonth: { month: string; count: number; amount: string }[];
  byAction: { action: RuleAction; count: number }[];
  byLevel: { level: WarningLevel; count: number }[];
  samples: BacktestSample[];
  overlap: { ruleCode: string; count: number; warnings: number }[];
  dispositions: {
    byStatus: { status: string; count: number }[];
    normal: number;
    violation: number;
    open: number;
    recorded: number;
  };
  sameCodeBefore: null | {
    version: number;
    warnings: number;
    applications: number;
    inPeriod: number;
    droppedByDraft: number;
  };
}
