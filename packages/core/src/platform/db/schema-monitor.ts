import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string, string>;
type DateCol = ColumnType<string, string, string>;

export interface RuleVersionTable {
  region_code: string;
  code: string;
  version: number;
  definition: Json;
  created_by: string;
  created_at: Timestamp;
}

export interface RuleRevisionTable {
  region_code: string;
  revision: string;
}

export interface WarningTable {
  region_code: string;
  fiscal_year: number;
  warning_id: string;
  rule_code: string;
  rule_version: number;
  level: 'yellow' | 'orange' | 'red' | 'grey' | 'blue';
  action: 'warn' | 'warnExplain' | 'hold' | 'freeze' | 'forbid' | 'record';
  trigger: 'submit' | 'approve' | 'scheduled';
  application_id: string | null;
  indicator_id: string | null;
  agency_code: string;
  amount_fen: bigint;
  message: Json;
  explanation: string | null;
  subject: Json;
  status: string;
  violation: Generated<boolean>;
  inquiry_no: string | null;
  deadline: DateCol | null;
  escalation: Generated<number>;
  identified_by: string | null;
  feedback_by: string | null;
  rectified_by: string | null;
  raised_on: DateCol;
  raised_at: Timestamp;
  closed_on: DateCol | null;
  dedupe_key: string | null;
}

export interface WarningEventTable {
  region_code: string;
  fiscal_year: number;
  warning_id: string;
  seq: number;
  action: string;
  actor: string;
  from_status: string | null;
  to_status: string;
  opinion: string | null;
  attachments: Json;
  on_date: DateCol;
  at: Timestamp;
}

export interface MonitorTables {
  'monitor.rule_version': RuleVersionTable;
  'monitor.rule_revision': RuleRevisionTable;
  'monitor.warning': WarningTable;
  'monitor.warning_event': WarningEventTable;
}
