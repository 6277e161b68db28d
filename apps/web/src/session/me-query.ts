import { useQuery } from '@tanstack/react-query';
import { ApiError, api } from '../api/client';
import type { Me } from '../api/types';

export const meKey = ['me'] as const;

/** The signed-in user, or null when the session is missing or expired. */
export async function fetchMe(): Promise<Me | null> {
  try {
    return await api.get<Me>('/sessions/current');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export function useMeQuery() {
  return useQuery({ queryKey: meKey, queryFn: fetchMe, staleTime: Number.POSITIVE_INFINITY, retry: false });
}
