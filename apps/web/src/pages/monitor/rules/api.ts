import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { sendCommand } from '../../../api/commands';
import { useScope } from '../../../scope/scope-context';
import type { BacktestReport, SampleRunResult } from './backtest-types';
import type { RuleDefinition, RuleHistory, RuleRow } from './types';

/** Queries and commands of the 监控规则 pages (reads: GET; writes: POST /commands). */

export function useRules() {
  const { region } = useScope();
  return useQuery({
    queryKey: ['monitor-rules', region],
    queryFn: ({ signal }) => api.get<{ rows: RuleRow[] }>('/monitor/rules', { region }, signal),
  });
}

/** Every version of one rule, newest first; `null` code (a new rule) reads nothing. */
export function useRuleHistory(code: string | null) {
  const { region } = useScope();
  return useQuery({
    queryKey: ['monitor-rule', region, code],
    queryFn: ({ signal }) =>
      api.get<RuleHistory>(`/monitor/rules/${encodeURIComponent(code ?? '')}`, { region }, signal),
    enabled: code !== null,
    meta: { silent: true },
  });
}

/**
 * Run one 监控规则 command (`monitorRule.save`, `monitorRule.install`) in the current region and
 * year. A refusal rejects with the ApiError of the command result (code, zh-CN message, issues).
 */
export function useRuleCommand<R = Record<string, unknown>>() {
  const { region, year } = useScope();
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ type, payload }: { type: string; payload: unknown }) =>
      sendCommand<R>(region, year, type, payload),
    onSuccess: () => {
      for (const key of ['monitor-rules', 'monitor-rule']) client.invalidateQueries({ queryKey: [key] });
    },
    meta: { silent: true },
  });
}

/** 试运行: the rule (draft) on a few applications, judged as live monitoring would. Writes nothing. */
export function useTestRun() {
  const { region, year } = useScope();
  return useMutation({
    mutationFn: async ({ rule, applicationIds }: { rule: RuleDefinition; applicationIds: string[] }) => {
      const r = await api.post<SampleRunResult[] | { rows?: SampleRunResult[]; results?: SampleRunResult[] }>(
        '/monitor/rules/test',
        { region, year, rule, applicationIds },
      );
      return Array.isArray(r) ? r : (r.rows ?? r.results ?? []);
    },
    meta: { silent: true },
  });
}

/** 回测: the rule replayed over the applications submitted in [from, to]. Writes nothing. */
export function useBacktest() {
  const { region, year } = useScope();
  return useMutation({
    mutationFn: ({ rule, from, to }: { rule: RuleDefinition; from: string; to: string }) =>
      api.post<BacktestReport>('/monitor/backtest', { region, year, rule, from, to }),
    meta: { silent: true },
  });
}
