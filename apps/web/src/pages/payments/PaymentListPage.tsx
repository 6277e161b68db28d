import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Select, Space, Table, type TableColumnsType, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { formatYuan } from '../../components/format';
import { usePayments } from './api';
import { libraryStatusNames, type PaymentState, payTypeNames, stateNames, t } from './labels';
import { PaymentActions } from './PaymentActions';
import type { PaymentItem } from './types';

export function StateTag({ state }: { state: string }) {
  const s = stateNames[state as PaymentState];
  return (
    <Tag color={s?.color} data-state={state}>
      {s?.text ?? state}
    </Tag>
  );
}

export const payeeText = (p: PaymentItem['payee']): string => {
  if (!p || typeof p !== 'object') return '-';
  const o = p as Record<string, unknown>;
  return [o.payeeCode, o.name].filter((x) => typeof x === 'string' && x).join(' ') || '-';
};

/** /payments — 支付申请列表: the applications the user may see, with the steps they may take. */
export function PaymentListPage() {
  const [state, setState] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [error, setError] = useState<string | null>(null);
  const list = usePayments(state, page, pageSize);

  const columns: TableColumnsType<PaymentItem> = [
    {
      title: '申请编号',
      dataIndex: 'applicationId',
      fixed: 'left',
      render: (id: string) => (
        <Link to={`/payments/${encodeURIComponent(id)}`} className="fiscus-mono">
          {id}
        </Link>
      ),
    },
    { title: '状态', dataIndex: 'state', render: (s: string) => <StateTag state={s} /> },
    {
      title: '凭证库状态',
      dataIndex: 'libraryStatus',
      render: (v: number | null) =>
        v === null || v === undefined ? '-' : (libraryStatusNames[String(v)] ?? String(v)),
    },
    { title: '预算单位', dataIndex: 'agencyCode', render: (v: string | null) => v ?? '-' },
    {
      title: '指标编号',
      dataIndex: 'indicatorId',
      render: (v: string) => <span className="fiscus-mono">{v}</span>,
    },
    { title: '支付方式', dataIndex: 'payType', render: (v: string) => payTypeNames[v] ?? v },
    {
      title: '金额（元）',
      dataIndex: 'amount',
      align: 'right',
      render: (v: string) => <span className="fiscus-mono">{formatYuan(v)}</span>,
    },
    { title: '收款人', dataIndex: 'payee', render: (p: PaymentItem['payee']) => payeeText(p) },
    { title: '用途', dataIndex: 'purpose' },
    { title: '制单人', dataIndex: 'preparedBy' },
    {
      title: '操作',
      key: 'actions',
      fixed: 'right',
      render: (_v, r) => <PaymentActions app={r} onError={setError} />,
    },
  ];

  return (
    <Card
      size="small"
      title={<span data-testid="page-title">{t.list}</span>}
      extra={
        <Space>
          <Select
            aria-label="状态"
            allowClear
            placeholder="全部状态"
            style={{ width: 160 }}
            value={state}
            onChange={(v: string | undefined) => {
              setState(v);
              setPage(1);
            }}
            options={Object.entries(stateNames).map(([value, s]) => ({ value, label: s.text }))}
          />
          <Button icon={<ReloadOutlined spin={list.isFetching} />} onClick={() => list.refetch()}>
            刷新
          </Button>
        </Space>
      }
    >
      {error ? (
        <Alert
          data-testid="command-error"
          type="error"
          showIcon
          message={error}
          closable
          onClose={() => setError(null)}
          style={{ marginBottom: 12 }}
        />
      ) : null}
      <Table<PaymentItem>
        data-testid="payments-table"
        size="small"
        bordered
        rowKey="applicationId"
        loading={list.isFetching}
        columns={columns}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 'max-content' }}
        pagination={{
          current: page,
          pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          onChange: (p, s) => {
            setPage(p);
            setPageSize(s);
          },
        }}
      />
    </Card>
  );
}
