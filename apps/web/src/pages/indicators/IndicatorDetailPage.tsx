import { ArrowLeftOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Result,
  Row,
  Skeleton,
  Statistic,
  Table,
  type TableColumnsType,
  Tabs,
  Tag,
  Timeline,
} from 'antd';
import { Link, useNavigate, useParams } from 'react-router';
import { formatYuan } from '../../components/format';
import { refusalText, useIndicator } from './api';
import { amountColumns } from './IndicatorListPage';
import {
  docTypeNames,
  elementLabels,
  flagNames,
  originKindNames,
  poolNames,
  scenarioNames,
  stateNames,
  t,
  transferStateNames,
} from './labels';
import type { IndicatorDetail, LedgerLine } from './types';

const money = (v: string) => <span className="fiscus-mono">{formatYuan(v)}</span>;
const indicatorLink = (id: string) => (
  <Link to={`/indicators/${encodeURIComponent(id)}`} className="fiscus-mono">
    {id}
  </Link>
);
const docLink = (id: string, text?: string) => (
  <Link to={`/indicator-docs/${encodeURIComponent(id)}`}>{text ?? id}</Link>
);

const lineColumns: TableColumnsType<LedgerLine> = [
  { title: '业务日期', dataIndex: 'businessDate' },
  { title: '分录号', dataIndex: 'entryId', render: (v: string, r) => `${v}-${r.lineNo}` },
  { title: '业务场景', dataIndex: 'scenario', render: (s: string) => scenarioNames[s] ?? s },
  {
    title: '科目',
    dataIndex: 'account',
    render: (a: string, r) => `${a} ${r.accountName ?? ''}`,
  },
  {
    title: '借方',
    key: 'debit',
    align: 'right',
    render: (_v, r) => (r.side === 'debit' ? money(r.amount) : ''),
  },
  {
    title: '贷方',
    key: 'credit',
    align: 'right',
    render: (_v, r) => (r.side === 'credit' ? money(r.amount) : ''),
  },
  { title: '命令', dataIndex: 'commandType', render: (v: string | null) => v ?? '-' },
  { title: '操作人', dataIndex: 'actor', render: (v: string | null) => v ?? '-' },
  {
    title: '冲销',
    dataIndex: 'reversesEntryId',
    render: (v: string | null) => (v ? <Tag color="red">冲销 {v}</Tag> : ''),
  },
];

function Elements({ d }: { d: IndicatorDetail }) {
  const e = d.indicator.elements;
  const flags = Object.entries(e.flags ?? {})
    .filter(([, on]) => on)
    .map(([k]) => <Tag key={k}>{flagNames[k] ?? k}</Tag>);
  const items = Object.entries(elementLabels)
    .filter(([k]) => e[k] !== null && e[k] !== undefined && e[k] !== '')
    .map(([k, label]) => ({ key: k, label, children: String(e[k]) }));
  return (
    <Descriptions
      size="small"
      bordered
      column={{ xs: 1, md: 2, xl: 3 }}
      items={[
        {
          key: 'pool',
          label: '指标类别',
          children: <Tag color={poolNames[d.indicator.pool].color}>{poolNames[d.indicator.pool].text}</Tag>,
        },
        {
          key: 'origin',
          label: '形成方式',
          children: originKindNames[d.indicator.originKind] ?? d.indicator.originKind,
        },
        ...items,
        { key: 'flags', label: '标识', children: flags.length ? flags : '-' },
      ]}
    />
  );
}

/** 来源: the origin chain to the root, the creating document, and the upper level's message. */
function Upward({ d }: { d: IndicatorDetail }) {
  const { createdBy, up, received } = d.lineage;
  const items = [
    {
      color: 'blue',
      children: (
        <>
          本指标 {indicatorLink(d.indicator.indicatorId)}（
          {originKindNames[d.indicator.originKind] ?? d.indicator.originKind}，
          {createdBy
            ? docLink(
                createdBy.docId,
                `${docTypeNames[createdBy.docType as 'approve'] ?? ''} ${createdBy.docNo}`,
              )
            : d.indicator.createdByDoc}
          ）
        </>
      ),
    },
    ...up.map((u) => ({
      color: 'gray',
      children: (
        <>
          {u.year !== d.indicator.year ? `${u.year} 年 ` : ''}
          {indicatorLink(u.indicatorId)}（{poolNames[u.pool].text}，
          {originKindNames[u.originKind] ?? u.originKind}，{docLink(u.createdByDoc)}
          {u.docNo ? ` ${u.docNo}` : ''}）
        </>
      ),
    })),
    ...received.map((m) => ({
      color: 'green',
      children: (
        <>
          上级 {m.fromRegion} 下达 {m.docNo}，{money(m.amount)} 元（来源指标 {m.sourceIndicatorId ?? '-'}，
          {transferStateNames[m.state] ?? m.state}）
        </>
      ),
    })),
  ];
  return <Timeline items={items} data-testid="lineage-up" />;
}

