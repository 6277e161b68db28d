import { Tag } from 'antd';
import type { ReactNode } from 'react';
import type { ColumnKind } from '../../api/types';
import { formatYuan } from '../../components/format';
import { zhCN } from '../../locales/zh-CN';

/** How one value of a base-data column is shown, by the column's kind. */
export function renderCell(kind: ColumnKind, value: unknown): ReactNode {
  if (value === null || value === undefined || value === '') return zhCN.list.empty;
  switch (kind) {
    case 'boolean':
      return value === true || value === 'true' ? (
        <Tag color="success">{zhCN.list.yes}</Tag>
      ) : (
        <Tag>{zhCN.list.no}</Tag>
      );
    case 'yuan':
      return <span className="fiscus-mono">{formatYuan(String(value))}</span>;
    case 'code':
      return <span className="fiscus-mono">{String(value)}</span>;
    default:
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}
