import { Button, type TableColumnsType } from 'antd';
import type { ListMeta, Row } from '../../api/types';
import { zhCN } from '../../locales/zh-CN';
import { renderCell } from './cell';

/** Table columns from the list's column definitions, plus the 操作 column. */
export function listColumns(meta: ListMeta, onDetail: (row: Row) => void): TableColumnsType<Row> {
  const cols: TableColumnsType<Row> = meta.columns.map((c) => ({
    key: c.key,
    dataIndex: c.key,
    title: c.title,
    align: c.kind === 'yuan' || c.kind === 'integer' ? 'right' : c.kind === 'boolean' ? 'center' : 'left',
    ellipsis: c.kind === 'text',
    render: (value: unknown) => renderCell(c, value),
  }));
  cols.push({
    key: '__actions',
    title: zhCN.list.actions,
    fixed: 'right',
    width: 72,
    render: (_: unknown, row: Row) => (
      <Button type="link" size="small" style={{ padding: 0 }} onClick={() => onDetail(row)}>
        {zhCN.list.detail}
      </Button>
    ),
  });
  return cols;
}
