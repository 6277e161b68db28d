import type { ColumnType, Generated } from 'kysely';
import type { ClearingTables } from './schema-clearing';
import type { MonitorTables } from './schema-monitor';
import type { PaymentTables } from './schema-payments';
import type { ReconcileTables } from './schema-reconcile';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string, string>;

export interface CommandLogTable {
  region_code: string;
  command_id: string;
  command_type: string;
  request_hash: string;
  actor: string;
  status: 'accepted' | 'rejected';
  result: Json;
  created_at: Timestamp;
}

export interface AuditRecordTable {
  region_code: string;
  seq: bigint;
  recorded_at: Timestamp;
  actor: string;
  command_id: string | null;
  command_type: string;
  fiscal_year: number | null;
  business_date: string | null;
  outcome: 'accepted' | 'rejected';
  error_code: string | null;
  detail: Json;
  prev_hash: string;
  hash: string;
}

export interface AuditChainTable {
  region_code: string;
  last_seq: bigint;
  last_hash: string;
}

export interface OutboxTable {
  id: Generated<bigint>;
  region_code: string;
  topic: string;
  payload: Json;
  created_at: Timestamp;
  processed_at: Timestamp | null;
}

export interface RoleTable {
  code: string;
  name_zh: string;
  name_en: string;
  admin_kind: 'system' | 'security' | 'audit' | null;
  permissions: string[];
}

export interface AppUserTable {
  username: string;
  display_name: string;
  password_hash: string;
  agency_code: string | null;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  failed_logins: ColumnType<number, number | undefined, number>;
  locked_until: Timestamp | null;
  created_at: Timestamp;
}

export interface UserRoleTable {
  username: string;
  role: string;
  scope_region: string;
  include_descendants: boolean;
  scope_agency: string | null;
  granted_by: string;
  granted_at: Timestamp;
}

export interface SessionTable {
  token_hash: string;
  username: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  last_seen_at: Timestamp;
  ip: string | null;
}

export interface RegionTable {
  region_code: string;
  adm_div_code: string;
  name: string;
  level: 'province' | 'city' | 'county' | 'township';
  parent_code: string | null;
  path: string;
  updated_at: Timestamp;
}

export interface FiscalYearTable {
  region_code: string;
  fiscal_year: number;
  state: 'open' | 'closed';
  opened_at: Timestamp;
  closed_at: Timestamp | null;
}

export interface AgencyTable {
  region_code: string;
  fiscal_year: number;
  code: string;
  name: string;
  kind: string;
  parent_code: string | null;
  dept_code: string;
  path: string;
  enabled: boolean;
  updated_at: Timestamp;
}

export interface CodeItemTable {
  region_code: string;
  fiscal_year: number;
  set_code: string;
  code: string;
  name: string;
  parent_code: string | null;
  level: number;
  enabled: boolean;
  version: string | null;
  updated_at: Timestamp;
}

export interface EconomicMappingTable {
  region_code: string;
  fiscal_year: number;
  dep_eco_code: string;
  agency_kind: string;
  gov_eco_code: string;
}

export interface AgentBankTable {
  region_code: string;
  code: string;
  name: string;
  bank_no: string;
  enabled: boolean;
  updated_at: Timestamp;
}

export interface BankAccountTable {
  region_code: string;
  account_no: string;
  account_name: string;
  kind: string;
  agency_code: string | null;
  bank_code: string | null;
  bank_name: string;
  opened_on: string;
  status: 'pending' | 'active' | 'closed';
  prepared_by: string;
  approved_by: string | null;
  approved_at: Timestamp | null;
  closed_reason: string | null;
  updated_at: Timestamp;
}

export interface PayeeTable {
  region_code: string;
  code: string;
  name: string;
  kind: string;
  account_no: string;
  account_name: string;
  bank_name: string;
  bank_no: string | null;
  enabled: boolean;
  updated_at: Timestamp;
}

