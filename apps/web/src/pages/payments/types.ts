/** Wire types of GET /api/v1/payments …; amounts are yuan strings. */

export type PayeeRef =
  | { payeeCode: string; name?: string }
  | { name: string; accountNo: string; accountName?: string; bankName: string; bankNo: string };

export interface PaymentItem {
  applicationId: string;
  payType: string;
  agencyCode: string | null;
  indicatorId: string;
  amount: string;
  purpose: string;
  payee: PayeeRef | Record<string, unknown> | null;
  state: string;
  /** 凭证库状态 of its voucher (0 未接收 … 6 被退回); null before the voucher is signed. */
  libraryStatus: number | null;
  preparedBy: string;
  updatedAt: string;
}

export interface PaymentPage {
  items: PaymentItem[];
  total: number;
  page: number;
  pageSize: number;
}

export interface PaymentAction {
  seq: number | string;
  action: string;
  actor: string;
  opinion: string | null;
  at: string;
}

export interface PaymentDetail extends PaymentItem {
  settlementMode: string;
  payeeAccountKind: string;
  contractNo: string | null;
  submittedBy: string | null;
  cosignedBy: string | null;
  unitApprovedBy: string | null;
  reviewedBy: string | null;
  actions: PaymentAction[];
  ledger: { entryId: string; scenario: string; date: string; amount: string; command: string }[];
}

export interface PaymentVoucher {
  applicationId: string;
  vtCode: string;
  voucherNo: string;
  libraryStatus: number | string;
  signedBy: string;
  keyId: string;
  createdAt: string;
  envelope: string;
}
