import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { Page, Row } from '../api/types';

function yearOf(row: Row): number | null {
  for (const k of ['year', 'fiscalYear']) {
    const v = Number(row[k]);
    if (Number.isInteger(v) && v > 1900) return v;
  }
  return null;
}

/** Fiscal years of the region (from the 预算年度 list when readable), always with the default year. */
export function useYearOptions(region: string, defaultYear: number, canRead: boolean): number[] {
  const { data } = useQuery({
    queryKey: ['fiscal-year-options', region, defaultYear],
    queryFn: () => api.get<Page<Row>>('/fiscal-years', { region, year: defaultYear, page: 1, pageSize: 100 }),
    enabled: canRead,
    staleTime: 60_000,
    meta: { silent: true },
  });
  const years = new Set<number>([defaultYear]);
  for (const row of data?.items ?? []) {
    const y = yearOf(row);
    if (y !== null) years.add(y);
  }
  if (years.size === 1) {
    years.add(defaultYear - 1);
    years.add(defaultYear + 1);
  }
  return [...years].sort((a, b) => b - a);
}
