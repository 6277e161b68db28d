import type { PaymentState } from '@fiscus/contracts';
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string, string>;
/** A date column: read as YYYY-MM-DD text (the pool's date parser leaves dates as text). */
type DateCol = ColumnType<string, string, string>;

export interface PaymentApplicationTable {
  region_code: string;
  fiscal_year: number;
  application_id: string;
  pay_type: 'direct' | 'authorized' | 'allocation';
  indicator_id: string;
  agency_code: string | null;
  amount_fen: bigint;
  purpose: string;
  settlement_mode: string;
  payee: Json;
  payee_account_kind: 'payroll' | 'other';
  contract_no: string | null;
  beneficiaries: Json;
  state: PaymentState;
  paid_entry_id: Generated<bigint | null>;
  refund_entry_id: Generated<bigint | null>;
  prepared_by: string;
  submitted_by: string | null;
  cosigned_by: string | null;
  unit_approved_by: string | null;
  reviewed_by: string | null;
  reserve_entry_id: bigint | null;
  release_entry_id: bigint | null;
  held_action: Generated<'submit' | 'approve' | null>;
  held_by: Generated<string | null>;
  submitted_on: Generated<DateCol | null>;
  dep_eco_code: Generated<string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PaymentActionTable {
  region_code: string;
  fiscal_year: number;
  application_id: string;
  seq: number;
  action: string;
  actor: string;
  opinion: string | null;
  at: Timestamp;
}

export interface UsePlanTable {
  region_code: string;
  fiscal_year: number;
  plan_id: string;
  agency_code: string;
  period: string;
  lines: Json;
  amount_fen: bigint;
  state: 'draft' | 'submitted' | 'approved' | 'returned' | 'voided';
  step: Generated<number>;
  route: Json;
  prepared_by: string;
  submitted_by: string | null;
  approved_by: ColumnType<string[], string[] | undefined, string[]>;
  entry_ids: Json | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A signed payment voucher (5201 / 8202 / 5207) as its outer MOF envelope. */
export interface PaymentVoucherTable {
  region_code: string;
  fiscal_year: number;
  vt_code: string;
  voucher_no: string;
  application_id: string;
  amount_fen: bigint;
  /** The <MOF> envelope, UTF-8 XML text. */
  envelope: string;
  signed_by: string;
  key_id: string;
  /** Sender's library status (exchange/library/status.ts): 0 未接收 until it is sent. */
  library_status: Generated<number>;
  created_at: Timestamp;
  x_pay_date: Generated<string | null>;
  x_pay_amt_fen: Generated<bigint | null>;
  x_agent_business_no: Generated<string | null>;
  return_reason: Generated<string | null>;
  answered_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Sends so far (0: never sent); the library status's attempt number. */
  send_attempt: Generated<number>;
  /** Not before this may the sender try again (backoff); null: due now. */
  next_send_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  sent_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** The coding it was signed and paid under (a 更正 does not rewrite it); reconcile/coding.ts. */
  agency_code: Generated<string | null>;
  exp_func_code: Generated<string | null>;
  sup_dep_code: Generated<string | null>;
  fund_type_code: Generated<string | null>;
  pay_type_code: Generated<string | null>;
  coding_id: Generated<number | null>;
  last_send_error: Generated<string | null>;
}

/** 2203 退款通知书: the bounce of a paid voucher, at most one per voucher. */
export interface RefundNoticeTable {
  region_code: string;
  fiscal_year: number;
  ori_vt_code: string;
  ori_voucher_no: string;
  vt_code: string;
  voucher_no: string;
  application_id: string;
  amount_fen: bigint;
  agent_business_no: string;
  pay_date: string;
  reason: string | null;
  /** null: a cross-year refund to revenue posts nothing to the indicators. */
  entry_id: bigint | null;
  received_at: Timestamp;
  /** The year a cross-year refund was booked in (null: the payment's year). */
  booked_year: Generated<number | null>;
  cross_year_policy: Generated<string | null>;
  restored_indicator_id: Generated<string | null>;
}

export interface PaymentTables {
  'payments.use_plan': UsePlanTable;
  'payments.application': PaymentApplicationTable;
  'payments.application_action': PaymentActionTable;
  'payments.voucher': PaymentVoucherTable;
  'payments.refund_notice': RefundNoticeTable;
}
