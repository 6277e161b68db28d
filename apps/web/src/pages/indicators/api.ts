import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { api, type Query } from '../../api/client';
import { refusalText, sendCommand } from '../../api/commands';
import { useScope } from '../../scope/scope-context';
import type { DocumentDetail, DocumentItem, IndicatorDetail, IndicatorPage, LevelReport } from './types';

/** Queries and the command runner of the 指标管理 pages (reads: GET; writes: POST /commands). */

export function useIndicators(query: Query, page: number, pageSize: number) {
  return useQuery({
    queryKey: ['indicators', query, page, pageSize],
    queryFn: ({ signal }) => api.get<IndicatorPage>('/indicators', { ...query, page, pageSize }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useIndicator(id: string) {
  const { region, year } = useScope();
  return useQuery({
    queryKey: ['indicator', region, year, id],
    queryFn: ({ signal }) =>
      api.get<IndicatorDetail>(`/indicators/${encodeURIComponent(id)}`, { region, year }, signal),
    meta: { silent: true },
  });
}

export function useDocuments(query: Query, page: number, pageSize: number) {
  return useQuery({
    queryKey: ['indicator-docs', query, page, pageSize],
    queryFn: ({ signal }) =>
      api.get<{ items: DocumentItem[]; total: number }>(
        '/indicator-docs',
        { ...query, page, pageSize },
        signal,
      ),
    placeholderData: keepPreviousData,
  });
}

export function useDocument(docId: string | null) {
  const { region, year } = useScope();
  return useQuery({
    queryKey: ['indicator-doc', region, year, docId],
    queryFn: ({ signal }) =>
      api.get<DocumentDetail>(`/indicator-docs/${encodeURIComponent(docId ?? '')}`, { region, year }, signal),
    enabled: docId !== null,
    meta: { silent: true },
  });
}

export function useInbox(enabled = true) {
  const { region, year } = useScope();
  return useQuery({
    queryKey: ['indicator-inbox', region, year],
    queryFn: ({ signal }) =>
      api.get<{ items: DocumentItem[]; total: number }>('/indicator-docs/inbox', { region, year }, signal),
    enabled,
    // Others submit while the approver looks: the inbox keeps itself current.
    refetchInterval: 30_000,
  });
}

export function useLevels() {
  const { region, year } = useScope();
  return useQuery({
    queryKey: ['levels', region, year],
    queryFn: ({ signal }) => api.get<LevelReport>('/reconciliations/levels', { region, year }, signal),
  });
}

export { refusalText } from '../../api/commands';

/**
 * Run one command in the current region and year. A refusal rejects with the ApiError built from
 * the command result (its `error`), so callers show `error.message['zh-CN']`.
 */
export function useCommand<R = Record<string, unknown>>() {
  const { region, year } = useScope();
  const client = useQueryClient();
  const { message } = App.useApp();
  return useMutation({
    mutationFn: ({ type, payload }: { type: string; payload: unknown }) =>
      sendCommand<R>(region, year, type, payload),
    onSuccess: () => {
      for (const key of [
        'indicators',
        'indicator',
        'indicator-options',
        'indicator-docs',
        'indicator-doc',
        'indicator-inbox',
      ])
        client.invalidateQueries({ queryKey: [key] });
    },
    onError: (e) => message.error(refusalText(e)),
    // The page shows the refusal next to the form too; the global toast would say it twice.
    meta: { silent: true },
  });
}
