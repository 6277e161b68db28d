import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useScope } from '../../scope/scope-context';

export interface YearendTotals {
  count: number;
  amount: string;
}

export interface YearendPreview {
  region: string;
  year: number;
  nextYearOpen: boolean;
  unfinishedRun: string | null;
  carry: YearendTotals;
  lapse: YearendTotals;
  byFundType: { fundTypeCode: string; pool: string; action: string; count: number; amount: string }[];
}

export interface YearendRun {
  runId: string;
  state: string;
  processed: number;
  plannedCount: number;
  progress: number;
  carried: YearendTotals;
  lapsed: YearendTotals;
  agenciesCopied: number;
}

export interface YearendRuns {
  driving: { running: boolean; error: string | null };
  runs: YearendRun[];
}

/** 年终结转 preview: what a run would carry and lapse now (nothing is posted). */
export function useYearendPreview() {
  const { region, year } = useScope();
  return useQuery({
    queryKey: ['yearend-preview', region, year],
    queryFn: ({ signal }) => api.get<YearendPreview>('/yearend/preview', { region, year }, signal),
  });
}

/** Runs with progress; polled while the server drives one. */
export function useYearendRuns() {
  const { region, year } = useScope();
  return useQuery({
    queryKey: ['yearend-runs', region, year],
    queryFn: ({ signal }) => api.get<YearendRuns>('/yearend/runs', { region, year }, signal),
    refetchInterval: (q) => (q.state.data?.driving.running ? 1_000 : false),
  });
}

/** Start (or resume) a run, or reverse one: the server drives the chunks. */
export function useYearendActions() {
  const { region, year } = useScope();
  const qc = useQueryClient();
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['yearend-runs'] });
    void qc.invalidateQueries({ queryKey: ['yearend-preview'] });
  };
  const start = useMutation({
    mutationFn: () => api.post('/yearend/runs', undefined, { region, year }),
    onSettled: refresh,
  });
  const reverse = useMutation({
    mutationFn: (runId: string) =>
      api.post(`/yearend/runs/${encodeURIComponent(runId)}/reversal`, undefined, { region, year }),
    onSettled: refresh,
  });
  return { start, reverse };
}
