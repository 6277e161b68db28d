import { Tag } from 'antd';
import type { ReactNode } from 'react';
import type { ListColumn } from '../../api/types';
import { formatYuan } from '../../components/format';
import { zhCN } from '../../locales/zh-CN';

type CellColumn = Pick<ListColumn, 'kind' | 'options'>;

/** How one value of a base-data column is shown: by its kind, coded values by their label. */
export function renderCell(column: CellColumn, value: unknown): ReactNode {
  if (value === null || value === undefined || value === '') return zhCN.list.empty;
  switch (column.kind) {
    case 'boolean':
      return value === true || value === 'true' ? (
        <Tag color="success">{zhCN.list.yes}</Tag>
      ) : (
        <Tag>{zhCN.list.no}</Tag>
      );
    case 'yuan':
      return <span className="fiscus-mono">{formatYuan(String(value))}</span>;
    default: {
      const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
      const label = column.options?.find((o) => o.value === text)?.label;
      if (label !== undefined && label !== text) return <span title={text}>{label}</span>;
      return column.kind === 'code' ? <span className="fiscus-mono">{text}</span> : text;
    }
  }
}