/** 去向: indicators made from this one, transfers to lower levels, payments. */
function Downward({ d }: { d: IndicatorDetail }) {
  const { down, issued, payments } = d.lineage;
  return (
    <>
      <Table
        size="small"
        bordered
        rowKey={(r) => `${r.year}:${r.indicatorId}`}
        title={() => '派生指标（分配、调剂、结转）'}
        dataSource={down}
        pagination={false}
        locale={{ emptyText: <Empty description="无派生指标" /> }}
        columns={[
          { title: '层级', dataIndex: 'depth' },
          { title: '指标编号', dataIndex: 'indicatorId', render: indicatorLink },
          { title: '来源指标', dataIndex: 'originIndicatorId' },
          { title: '形成方式', dataIndex: 'originKind', render: (k: string) => originKindNames[k] ?? k },
          { title: '单位', dataIndex: 'agencyCode', render: (v: string | null) => v ?? '-' },
          { title: '单据', dataIndex: 'createdByDoc', render: (v: string) => docLink(v) },
          ...amountColumns.map((c) => ({
            title: c.title,
            key: c.key,
            align: 'right' as const,
            render: (_v: unknown, r: (typeof down)[number]) => money(r.amounts[c.key]),
          })),
        ]}
      />
      <Table
        size="small"
        bordered
        style={{ marginTop: 12 }}
        rowKey="messageId"
        title={() => '下达下级'}
        dataSource={issued}
        pagination={false}
        locale={{ emptyText: <Empty description="未下达下级" /> }}
        columns={[
          { title: '下级区划', dataIndex: 'toRegion' },
          { title: '单据', dataIndex: 'docId', render: (v: string, r) => docLink(v, `${v} ${r.docNo}`) },
          { title: '金额', dataIndex: 'amount', align: 'right', render: money },
          { title: '消息', dataIndex: 'messageId' },
          { title: '状态', dataIndex: 'state', render: (s: string) => transferStateNames[s] ?? s },
        ]}
      />
      <Table<LedgerLine>
        size="small"
        bordered
        style={{ marginTop: 12 }}
        rowKey={(r) => `${r.entryId}-${r.lineNo}`}
        title={() => '支付（在途 2401、已支付 2501）'}
        dataSource={payments}
        pagination={false}
        locale={{ emptyText: <Empty description="尚无支付" /> }}
        columns={lineColumns}
      />
    </>
  );
}

/** /indicators/:id — 指标详情: elements, the five amounts, its ledger lines and its lineage. */
export function IndicatorDetailPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const q = useIndicator(id);
  if (q.isPending) return <Skeleton active />;
  if (q.error) return <Result status="warning" title={refusalText(q.error)} />;
  const d = q.data;
  return (
    <Card
      size="small"
      title={
        <span data-testid="page-title">
          {t.detail} <span className="fiscus-mono">{d.indicator.indicatorId}</span>
        </span>
      }
      extra={
        <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)}>
          返回
        </Button>
      }
    >
      <Row gutter={16} style={{ marginBottom: 16 }} data-testid="indicator-amounts">
        {amountColumns.map((c) => (
          <Col key={c.key} xs={12} md={8} xl={4}>
            <Statistic title={c.title} value={formatYuan(d.amounts[c.key])} suffix="元" />
          </Col>
        ))}
      </Row>
      <Tabs
        items={[
          { key: 'elements', label: '指标要素', children: <Elements d={d} /> },
          {
            key: 'lines',
            label: `明细账（${d.lines.length}）`,
            children: (
              <Table<LedgerLine>
                size="small"
                bordered
                rowKey={(r) => `${r.entryId}-${r.lineNo}`}
                columns={lineColumns}
                dataSource={d.lines}
                pagination={{ pageSize: 50, hideOnSinglePage: true }}
                scroll={{ x: 'max-content' }}
              />
            ),
          },
          { key: 'up', label: '来源追溯', children: <Upward d={d} /> },
          { key: 'down', label: '去向追踪', children: <Downward d={d} /> },
        ]}
      />
      {d.lineage.createdBy && (
        <div style={{ marginTop: 8, color: 'rgba(0,0,0,0.45)' }}>
          生成单据：{docLink(d.lineage.createdBy.docId)} {d.lineage.createdBy.title}（
          {stateNames[d.lineage.createdBy.state].text}）
        </div>
      )}
    </Card>
  );
}
