import { FileExcelOutlined, SearchOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, Select, Space, Table, type TableColumnsType, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../api/client';
import { download } from '../../api/download';
import { formatYuan } from '../../components/format';
import { fmt } from '../../locales/format';
import { zhCN } from '../../locales/zh-CN';
import { useScope } from '../../scope/scope-context';
import { useDocuments } from './api';
import { docTypeNames, docTypeOrder, stateNames, t } from './labels';
import type { DocState, DocType, DocumentItem } from './types';

export const docColumns: TableColumnsType<DocumentItem> = [
  {
    title: '单据编号',
    dataIndex: 'docId',
    render: (id: string) => (
      <Link to={`/indicator-docs/${encodeURIComponent(id)}`} className="fiscus-mono">
        {id}
      </Link>
    ),
  },
  { title: '类型', dataIndex: 'docType', render: (d: DocType) => docTypeNames[d] ?? d },
  { title: '文号', dataIndex: 'docNo' },
  { title: '标题', dataIndex: 'title' },
  {
    title: '金额（元）',
    dataIndex: 'amount',
    align: 'right',
    render: (v: string) => <span className="fiscus-mono">{formatYuan(v)}</span>,
  },
  {
    title: '状态',
    dataIndex: 'state',
    render: (s: DocState, r) => (
      <Tag color={stateNames[s].color}>
        {stateNames[s].text}
        {r.currentStep ? ` · ${r.currentStep.name}` : ''}
      </Tag>
    ),
  },
  { title: '制单人', dataIndex: 'preparedBy' },
  { title: '更新时间', dataIndex: 'updatedAt', render: (v: string) => new Date(v).toLocaleString('zh-CN') },
];

type Criteria = { state?: DocState | undefined; docType?: DocType | undefined; q?: string | undefined };

/** /indicator-docs — 指标单查询: every document of the region and year by state and type. */
export function DocListPage() {
  const { region, year } = useScope();
  const { message } = App.useApp();
  const scopeKey = `${region}/${year}`;
  const [criteria, setCriteria] = useState<Criteria>({});
  const [paging, setPaging] = useState({ scopeKey, page: 1, pageSize: 20 });
  const page = paging.scopeKey === scopeKey ? paging.page : 1;
  const query = useMemo(() => ({ region, year, ...criteria }), [region, year, criteria]);
  const list = useDocuments(query, page, paging.pageSize);

  const exportXlsx = async () => {
    try {
      const name = await download('/indicator-docs', { ...query, format: 'xlsx' }, '指标单.xlsx');
      message.success(fmt(zhCN.list.downloaded, { name }));
    } catch (e) {
      message.error(e instanceof ApiError ? e.body.message['zh-CN'] : zhCN.common.error);
    }
  };

  return (
    <>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form<Criteria>
          layout="inline"
          onFinish={(v) => {
            setCriteria({ ...v, q: v.q?.trim() || undefined });
            setPaging((p) => ({ ...p, scopeKey, page: 1 }));
          }}
        >
          <Form.Item name="q" label="关键字">
            <Input allowClear aria-label="关键字" placeholder="单号、文号或标题" style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="docType" label="类型">
            <Select
              allowClear
              aria-label="类型"
              placeholder="全部"
              style={{ width: 140 }}
              options={docTypeOrder.map((k) => ({ value: k, label: docTypeNames[k] }))}
            />
          </Form.Item>
          <Form.Item name="state" label="状态">
            <Select
              allowClear
              aria-label="状态"
              placeholder="全部"
              style={{ width: 120 }}
              options={Object.entries(stateNames).map(([value, s]) => ({ value, label: s.text }))}
            />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
              查询
            </Button>
          </Form.Item>
        </Form>
      </Card>
      <Card
        size="small"
        title={<span data-testid="page-title">{t.docs}</span>}
        extra={
          <Space>
            <Button icon={<FileExcelOutlined />} onClick={exportXlsx}>
              {zhCN.list.exportExcel}
            </Button>
          </Space>
        }
      >
        <Table<DocumentItem>
          data-testid="doc-table"
          size="small"
          bordered
          rowKey="docId"
          loading={list.isFetching}
          columns={docColumns}
          dataSource={list.data?.items ?? []}
          scroll={{ x: 'max-content' }}
          pagination={{
            current: page,
            pageSize: paging.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => fmt(zhCN.list.total, { total }),
            onChange: (p, size) =>
              setPaging({ scopeKey, page: size === paging.pageSize ? p : 1, pageSize: size }),
          }}
        />
      </Card>
    </>
  );
}
