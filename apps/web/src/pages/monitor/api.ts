import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { sendCommand } from '../../api/commands';
import { useScope } from '../../scope/scope-context';
import type { MonitorStats, RuleItem, WarningDetail, WarningPage } from './types';

/** Queries and the command runner of the 动态监控 pages (reads: GET; writes: POST /commands). */

export interface WarningFilter {
  status?: string | undefined;
  state?: 'open' | 'closed' | undefined;
  level?: string | undefined;
  ruleCode?: string | undefined;
  agencyCode?: string | undefined;
  applicationId?: string | undefined;
}

export function useWarnings(filter: WarningFilter, page = 1, pageSize = 20, enabled = true) {
  const { region, year } = useScope();
  return useQuery({
    queryKey: ['monitor-warnings', region, year, filter, page, pageSize],
    queryFn: ({ signal }) =>
      api.get<WarningPage>('/monitor/warnings', { region, year, ...filter, page, pageSize }, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useWarning(id: string) {
  const { region, year } = useScope();
  return useQuery({
    queryKey: ['monitor-warning', region, year, id],
    queryFn: ({ signal }) =>
      api.get<WarningDetail>(`/monitor/warnings/${encodeURIComponent(id)}`, { region, year }, signal),
    meta: { silent: true },
  });
}

export function useMonitorStats() {
  const { region, year } = useScope();
  return useQuery({
    queryKey: ['monitor-stats', region, year],
    queryFn: ({ signal }) => api.get<MonitorStats>('/monitor/stats', { region, year }, signal),
  });
}

export function useMonitorRules() {
  const { region } = useScope();
  return useQuery({
    queryKey: ['monitor-rules', region],
    queryFn: ({ signal }) => api.get<{ rows: RuleItem[] }>('/monitor/rules', { region }, signal),
    staleTime: 60_000,
  });
}

/** Invalidate everything a monitoring command may change. */
export function useInvalidateMonitor() {
  const client = useQueryClient();
  return () => {
    for (const key of ['monitor-warnings', 'monitor-warning', 'monitor-stats', 'payments', 'payment'])
      client.invalidateQueries({ queryKey: [key] });
  };
}

/** Run one monitoring command in the current region and year; a refusal rejects with its ApiError. */
export function useMonitorCommand<R = Record<string, unknown>>() {
  const { region, year } = useScope();
  const invalidate = useInvalidateMonitor();
  return useMutation({
    mutationFn: ({ type, payload }: { type: string; payload: unknown }) =>
      sendCommand<R>(region, year, type, payload),
    onSuccess: invalidate,
    meta: { silent: true },
  });
}
