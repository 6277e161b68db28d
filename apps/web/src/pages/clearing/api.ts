import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { sendCommand } from '../../api/commands';
import { useScope } from '../../scope/scope-context';

/** Wire types and queries of GET /api/v1/clearing/… and /payments/:id/corrections (yuan strings). */

export interface QuotaLine {
  lineNo: number;
  kind: 'payment' | 'refund' | 'correction';
  payVoucherNo: string;
  oriVtCode: string;
  sourceVtCode: string;
  sourceNo: string;
  amount: string;
  coding: {
    agencyCode: string | null;
    agencyName: string | null;
    expFuncCode: string | null;
    expFuncName: string | null;
    fundTypeCode: string | null;
    payBankCode: string;
    payBankName: string | null;
    [k: string]: unknown;
  };
}

export interface QuotaNotice {
  vtCode: '5106' | '5108' | string;
  voucherNo: string;
  payDate: string;
  bankCode: string;
  payTypeCode: string;
  seq: number;
  amount: string;
  state: 'unsent' | 'sent' | 'receipted' | string;
  receipts: Record<string, { checkResult?: string | null; addWord?: string | null; at?: string } | undefined>;
  lines: QuotaLine[];
}

export interface QuotaBalance {
  bankCode: string;
  payTypeCode: string;
  vtCode: string;
  notices: number;
  issued: string;
  cleared: string | null;
  balance: string | null;
}

export interface Correction {
  correctionId: string;
  state: 'prepared' | 'approved' | string;
  from: string;
  to: string;
  amount: string;
  vtCode: string | null;
  voucherNo: string | null;
  sendState: string | null;
  preparedBy: string;
  approvedBy: string | null;
  entryId: string | null;
}

const yearOf = (date: string) => Number(date.slice(0, 4));

export function useQuotaNotices(date: string) {
  const { region } = useScope();
  const year = yearOf(date);
  return useQuery({
    queryKey: ['clearing-quotas', region, year, date],
    queryFn: ({ signal }) =>
      api.get<{ rows: QuotaNotice[] }>('/clearing/quotas', { region, year, date }, signal),
  });
}

export function useQuotaBalances(year: number) {
  const { region } = useScope();
  return useQuery({
    queryKey: ['clearing-balances', region, year],
    queryFn: ({ signal }) =>
      api.get<{ rows: QuotaBalance[] }>('/clearing/balances', { region, year }, signal),
  });
}

export function useCorrections(applicationId: string, enabled: boolean) {
  const { region, year } = useScope();
  return useQuery({
    queryKey: ['payment-corrections', region, year, applicationId],
    queryFn: ({ signal }) =>
      api.get<{ rows: Correction[] }>(
        `/payments/${encodeURIComponent(applicationId)}/corrections`,
        { region, year },
        signal,
      ),
    enabled,
    meta: { silent: true },
  });
}

/** 生成清算额度通知单 for a pay date, in the fiscal year of that date. */
export function useIssueQuotas() {
  const { region } = useScope();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (date: string) =>
      sendCommand<{
        date: string;
        notices: { vtCode: string; voucherNo: string; lines: number; amount: string }[];
      }>(region, yearOf(date), 'clearing.issueQuotas', { date }),
    onSuccess: () => {
      for (const key of ['clearing-quotas', 'clearing-balances'])
        client.invalidateQueries({ queryKey: [key] });
    },
    meta: { silent: true },
  });
}

export const quotaVtNames: Record<string, string> = {
  '5108': '5108 直接支付清算额度通知单',
  '5106': '5106 授权支付清算额度通知单',
};

export const payTypeCodeNames: Record<string, string> = {
  '11': '直接支付',
  '12': '授权支付',
};

export const noticeStateNames: Record<string, { text: string; color: string }> = {
  unsent: { text: '未发送', color: 'default' },
  sent: { text: '已发送', color: 'processing' },
  receipted: { text: '已回单', color: 'success' },
};

export const lineKindNames: Record<string, { text: string; color: string }> = {
  payment: { text: '支付', color: 'blue' },
  refund: { text: '退款', color: 'magenta' },
  correction: { text: '更正', color: 'purple' },
};

export const correctionStateNames: Record<string, { text: string; color: string }> = {
  prepared: { text: '待审批', color: 'processing' },
  approved: { text: '已审批', color: 'success' },
};
