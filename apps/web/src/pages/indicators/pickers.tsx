import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Select, type SelectProps } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import type { Page, Row } from '../../api/types';
import { formatYuan } from '../../components/format';
import { useScope } from '../../scope/scope-context';
import { useSession } from '../../session/session-context';
import { poolNames } from './labels';
import type { IndicatorItem, IndicatorPage, Pool } from './types';

/**
 * Selects whose options come from the server as the user types (code sets are thousands of rows,
 * indicators more): each keeps Form.Item's value/onChange/id so labels and validation work.
 */

function useDebounced(value: string, ms = 250): string {
  const [v, setV] = useState(value);
  useEffect(() => {
    const h = setTimeout(() => setV(value), ms);
    return () => clearTimeout(h);
  }, [value, ms]);
  return v;
}

type Option = { value: string; label: string };
type Props = Omit<SelectProps, 'options' | 'onSearch' | 'showSearch' | 'filterOption'>;

function RemoteSelect<O extends Option>({
  queryKey,
  load,
  ...props
}: Props & { queryKey: unknown[]; load(q: string, signal: AbortSignal): Promise<O[]> }) {
  const [search, setSearch] = useState('');
  const q = useDebounced(search);
  const r = useQuery({
    queryKey: [...queryKey, q],
    queryFn: ({ signal }) => load(q, signal),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
  return (
    <Select
      showSearch
      allowClear
      filterOption={false}
      onSearch={setSearch}
      options={r.data ?? []}
      loading={r.isFetching}
      placeholder="输入编码或名称搜索"
      popupMatchSelectWidth={false}
      {...props}
    />
  );
}

/** A code of one code set (资金性质, 支出功能分类 …) of the current region and year. */
export function CodeSelect({ set, ...props }: Props & { set: string }) {
  const { region, year } = useScope();
  return (
    <RemoteSelect
      {...props}
      queryKey={['code-options', region, year, set]}
      load={async (q, signal) => {
        const p = await api.get<Page<Row>>('/code-items', { region, year, set, q, pageSize: 50 }, signal);
        return p.items.map((x) => ({ value: String(x.code), label: `${x.code} ${x.name}` }));
      }}
    />
  );
}

export type AgencyOption = Option & { deptCode: string | null };

/** A 预算单位; the option carries its 部门 so forms can fill it in. */
export function AgencySelect(props: Props) {
  const { region, year } = useScope();
  return (
    <RemoteSelect<AgencyOption>
      {...props}
      queryKey={['agency-options', region, year]}
      load={async (q, signal) => {
        const p = await api.get<Page<Row>>('/agencies', { region, year, q, pageSize: 50 }, signal);
        return p.items.map((x) => ({
          value: String(x.code),
          label: `${x.code} ${x.name}`,
          deptCode: x.deptCode ? String(x.deptCode) : null,
        }));
      }}
    />
  );
}

export type IndicatorOption = Option & { item: IndicatorItem };

/** An indicator of the current region and year, optionally of one pool, with what is available. */
export function IndicatorSelect({ pool, ...props }: Props & { pool?: Pool }) {
  const { region, year } = useScope();
  return (
    <RemoteSelect<IndicatorOption>
      {...props}
      queryKey={['indicator-options', region, year, pool ?? '']}
      load={async (q, signal) => {
        const p = await api.get<IndicatorPage>(
          '/indicators',
          { region, year, q, pool, pageSize: 30 },
          signal,
        );
        return p.items.map((x) => ({
          value: x.indicatorId,
          label: `${x.indicatorId}｜${poolNames[x.pool].text}｜${x.agencyName ?? x.docNo ?? ''}｜可用 ${formatYuan(x.available)}`,
          item: x,
        }));
      }}
    />
  );
}

/** A direct lower region of the current one (下达 goes one level down). */
export function ChildRegionSelect(props: Omit<SelectProps, 'options'>) {
  const { me } = useSession();
  const { region } = useScope();
  const options = me.regions
    .filter((r) => r.parentCode === region)
    .map((r) => ({ value: r.code, label: `${r.code} ${r.name}` }));
  return (
    <Select showSearch optionFilterProp="label" options={options} placeholder="选择下级区划" {...props} />
  );
}
