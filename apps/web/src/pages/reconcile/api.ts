import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../../api/client';
import { sendCommand } from '../../api/commands';
import type { CommandResult } from '../../api/types';
import { useScope } from '../../scope/scope-context';
import type { DifferenceDetail, DifferencePage, RunDetail, RunItem } from './types';

/** Queries and commands of the 对账 screens (reads: GET /reconcile/…; writes: commands). */

export function useRuns(date: string) {
  const { region } = useScope();
  return useQuery({
    queryKey: ['reconcile-runs', region, date],
    queryFn: ({ signal }) => api.get<{ rows: RunItem[] }>('/reconcile/runs', { region, date }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useRun(runId: string | null | undefined) {
  const { region } = useScope();
  return useQuery({
    queryKey: ['reconcile-run', region, runId],
    queryFn: ({ signal }) =>
      api.get<RunDetail>(`/reconcile/runs/${encodeURIComponent(runId ?? '')}`, { region }, signal),
    enabled: !!runId,
  });
}

export interface DifferenceFilter {
  runId?: string | undefined;
  layer?: string | undefined;
  pair?: string | undefined;
  state?: string | undefined;
  kind?: string | undefined;
}

export function useDifferences(filter: DifferenceFilter, page: number, pageSize: number) {
  const { region } = useScope();
  return useQuery({
    queryKey: ['reconcile-differences', region, filter, page, pageSize],
    queryFn: ({ signal }) =>
      api.get<DifferencePage>('/reconcile/differences', { region, ...filter, page, pageSize }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useDifference(id: string) {
  const { region } = useScope();
  return useQuery({
    queryKey: ['reconcile-difference', region, id],
    queryFn: ({ signal }) =>
      api.get<DifferenceDetail>(`/reconcile/differences/${encodeURIComponent(id)}`, { region }, signal),
    meta: { silent: true },
  });
}

function useInvalidateReconcile() {
  const client = useQueryClient();
  return () => {
    for (const key of ['reconcile-runs', 'reconcile-run', 'reconcile-differences', 'reconcile-difference'])
      client.invalidateQueries({ queryKey: [key] });
  };
}

export interface RunResult {
  runId: string;
  date: string;
  differences: number;
  carried: number;
  supersedes: string | null;
}

/**
 * 执行对账: POST /reconcile/runs runs reconcile.run as the signed-in user, in the fiscal year of
 * the date and on today's business date (Beijing time). A refusal rejects with its ApiError.
 */
export function useRunReconcile() {
  const { region } = useScope();
  const invalidate = useInvalidateReconcile();
  return useMutation({
    mutationFn: async (date: string) => {
      const r = await api.post<CommandResult>('/reconcile/runs', { region, date });
      if (r.status === 'rejected' && r.error) throw new ApiError(409, r.error);
      return r.result as unknown as RunResult;
    },
    onSuccess: invalidate,
    meta: { silent: true },
  });
}

/** One reconcileDiff.* command in the current region and year. */
export function useReconcileCommand() {
  const { region, year } = useScope();
  const invalidate = useInvalidateReconcile();
  return useMutation({
    mutationFn: ({ type, payload }: { type: string; payload: unknown }) =>
      sendCommand<Record<string, unknown>>(region, year, type, payload),
    onSuccess: invalidate,
    meta: { silent: true },
  });
}
