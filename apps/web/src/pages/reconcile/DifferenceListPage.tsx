import { ArrowLeftOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Select, Space, Table, type TableColumnsType, Typography } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client';
import { formatYuan } from '../../components/format';
import { zhCN } from '../../locales/zh-CN';
import { useDifferences } from './api';
import {
  kindNames,
  type Layer,
  layerNames,
  layers,
  pairs,
  pairText,
  partyText,
  stateNames,
  t,
} from './labels';
import { DiffStateTag, KindTag } from './tags';
import type { DifferenceItem } from './types';

const opt = <K extends string>(m: Record<K, { text: string }>) =>
  (Object.keys(m) as K[]).map((value) => ({ value, label: m[value].text }));

const yuan = (v: string | null) => (v === null ? '-' : <span className="fiscus-mono">{formatYuan(v)}</span>);

/**
 * /reconcile/differences — 对账差异: the differences of a run (default: the region's current runs),
 * by layer, pair, kind and state; each opens its detail with the records behind it.
 */
export function DifferenceListPage() {
  const [params, setParams] = useSearchParams();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const filter = {
    runId: params.get('runId') ?? undefined,
    layer: params.get('layer') ?? undefined,
    pair: params.get('pair') ?? undefined,
    state: params.get('state') ?? undefined,
    kind: params.get('kind') ?? undefined,
  };
  const q = useDifferences(filter, page, pageSize);
  const set = (k: string, v: string | undefined) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next);
    setPage(1);
  };

  const columns: TableColumnsType<DifferenceItem> = [
    {
      title: '差异编号',
      dataIndex: 'differenceId',
      render: (v: string) => (
        <Link to={`/reconcile/differences/${encodeURIComponent(v)}`} className="fiscus-mono">
          {v}
        </Link>
      ),
    },
    { title: '日期', dataIndex: 'date', width: 100 },
    {
      title: '层级',
      dataIndex: 'layer',
      render: (l: string) => `${l} ${layerNames[l as Layer]?.text ?? ''}`,
    },
    { title: '对账双方', key: 'pair', render: (_, d) => pairText(d.layer, d.pair) },
    { title: '差异类型', dataIndex: 'kind', render: (k: string) => <KindTag kind={k} /> },
    {
      title: '凭证号',
      dataIndex: 'voucherNo',
      render: (v: string | null, d) => (
        <span className="fiscus-mono" data-testid="difference-voucher">
          {v ? `${d.vtCode ? `${d.vtCode}/` : ''}${v}` : d.itemKey}
        </span>
      ),
    },
    { title: '差异方', dataIndex: 'party', render: (p: string | null) => partyText(p) },
    { title: '应为（元）', dataIndex: 'expectedAmount', align: 'right', render: yuan },
    { title: '实为（元）', dataIndex: 'actualAmount', align: 'right', render: yuan },
    {
      title: '说明',
      key: 'detail',
      ellipsis: true,
      render: (_, d) => <Typography.Text title={d.detail['zh-CN']}>{d.detail['zh-CN']}</Typography.Text>,
    },
    { title: '处理状态', dataIndex: 'state', render: (s: string) => <DiffStateTag state={s} /> },
    { title: '经办人', dataIndex: 'assignee', render: (v: string | null) => v ?? '-' },
  ];

  return (
    <Card
      size="small"
      title={
        <Space>
          <Link to="/reconcile" aria-label="返回对账">
            <ArrowLeftOutlined />
          </Link>
          <span data-testid="page-title">{t.differences}</span>
          {filter.runId ? (
            <Typography.Text type="secondary" className="fiscus-mono">
              {filter.runId}
            </Typography.Text>
          ) : (
            <Typography.Text type="secondary">（各日当前对账结果）</Typography.Text>
          )}
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          aria-label="层级"
          allowClear
          placeholder="层级"
          style={{ width: 150 }}
          value={filter.layer ?? null}
          onChange={(v: string | undefined) => set('layer', v)}
          options={layers.map((l) => ({ value: l, label: `${l} ${layerNames[l].text}` }))}
        />
        <Select
          aria-label="对账双方"
          allowClear
          placeholder="对账双方"
          style={{ width: 170 }}
          value={filter.pair ?? null}
          onChange={(v: string | undefined) => set('pair', v)}
          options={pairs.map((p) => ({ value: p, label: pairText(filter.layer ?? 'L1', p) }))}
        />
        <Select
          aria-label="差异类型"
          allowClear
          placeholder="差异类型"
          style={{ width: 130 }}
          value={filter.kind ?? null}
          onChange={(v: string | undefined) => set('kind', v)}
          options={opt(kindNames)}
        />
        <Select
          aria-label="处理状态"
          allowClear
          placeholder="处理状态"
          style={{ width: 130 }}
          value={filter.state ?? null}
          onChange={(v: string | undefined) => set('state', v)}
          options={opt(stateNames)}
        />
        {filter.runId ? (
          <Button size="small" onClick={() => set('runId', undefined)}>
            查看各日当前结果
          </Button>
        ) : null}
      </Space>
      {q.error ? (
        <Alert
          type="error"
          showIcon
          message={q.error instanceof ApiError ? q.error.body.message['zh-CN'] : zhCN.common.error}
          style={{ marginBottom: 12 }}
        />
      ) : null}
      <Table<DifferenceItem>
        data-testid="difference-list"
        size="small"
        bordered
        rowKey="differenceId"
        loading={q.isFetching}
        dataSource={q.data?.items ?? []}
        columns={columns}
        scroll={{ x: 1300 }}
        pagination={{
          current: page,
          pageSize,
          total: q.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (n) => `共 ${n} 条`,
          onChange: (p, s) => {
            setPage(p);
            setPageSize(s);
          },
        }}
      />
    </Card>
  );
}
