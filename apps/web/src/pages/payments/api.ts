import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { sendCommand } from '../../api/commands';
import { useScope } from '../../scope/scope-context';
import type { PaymentDetail, PaymentPage, PaymentVoucher } from './types';

/** Queries and the command runner of the 支付管理 pages (reads: GET; writes: POST /commands). */

export function usePayments(state: string | undefined, page: number, pageSize: number) {
  const { region, year } = useScope();
  return useQuery({
    queryKey: ['payments', region, year, state ?? '', page, pageSize],
    queryFn: ({ signal }) =>
      api.get<PaymentPage>('/payments', { region, year, state, page, pageSize }, signal),
    placeholderData: keepPreviousData,
  });
}

export function usePayment(id: string) {
  const { region, year } = useScope();
  return useQuery({
    queryKey: ['payment', region, year, id],
    queryFn: ({ signal }) =>
      api.get<PaymentDetail>(`/payments/${encodeURIComponent(id)}`, { region, year }, signal),
    meta: { silent: true },
  });
}

export function useVoucher(id: string, enabled: boolean) {
  const { region, year } = useScope();
  return useQuery({
    queryKey: ['payment-voucher', region, year, id],
    queryFn: ({ signal }) =>
      api.get<PaymentVoucher>(`/payments/${encodeURIComponent(id)}/voucher`, { region, year }, signal),
    enabled,
    meta: { silent: true },
  });
}

/**
 * Run one payment command in the current region and year. A refusal rejects with the ApiError
 * of the command result; pages show its `message['zh-CN']` in an Alert.
 */
export function usePaymentCommand<R = Record<string, unknown>>() {
  const { region, year } = useScope();
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ type, payload }: { type: string; payload: unknown }) =>
      sendCommand<R>(region, year, type, payload),
    onSuccess: () => {
      for (const key of [
        'payments',
        'payment',
        'payment-voucher',
        'indicators',
        'indicator-options',
        'monitor-warnings',
        'monitor-warning',
        'monitor-stats',
      ])
        client.invalidateQueries({ queryKey: [key] });
    },
    meta: { silent: true },
  });
}
