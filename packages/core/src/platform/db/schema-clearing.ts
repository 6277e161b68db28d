import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json = ColumnType<unknown, string, string>;
type DateCol = ColumnType<string, string, string>;

export interface ClearingPolicyTable {
  region_code: string;
  cross_year_refund: 'restoreToCarriedIndicator' | 'toRevenue' | 'refuse';
  version: number;
  updated_by: string;
  updated_at: Timestamp;
}

/** 5108 / 5106 清算额度通知单 of one pay date, agent bank and sequence number. */
export interface QuotaNoticeTable {
  region_code: string;
  fiscal_year: number;
  vt_code: '5106' | '5108';
  voucher_no: string;
  pay_date: DateCol;
  bank_code: string;
  pay_type_code: string;
  seq: number;
  amount_fen: bigint;
  line_count: number;
  envelope: string;
  state: Generated<'unsent' | 'sent' | 'receipted'>;
  receipts: ColumnType<unknown, string | undefined, string>;
  issued_by: string;
  command_id: string;
  created_at: Timestamp;
  sent_at: NullableTimestamp;
  receipted_at: NullableTimestamp;
}

export interface QuotaLineTable {
  region_code: string;
  fiscal_year: number;
  vt_code: string;
  voucher_no: string;
  line_no: number;
  kind: 'payment' | 'refund' | 'correction';
  source_year: number;
  source_vt_code: string;
  source_no: string;
  pay_voucher_no: string;
  ori_vt_code: string;
  amount_fen: bigint;
  coding: Json;
}

export interface CorrectionTable {
  region_code: string;
  fiscal_year: number;
  correction_id: string;
  application_id: string;
  ori_vt_code: string;
  ori_voucher_no: string;
  amount_fen: bigint;
  from_indicator_id: string;
  to_indicator_id: string;
  from_coding: Json;
  to_coding: Json;
  reason: string;
  state: 'prepared' | 'approved';
  prepared_by: string;
  prepared_on: DateCol;
  approved_by: string | null;
  approved_on: DateCol | null;
  opinion: string | null;
  entry_id: bigint | null;
  vt_code: '5253' | '5351' | null;
  voucher_no: string | null;
  envelope: string | null;
  send_state: 'unsent' | 'sent' | 'receipted' | null;
  receipts: ColumnType<unknown, string | undefined, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DeliveryTable {
  region_code: string;
  fiscal_year: number;
  vt_code: string;
  voucher_no: string;
  destination: 'pboc' | 'bank';
  status: Generated<'pending' | 'received' | 'receiveFailed'>;
  attempt: Generated<number>;
  next_send_at: NullableTimestamp;
  sent_at: NullableTimestamp;
  last_error: string | null;
  created_at: Timestamp;
}

export interface ClearingTables {
  'clearing.policy': ClearingPolicyTable;
  'clearing.quota_notice': QuotaNoticeTable;
  'clearing.quota_line': QuotaLineTable;
  'clearing.correction': CorrectionTable;
  'clearing.delivery': DeliveryTable;
}
