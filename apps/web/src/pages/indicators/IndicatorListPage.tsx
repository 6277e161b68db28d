import { FileExcelOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../../api/client';
import { download } from '../../api/download';
import { formatYuan } from '../../components/format';
import { fmt } from '../../locales/format';
import { zhCN } from '../../locales/zh-CN';
import { useScope } from '../../scope/scope-context';
import { useSession } from '../../session/session-context';
import { useIndicators } from './api';
import { type IndicatorCriteria, IndicatorFilters } from './IndicatorFilters';
import { poolNames, t } from './labels';
import type { Amounts, IndicatorItem } from './types';

const money = (v: string) => <span className="fiscus-mono">{formatYuan(v)}</span>;
const code = (c: string | null, name?: string | null) =>
  c ? (
    <span title={name ?? undefined}>
      <span className="fiscus-mono">{c}</span>
      {name ? ` ${name}` : ''}
    </span>
  ) : (
    '-'
  );

export const amountColumns: { key: keyof Amounts; title: string }[] = [
  { key: 'total', title: '指标金额' },
  { key: 'available', title: '可用金额' },
  { key: 'frozen', title: '冻结金额' },
  { key: 'inUse', title: '在途金额' },
  { key: 'paid', title: '已支付金额' },
];

const columns: TableColumnsType<IndicatorItem> = [
  {
    title: '指标编号',
    dataIndex: 'indicatorId',
    fixed: 'left',
    render: (id: string) => (
      <Link to={`/indicators/${encodeURIComponent(id)}`} className="fiscus-mono">
        {id}
      </Link>
    ),
  },
  {
    title: '类别',
    dataIndex: 'pool',
    render: (p: IndicatorItem['pool']) => <Tag color={poolNames[p].color}>{poolNames[p].text}</Tag>,
  },
  { title: '预算单位', dataIndex: 'agencyCode', render: (_c, r) => code(r.agencyCode, r.agencyName) },
  { title: '支出功能分类', dataIndex: 'expFuncCode', render: (_c, r) => code(r.expFuncCode, r.expFuncName) },
  { title: '政府经济分类', dataIndex: 'govEcoCode', render: (c: string | null) => code(c) },
  { title: '部门经济分类', dataIndex: 'depEcoCode', render: (c: string | null) => code(c) },
  { title: '资金性质', dataIndex: 'fundTypeCode', render: (_c, r) => code(r.fundTypeCode, r.fundTypeName) },
  { title: '指标类型', dataIndex: 'indicatorTypeCode', render: (c: string | null) => code(c) },
  { title: '文号', dataIndex: 'docNo', render: (v: string | null) => v ?? '-' },
  { title: '上级文号', dataIndex: 'supDocNo', render: (v: string | null) => v ?? '-' },
  {
    title: '直达',
    dataIndex: 'directReach',
    render: (v: boolean) => (v ? <Tag color="magenta">直达</Tag> : '-'),
  },
  // The amounts stay in view on the right while the elements scroll.
  ...amountColumns.map((c) => ({
    title: c.title,
    dataIndex: c.key,
    align: 'right' as const,
    fixed: 'right' as const,
    render: money,
  })),
];
const middle = columns.length - amountColumns.length - 1;

/** /indicators — 指标台账: every indicator of the region and year with its five amounts. */
export function IndicatorListPage() {
  const { region, year } = useScope();
  const { can } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const scopeKey = `${region}/${year}`;
  const [criteria, setCriteria] = useState<IndicatorCriteria>({});
  const [paging, setPaging] = useState({ scopeKey, page: 1, pageSize: 20 });
  const [exporting, setExporting] = useState(false);
  const page = paging.scopeKey === scopeKey ? paging.page : 1;
  const query = useMemo(() => ({ region, year, ...criteria }), [region, year, criteria]);
  const list = useIndicators(query, page, paging.pageSize);
  const totals = list.data?.totals;

  const exportXlsx = async () => {
    setExporting(true);
    try {
      const name = await download('/indicators', { ...query, format: 'xlsx' }, `${t.list}.xlsx`);
      message.success(fmt(zhCN.list.downloaded, { name }));
    } catch (e) {
      message.error(e instanceof ApiError ? e.body.message['zh-CN'] : zhCN.common.error);
    } finally {
      setExporting(false);
    }
  };

  return (
    <>
      <Card size="small" style={{ marginBottom: 16 }}>
        <IndicatorFilters
          onSearch={(c) => {
            setCriteria(c);
            setPaging((p) => ({ ...p, scopeKey, page: 1 }));
          }}
        />
      </Card>
      <Card
        size="small"
        title={<span data-testid="page-title">{t.list}</span>}
        extra={
          <Space>
            <Button icon={<FileExcelOutlined />} loading={exporting} onClick={exportXlsx}>
              {zhCN.list.exportExcel}
            </Button>
            {can('indicator.prepare') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/indicator-docs/new')}>
                新建指标单
              </Button>
            )}
          </Space>
        }
      >
        <Table<IndicatorItem>
          data-testid="indicator-table"
          size="small"
          bordered
          loading={list.isFetching}
          rowKey="indicatorId"
          columns={columns}
          dataSource={list.data?.items ?? []}
          scroll={{ x: 'max-content' }}
          summary={() =>
            totals && (
              <Table.Summary fixed>
                <Table.Summary.Row data-testid="indicator-totals">
                  <Table.Summary.Cell index={0}>
                    <Typography.Text strong>合计</Typography.Text>
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={1} colSpan={middle}>
                    <Typography.Text type="secondary">{t.totalsRow}</Typography.Text>
                  </Table.Summary.Cell>
                  {amountColumns.map((c, i) => (
                    <Table.Summary.Cell key={c.key} index={middle + 1 + i} align="right">
                      <Typography.Text strong>{money(totals[c.key])}</Typography.Text>
                    </Table.Summary.Cell>
                  ))}
                </Table.Summary.Row>
              </Table.Summary>
            )
          }
          pagination={{
            current: page,
            pageSize: paging.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [10, 20, 50, 100],
            showTotal: (total) => fmt(zhCN.list.total, { total }),
            onChange: (p, size) =>
              setPaging({ scopeKey, page: size === paging.pageSize ? p : 1, pageSize: size }),
          }}
        />
      </Card>
    </>
  );
}