export interface LedgerAccountTable {
  region_code: string;
  fiscal_year: number;
  code: string;
  name: string;
  normal_side: 'debit' | 'credit';
  account_class: 'source' | 'holding';
  allow_negative: boolean;
  enabled: boolean;
}

export interface ElementKeyTable {
  region_code: string;
  fiscal_year: number;
  id: Generated<bigint>;
  key_text: string;
  indicator_id: string | null;
  origin_indicator_id: string | null;
  agency_code: string | null;
  dept_code: string | null;
  project_code: string | null;
  exp_func_code: string | null;
  tp_func_code: string | null;
  gov_eco_code: string | null;
  dep_eco_code: string | null;
  fund_type_code: string;
  source_type_code: string | null;
  indicator_type_code: string | null;
  pay_type_code: string | null;
  manage_div_code: string | null;
  doc_no: string | null;
  sup_doc_no: string | null;
  receiving_region: string | null;
  track_project_code: string | null;
  flags: ColumnType<Record<string, boolean>, string, string>;
}

export interface EntryTable {
  region_code: string;
  fiscal_year: number;
  id: bigint;
  scenario: string;
  business_date: string;
  command_id: string | null;
  reverses_entry_id: bigint | null;
  debit_fen: bigint;
  credit_fen: bigint;
  recorded_at: Timestamp;
}

export interface LineTable {
  region_code: string;
  fiscal_year: number;
  entry_id: bigint;
  line_no: number;
  account: string;
  side: 'debit' | 'credit';
  amount_fen: bigint;
  element_key_id: bigint;
  business_date: string;
}

export interface BalanceTable {
  region_code: string;
  fiscal_year: number;
  account: string;
  element_key_id: bigint;
  debit_fen: bigint;
  credit_fen: bigint;
}

export interface BalanceMonthTable extends BalanceTable {
  month: number;
}

export interface ControlRuleTable {
  region_code: string;
  code: string;
  version: number;
  kind: string;
  name_zh: string;
  name_en: string;
  scope: ColumnType<unknown, string, string>;
  action: 'block' | 'warn';
  tolerance: ColumnType<unknown, string | null, string | null>;
  params: ColumnType<unknown, string, string>;
  enabled: boolean;
  created_by: string;
  created_at: Timestamp;
}

export interface LedgerSettingTable {
  region_code: string;
  use_plans: boolean;
}

export interface ReceiptTable {
  region_code: string;
  fiscal_year: number;
  fund_type_code: string;
  agency_code: string;
  amount_fen: bigint;
}

export interface IndicatorTable {
  region_code: string;
  fiscal_year: number;
  indicator_id: string;
  pool: 'executable' | 'unallocated';
  elements: Json;
  agency_code: string | null;
  dept_code: string | null;
  project_code: string | null;
  exp_func_code: string | null;
  gov_eco_code: string | null;
  dep_eco_code: string | null;
  fund_type_code: string;
  source_type_code: string | null;
  indicator_type_code: string | null;
  doc_no: string | null;
  sup_doc_no: string | null;
  direct_reach: boolean;
  origin_indicator_id: string | null;
  origin_kind: string;
  created_by_doc: string;
  created_at: Generated<Timestamp>;
}

