/** Wire types of the 指标管理 API (GET /api/v1/indicators …); amounts are yuan strings. */

export interface Amounts {
  total: string;
  available: string;
  frozen: string;
  inUse: string;
  paid: string;
}

export type Pool = 'executable' | 'unallocated';

export interface IndicatorItem extends Amounts {
  indicatorId: string;
  pool: Pool;
  agencyCode: string | null;
  agencyName: string | null;
  deptCode: string | null;
  projectCode: string | null;
  expFuncCode: string | null;
  expFuncName: string | null;
  govEcoCode: string | null;
  depEcoCode: string | null;
  fundTypeCode: string;
  fundTypeName: string | null;
  sourceTypeCode: string | null;
  indicatorTypeCode: string | null;
  docNo: string | null;
  supDocNo: string | null;
  directReach: boolean;
  originIndicatorId: string | null;
  originKind: string;
  createdByDoc: string;
  createdAt: string;
}

export interface IndicatorPage {
  items: IndicatorItem[];
  total: number;
  page: number;
  pageSize: number;
  totals: Amounts;
}

export interface LedgerLine {
  entryId: string;
  lineNo: number;
  account: string;
  accountName: string | null;
  side: 'debit' | 'credit';
  amount: string;
  businessDate: string;
  scenario: string;
  commandId: string | null;
  commandType: string | null;
  actor: string | null;
  reversesEntryId: string | null;
}

export interface DocRef {
  docId: string;
  docType: string;
  docNo: string;
  title: string;
  state: DocState;
}

export interface IndicatorDetail {
  indicator: {
    indicatorId: string;
    year: number;
    pool: Pool;
    elements: Record<string, unknown> & { flags?: Record<string, boolean> };
    directReach: boolean;
    originIndicatorId: string | null;
    originKind: string;
    createdByDoc: string;
    createdAt: string;
  };
  amounts: Amounts;
  lines: LedgerLine[];
  lineage: {
    createdBy: DocRef | null;
    up: {
      indicatorId: string;
      year: number;
      pool: Pool;
      originKind: string;
      createdByDoc: string;
      docNo: string | null;
    }[];
    received: {
      messageId: string;
      fromRegion: string;
      docNo: string;
      amount: string;
      state: string;
      sourceIndicatorId: string | null;
    }[];
    down: {
      indicatorId: string;
      year: number;
      originIndicatorId: string;
      pool: Pool;
      originKind: string;
      createdByDoc: string;
      agencyCode: string | null;
      depth: number;
      amounts: Amounts;
    }[];
    issued: {
      messageId: string;
      toRegion: string;
      kind: string;
      docId: string;
      docNo: string;
      amount: string;
      state: string;
    }[];
    payments: LedgerLine[];
  };
}

export type DocState = 'draft' | 'submitted' | 'approved' | 'returned' | 'voided';
export type DocType =
  | 'approve'
  | 'allocate'
  | 'issue'
  | 'advanceIssue'
  | 'adjust'
  | 'transfer'
  | 'freeze'
  | 'unfreeze'
  | 'recall';

export interface RouteStep {
  name: string;
  permission: string;
}

export interface DocumentItem {
  docId: string;
  docType: DocType;
  docNo: string;
  title: string;
  amount: string;
  state: DocState;
  step: number;
  currentStep: RouteStep | null;
  preparedBy: string;
  submittedBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface DocumentDetail extends DocumentItem {
  summary: string | null;
  body: { docType: DocType; fromIndicatorId?: string; lines: Record<string, unknown>[] };
  route: RouteStep[];
  effect: {
    entryIds: string[];
    messages: string[];
    indicators: (Amounts & { indicatorId: string })[];
  } | null;
  actions: {
    seq: number;
    action: string;
    step: number | null;
    stepName: string | null;
    actor: string;
    opinion: string | null;
    at: string;
  }[];
}

export interface LevelReport {
  region: string;
  year: number;
  issued: number;
  received: number;
  ok: boolean;
  differences: { kind: string; messageId: string; region: string; docNo: string; detail: string }[];
}
