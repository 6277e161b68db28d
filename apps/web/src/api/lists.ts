import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { ListMeta } from './types';

/** The server's catalogue of base-data lists; it drives the 基础信息 menu and the list page. */
export function useLists(enabled = true) {
  return useQuery({
    queryKey: ['lists'],
    queryFn: () => api.get<ListMeta[]>('/lists'),
    staleTime: Number.POSITIVE_INFINITY,
    enabled,
    meta: { silent: true },
  });
}
