/** Wire shapes of GET /monitor/direct-reach and /monitor/direct-reach/:fundKey/payments (yuan strings). */

export interface Figures {
  received: string;
  allocated: string;
  issued: string;
  unallocated: string;
  paid: string;
  payments: number;
  beneficiaries: number;
  beneficiaryAmount: string;
}

export interface Fund extends Figures {
  fundKey: string;
  region: string;
  regionName: string;
  docNo: string | null;
  supDocNo: string | null;
  title: string | null;
  originKind: string;
  pool: 'executable' | 'unallocated';
  agencyCode: string | null;
  fundTypeCode: string;
  fundTypeName: string | null;
  expFuncCode: string | null;
  expFuncName: string | null;
  projectCode: string | null;
  trackProjectCode: string | null;
  indicators: number;
  upper: { region: string; docNo: string; indicatorId: string | null; fundKey: string | null } | null;
}

export interface DirectReachReport {
  region: string;
  year: number;
  subRegions: boolean;
  funds: Fund[];
  totals: Figures & { funds: number };
}

export interface Beneficiary {
  kind: 'person' | 'enterprise';
  name: string;
  idNo: string;
  amount: string;
  payMonth: string | null;
  townCode: string | null;
  villageCode: string | null;
}

export interface FundPayment {
  applicationId: string;
  indicatorId: string;
  agencyCode: string | null;
  agencyName: string | null;
  payType: string;
  amount: string;
  purpose: string;
  payeeName: string | null;
  payeeAccountNo: string | null;
  paidOn: string | null;
  vtCode: string | null;
  voucherNo: string | null;
  beneficiaries: Beneficiary[];
}

export interface FundPayments {
  region: string;
  year: number;
  fundKey: string;
  total: number;
  page: number;
  pageSize: number;
  paid: string;
  items: FundPayment[];
}
