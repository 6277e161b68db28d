/** Wire types of GET /api/v1/monitor/…; amounts are yuan strings. */

export interface WarningItem {
  warningId: string;
  ruleCode: string;
  ruleVersion: number;
  ruleName: string | null;
  level: string;
  action: string;
  trigger: string;
  applicationId: string | null;
  indicatorId: string | null;
  agencyCode: string;
  agencyName: string | null;
  amount: string;
  message: { 'zh-CN': string; en: string };
  explanation: string | null;
  status: string;
  statusName: string;
  violation: boolean;
  inquiryNo: string | null;
  deadline: string | null;
  overdue: boolean;
  escalation: number;
  raisedOn: string;
  raisedAt: string;
  closedOn: string | null;
}

export interface WarningPage {
  total: number;
  page: number;
  pageSize: number;
  rows: WarningItem[];
}

export interface Attachment {
  name: string;
  sha256: string;
}

export interface WarningEvent {
  seq: number | string;
  action: string;
  actor: string;
  fromStatus: string | null;
  toStatus: string | null;
  opinion: string | null;
  attachments: Attachment[] | null;
  on: string;
  at: string;
}

export interface WarningDetail extends WarningItem {
  condition: string;
  subject: unknown;
  events: WarningEvent[];
}

export interface CountRow {
  key: string;
  count: number;
  amount: string;
  name?: string;
}

export interface EvaluationRow {
  key: string;
  name: string;
  total: number;
  open: number;
  closed: number;
  violations: number;
  repeatOffences: number;
  meanDaysToClose: number | null;
  maxDaysToClose: number | null;
}

export interface MonitorStats {
  total: number;
  byLevel: CountRow[];
  byStatus: CountRow[];
  byRule: CountRow[];
  byAgency: CountRow[];
  byMonth: CountRow[];
  evaluation: { byAgency: EvaluationRow[]; byRule: EvaluationRow[] };
}

export interface RuleItem {
  code: string;
  name: string;
  version: number;
  warningLevel: string;
  action: string;
  enabled: boolean;
}
