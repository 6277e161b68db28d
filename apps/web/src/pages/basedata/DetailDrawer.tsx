import { useQuery } from '@tanstack/react-query';
import { Alert, Descriptions, type DescriptionsProps, Drawer, Skeleton } from 'antd';
import { ApiError, api } from '../../api/client';
import type { ListMeta, Row } from '../../api/types';
import { fmt } from '../../locales/format';
import { zhCN } from '../../locales/zh-CN';
import { useScope } from '../../scope/scope-context';
import { renderCell } from './cell';
import { rowId } from './row-id';

interface Props {
  meta: ListMeta;
  row: Row | null;
  onClose(): void;
}

function itemsOf(meta: ListMeta, item: Row): NonNullable<DescriptionsProps['items']> {
  const known = new Set(meta.columns.map((c) => c.key));
  const items: NonNullable<DescriptionsProps['items']> = meta.columns.map((c) => ({
    key: c.key,
    label: c.title,
    children: renderCell(c, item[c.key]),
  }));
  for (const [k, v] of Object.entries(item)) {
    if (!known.has(k)) items.push({ key: k, label: k, children: renderCell({ kind: 'text' }, v) });
  }
  return items;
}

/** 详情: the row as the server has it now (GET /api/v1/{key}/{id}), the list row meanwhile. */
export function DetailDrawer({ meta, row, onClose }: Props) {
  const { region, year } = useScope();
  const id = row ? rowId(meta, row) : '';
  const detail = useQuery({
    queryKey: ['list-item', meta.key, id, region, year],
    queryFn: () => api.get<{ item: Row }>(`/${meta.key}/${encodeURIComponent(id)}`, { region, year }),
    enabled: row !== null,
    meta: { silent: true },
  });
  const item = detail.data?.item ?? row;

  return (
    <Drawer
      title={fmt(zhCN.list.detailTitle, { title: meta.title.zh })}
      open={row !== null}
      onClose={onClose}
      width={560}
      destroyOnHidden
      data-testid="detail-drawer"
    >
      {detail.error && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message={detail.error instanceof ApiError ? detail.error.body.message['zh-CN'] : zhCN.common.error}
        />
      )}
      {item ? (
        <Descriptions
          bordered
          size="small"
          column={1}
          items={itemsOf(meta, item)}
          styles={{ label: { width: 140 } }}
        />
      ) : (
        <Skeleton active />
      )}
    </Drawer>
  );
}
