import { Card, Table } from 'antd';
import { useMemo, useState } from 'react';
import type { ListMeta, Row } from '../../api/types';
import { fmt } from '../../locales/format';
import { zhCN } from '../../locales/zh-CN';
import { useScope } from '../../scope/scope-context';
import { DetailDrawer } from './DetailDrawer';
import { ImportModal } from './ImportModal';
import { ListFilters } from './ListFilters';
import { ListToolbar } from './ListToolbar';
import { listColumns } from './list-columns';
import { criteriaQuery, emptyCriteria, type ListCriteria, useListPage } from './list-query';
import { rowId } from './row-id';

/** A base-data list: query form, toolbar, server-paged table, detail drawer, import modal. */
export function ListView({ meta }: { meta: ListMeta }) {
  const { region, year } = useScope();
  const scopeKey = `${region}/${year}`;
  const [criteria, setCriteria] = useState<ListCriteria>(emptyCriteria);
  const [paging, setPaging] = useState({ scopeKey, page: 1, pageSize: 20 });
  const [detail, setDetail] = useState<Row | null>(null);
  const [importing, setImporting] = useState(false);

  // A new region or year starts again at page 1.
  const page = paging.scopeKey === scopeKey ? paging.page : 1;
  const query = useMemo(() => criteriaQuery(region, year, criteria), [region, year, criteria]);
  const list = useListPage(meta, query, page, paging.pageSize);
  const columns = useMemo(() => listColumns(meta, setDetail), [meta]);

  return (
    <>
      <Card size="small" style={{ marginBottom: 16 }}>
        <ListFilters
          meta={meta}
          onSearch={(c) => {
            setCriteria(c);
            setPaging((p) => ({ ...p, scopeKey, page: 1 }));
          }}
        />
      </Card>
      <Card
        title={<span data-testid="list-title">{meta.title.zh}</span>}
        size="small"
        extra={
          <ListToolbar
            meta={meta}
            query={query}
            refreshing={list.isFetching}
            onRefresh={() => list.refetch()}
            onImport={() => setImporting(true)}
          />
        }
      >
        <Table<Row>
          data-testid="list-table"
          size="small"
          bordered
          loading={list.isFetching}
          columns={columns}
          dataSource={list.data?.items ?? []}
          rowKey={(row) => rowId(meta, row)}
          scroll={{ x: 'max-content' }}
          pagination={{
            current: page,
            pageSize: paging.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            showQuickJumper: true,
            pageSizeOptions: [10, 20, 50, 100],
            showTotal: (total) => fmt(zhCN.list.total, { total }),
            onChange: (p, size) =>
              setPaging({ scopeKey, page: size === paging.pageSize ? p : 1, pageSize: size }),
          }}
        />
      </Card>
      <DetailDrawer meta={meta} row={detail} onClose={() => setDetail(null)} />
      {importing && (
        <ImportModal meta={meta} region={region} year={year} onClose={() => setImporting(false)} />
      )}
    </>
  );
}
