import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json = ColumnType<unknown, string, string>;
type DateCol = ColumnType<string, string, string>;
type Fen = ColumnType<bigint, bigint | string | number, bigint | string | number>;

export type ReportSender = 'bank' | 'pboc';

export interface ReportTable {
  report_id: Generated<bigint>;
  region_code: string;
  fiscal_year: number;
  sender: ReportSender;
  sender_code: string;
  key_id: string;
  vt_code: string;
  voucher_no: string;
  report_date: DateCol;
  amount_fen: Fen | null;
  pos_amt_fen: Fen | null;
  neg_amt_fen: Fen | null;
  fund_type_code: string | null;
  pay_type_code: string | null;
  pay_bank_code: string | null;
  e_voucher_type: string | null;
  acct_no: string | null;
  acct_name: string | null;
  acct_kind: string | null;
  open_fen: Fen | null;
  debit_fen: Fen | null;
  credit_fen: Fen | null;
  close_fen: Fen | null;
  line_count: number;
  header: Json;
  content_sha: string;
  received_at: Timestamp;
  /** 3504: finance's check (0 相符 / 1 不符) and why not. */
  check_result: Generated<string | null>;
  check_reason: Generated<string | null>;
}

export interface ReportLineTable {
  report_id: bigint;
  line_no: number;
  region_code: string;
  report_date: DateCol;
  vt_code: string;
  voucher_no: string | null;
  ori_vt_code: string | null;
  sup_dep_code: string | null;
  agency_code: string | null;
  exp_func_code: string | null;
  fund_type_code: string | null;
  pay_type_code: string | null;
  pay_bank_code: string | null;
  amount_fen: Fen;
  pro_state: number | null;
  /** reconcile.coding of a 2206 line (null on other reports). */
  coding_id: number | null;
}

export interface CodingTable {
  region_code: string;
  coding_id: Generated<number>;
  coding: string;
}

export interface RejectedMessageTable {
  rejected_id: Generated<bigint>;
  region_code: string;
  fiscal_year: number;
  sender: ReportSender;
  key_id: string | null;
  vt_code: string;
  voucher_no: string;
  message_date: DateCol;
  reason: string;
  received_at: Timestamp;
}

export interface ReconcileRunTable {
  run_id: string;
  region_code: string;
  fiscal_year: number;
  run_date: DateCol;
  parties: string[];
  state: 'current' | 'superseded';
  supersedes: string | null;
  superseded_by: string | null;
  difference_count: number;
  quota_checked: boolean;
  run_by: string;
  command_id: string;
  ran_at: Timestamp;
  duration_ms: number;
}

export interface RunPairTable {
  run_id: string;
  layer: 'L1' | 'L2' | 'L3';
  pair: string;
  count_a: number;
  count_b: number;
  matched_count: number;
  matched_fen: Fen;
  difference_count: number;
}

export interface DifferenceTable {
  difference_id: string;
  run_id: string;
  region_code: string;
  fiscal_year: number;
  run_date: DateCol;
  layer: 'L1' | 'L2' | 'L3';
  pair: string;
  pairs: string[];
  kind: 'missing' | 'duplicated' | 'amount' | 'element' | 'signature' | 'identity';
  party: 'finance' | 'bank' | 'pboc';
  item_key: string;
  vt_code: string | null;
  voucher_no: string | null;
  expected_fen: Fen | null;
  actual_fen: Fen | null;
  detail_zh: string;
  detail_en: string;
  fingerprint: string;
  state: 'open' | 'assigned' | 'explained' | 'resolved';
  assignee: string | null;
  assigned_by: string | null;
  explanation: string | null;
  explained_by: string | null;
  resolution: string | null;
  note: string | null;
  resolved_by: string | null;
  carried_from: string | null;
  updated_at: Timestamp;
}

export interface DifferenceEventTable {
  difference_id: string;
  seq: number;
  action: string;
  actor: string;
  from_state: string;
  to_state: string;
  text: string | null;
  on_date: DateCol;
  at: Timestamp;
}

export interface ReconcileTables {
  'reconcile.report': ReportTable;
  'reconcile.report_line': ReportLineTable;
  'reconcile.coding': CodingTable;
  'reconcile.rejected_message': RejectedMessageTable;
  'reconcile.run': ReconcileRunTable;
  'reconcile.run_pair': RunPairTable;
  'reconcile.difference': DifferenceTable;
  'reconcile.difference_event': DifferenceEventTable;
}
