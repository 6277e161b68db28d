import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { useScope } from '../../../scope/scope-context';
import type { DirectReachReport, FundPayments } from './types';

/** 直达资金跟踪表 of the current region and year; with `subRegions`, every region below too. */
export function useDirectReach(subRegions: boolean) {
  const { region, year } = useScope();
  return useQuery({
    queryKey: ['direct-reach', region, year, subRegions],
    queryFn: ({ signal }) =>
      api.get<DirectReachReport>(
        '/monitor/direct-reach',
        { region, year, ...(subRegions ? { subRegions: 'true' } : {}) },
        signal,
      ),
    meta: { silent: true },
  });
}

/** The paid payments of one fund in the region its row is for (a sub-region's row reads there). */
export function useFundPayments(region: string, fundKey: string, page: number, pageSize: number) {
  const { year } = useScope();
  return useQuery({
    queryKey: ['direct-reach-payments', region, year, fundKey, page, pageSize],
    queryFn: ({ signal }) =>
      api.get<FundPayments>(
        `/monitor/direct-reach/${encodeURIComponent(fundKey)}/payments`,
        { region, year, page, pageSize },
        signal,
      ),
    placeholderData: keepPreviousData,
    meta: { silent: true },
  });
}
