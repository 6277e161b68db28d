import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, type Query } from '../../api/client';
import type { ListMeta, Page, Row } from '../../api/types';

/** What the user asked for: the keyword and the column filters. */
export interface ListCriteria {
  q: string;
  filters: Record<string, string>;
}

export const emptyCriteria: ListCriteria = { q: '', filters: {} };

/** The query string shared by the list, its export and its import. */
export function criteriaQuery(region: string, year: number, c: ListCriteria): Query {
  return { region, year, q: c.q, ...c.filters };
}

export function useListPage(meta: ListMeta, scope: Query, page: number, pageSize: number) {
  return useQuery({
    queryKey: ['list', meta.key, scope, page, pageSize],
    queryFn: ({ signal }) => api.get<Page<Row>>(`/${meta.key}`, { ...scope, page, pageSize }, signal),
    placeholderData: keepPreviousData,
  });
}
