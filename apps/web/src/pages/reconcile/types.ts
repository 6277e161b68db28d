/** Wire types of GET /api/v1/reconcile/… (packages/core/src/reconcile/queries.ts); amounts are yuan strings. */

export interface RunItem {
  runId: string;
  region: string;
  date: string;
  parties: string[];
  state: 'current' | 'superseded' | string;
  supersedes: string | null;
  supersededBy: string | null;
  differences: number;
  quotaChecked: boolean;
  green: boolean;
  runBy: string;
  ranAt: string;
  durationMs: number | null;
}

export interface PairFigure {
  pair: string;
  countA: number;
  countB: number;
  matched: number;
  matchedAmount: string;
  differences: number;
  status: 'green' | 'red';
}

export interface RunDetail extends Omit<RunItem, 'green'> {
  year: number;
  layers: {
    layer: string;
    name?: { zh: string; en: string };
    pairs: PairFigure[];
    /** `${kind}/${state}` → count */
    differencesByKind: Record<string, number>;
  }[];
}

export interface DifferenceItem {
  differenceId: string;
  runId: string;
  date: string;
  layer: string;
  pair: string;
  pairs: string[];
  kind: string;
  party: string | null;
  itemKey: string;
  vtCode: string | null;
  voucherNo: string | null;
  expectedAmount: string | null;
  actualAmount: string | null;
  detail: { 'zh-CN': string; en: string };
  state: string;
  assignee: string | null;
  explanation: string | null;
  explainedBy: string | null;
  resolution: string | null;
  note: string | null;
  resolvedBy: string | null;
  carriedFrom: string | null;
}

export interface DifferencePage {
  items: DifferenceItem[];
  total: number;
  page: number;
  pageSize: number;
}

export interface DifferenceEvent {
  differenceId: string;
  seq: number;
  action: string;
  actor: string;
  from: string;
  to: string;
  text: string | null;
  on: string;
  at: string;
}

export type SideRecord = Record<string, unknown>;

export interface DifferenceDetail extends DifferenceItem {
  events: DifferenceEvent[];
  sides: Record<string, SideRecord[]>;
  rejectedMessages: {
    sender: string;
    vtCode: string;
    voucherNo: string;
    reason: string;
    keyId: string | null;
    receivedAt: string;
  }[];
}