export interface IndicatorDocumentTable {
  region_code: string;
  fiscal_year: number;
  doc_id: string;
  doc_type: string;
  doc_no: string;
  title: string;
  summary: string | null;
  body: Json;
  amount_fen: bigint;
  state: 'draft' | 'submitted' | 'approved' | 'returned' | 'voided';
  step: number;
  route: Json;
  prepared_by: string;
  submitted_by: string | null;
  effect: Json | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DocumentActionTable {
  region_code: string;
  fiscal_year: number;
  doc_id: string;
  seq: number;
  action: string;
  step: number | null;
  actor: string;
  opinion: string | null;
  at: Timestamp;
}

export interface RouteTable {
  region_code: string;
  doc_type: string;
  steps: Json;
  version: number;
  updated_by: string;
  updated_at: Timestamp;
}

export interface TransferOutTable {
  region_code: string;
  message_id: string;
  fiscal_year: number;
  to_region: string;
  kind: string;
  doc_id: string;
  doc_no: string;
  amount_fen: bigint;
  source_indicator_id: string;
  entry_id: bigint | null;
  offset_by: Generated<string | null>;
  message: Json;
  state: 'pending' | 'delivered' | 'returned';
  attempts: Generated<number>;
  last_error: string | null;
  created_at: Timestamp;
  delivered_at: Timestamp | null;
}

export interface TransferInTable {
  region_code: string;
  message_id: string;
  fiscal_year: number;
  from_region: string;
  kind: string;
  doc_no: string;
  amount_fen: bigint;
  indicator_id: string;
  message: Json;
  state: 'received' | 'acknowledged' | 'returned';
  acted_by: string | null;
  reason: string | null;
  received_at: Timestamp;
  return_delivered_at: Timestamp | null;
  offset_by: Generated<string | null>;
}

export interface YearendPolicyTable {
  region_code: string;
  policy: Json;
  version: number;
  updated_by: string;
  updated_at: Timestamp;
}

export interface YearendRunTable {
  region_code: string;
  run_id: string;
  fiscal_year: number;
  state: 'running' | 'completed' | 'reversing' | 'reversed';
  policy: Json;
  chunk_size: number;
  planned: Json;
  planned_count: bigint;
  cursor_account: string | null;
  cursor_key: bigint | null;
  next_chunk: Generated<number>;
  processed: Generated<bigint>;
  carried_fen: Generated<bigint>;
  lapsed_fen: Generated<bigint>;
  carried_count: Generated<bigint>;
  lapsed_count: Generated<bigint>;
  reverse_next: Generated<number>;
  agencies_copied: Generated<number>;
  started_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  finished_at: Timestamp | null;
  reversed_at: Timestamp | null;
}

export interface YearendChunkTable {
  region_code: string;
  run_id: string;
  chunk_no: number;
  items: number;
  carried_fen: bigint;
  lapsed_fen: bigint;
  entry_years: number[];
  entry_ids: bigint[];
  reversed: Generated<boolean>;
}

export interface ConfigTokenTable {
  region_code: string;
  token: string;
}

export interface DB extends PaymentTables, MonitorTables, ClearingTables, ReconcileTables {
  'platform.command_log': CommandLogTable;
  'platform.audit_record': AuditRecordTable;
  'platform.audit_chain': AuditChainTable;
  'platform.outbox': OutboxTable;
  'platform.config_token': ConfigTokenTable;
  'auth.role': RoleTable;
  'auth.app_user': AppUserTable;
  'auth.user_role': UserRoleTable;
  'auth.session': SessionTable;
  'basedata.region': RegionTable;
  'basedata.fiscal_year': FiscalYearTable;
  'basedata.agency': AgencyTable;
  'basedata.code_item': CodeItemTable;
  'basedata.economic_mapping': EconomicMappingTable;
  'basedata.agent_bank': AgentBankTable;
  'basedata.bank_account': BankAccountTable;
  'basedata.payee': PayeeTable;
  'ledger.account': LedgerAccountTable;
  'ledger.element_key': ElementKeyTable;
  'ledger.entry': EntryTable;
  'ledger.line': LineTable;
  'ledger.balance': BalanceTable;
  'ledger.balance_month': BalanceMonthTable;
  'ledger.control_rule': ControlRuleTable;
  'ledger.setting': LedgerSettingTable;
  'ledger.receipt': ReceiptTable;
  'indicators.indicator': IndicatorTable;
  'yearend.policy': YearendPolicyTable;
  'yearend.run': YearendRunTable;
  'yearend.chunk': YearendChunkTable;
  'indicators.document': IndicatorDocumentTable;
  'indicators.document_action': DocumentActionTable;
  'indicators.route': RouteTable;
  'indicators.transfer_out': TransferOutTable;
  'indicators.transfer_in': TransferInTable;
}
