import { ArrowLeftOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Result,
  Skeleton,
  Space,
  Steps,
  Table,
  Tag,
  Timeline,
} from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { formatYuan } from '../../components/format';
import { useSession } from '../../session/session-context';
import { refusalText, useDocument, useInbox } from './api';
import { ApproveButtons, PreparerButtons } from './DocActions';
import {
  actionNames,
  docTypeTitles,
  elementLabels,
  flagNames,
  fundingSourceNames,
  poolNames,
  stateNames,
  t,
} from './labels';
import type { DocumentDetail, Pool } from './types';

const lineLabels: Record<string, string> = {
  indicatorId: '指标编号',
  fromIndicatorId: '调出指标',
  toIndicatorId: '调入指标',
  region: '下级区划',
  direction: '方向',
  pool: '类别',
  source: '资金来源',
  fundingSource: '资金来源',
  amount: '金额（元）',
  percent: '比例（%）',
  tpFuncCode: '转移支付功能分类',
  offsetsAdvance: '核销提前下达',
  toPoolIndicatorId: '收回至',
  elements: '要素',
  toElements: '调入要素',
};
const sourceNames: Record<string, string> = { '1001': '本级财力', '1004': '债务资金', '1009': '其他' };

/** 要素 in one line of text: '资金性质 111 · 支出功能分类 2050203 · 直达资金'. */
function elementsText(e: Record<string, unknown>): string {
  const parts = Object.entries(e)
    .filter(([k, v]) => k !== 'flags' && typeof v === 'string' && v)
    .map(([k, v]) => `${elementLabels[k] ?? k} ${v}`);
  for (const [k, on] of Object.entries((e.flags ?? {}) as Record<string, boolean>))
    if (on) parts.push(flagNames[k] ?? k);
  return parts.join(' · ');
}

function cell(key: string, v: unknown) {
  if (v === undefined || v === null || v === '') return '-';
  if (key === 'amount') return <span className="fiscus-mono">{formatYuan(String(v))}</span>;
  if (key === 'elements' || key === 'toElements') return elementsText(v as Record<string, unknown>);
  if (key === 'pool') return poolNames[v as Pool]?.text ?? String(v);
  if (key === 'direction') return v === 'increase' ? '追加' : '追减';
  if (key === 'fundingSource') return fundingSourceNames[String(v)] ?? String(v);
  if (key === 'source') return sourceNames[String(v)] ?? String(v);
  if (key.endsWith('IndicatorId') || key === 'indicatorId')
    return <Link to={`/indicators/${encodeURIComponent(String(v))}`}>{String(v)}</Link>;
  return String(v);
}

function Lines({ d }: { d: DocumentDetail }) {
  const keys = Object.keys(lineLabels).filter((k) => d.body.lines.some((l) => l[k] !== undefined));
  return (
    <Table
      size="small"
      bordered
      rowKey="__line"
      dataSource={d.body.lines.map((l, i) => ({ ...l, __line: i + 1 }))}
      pagination={{ pageSize: 50, hideOnSinglePage: true }}
      scroll={{ x: 'max-content' }}
      columns={[
        { title: '行', dataIndex: '__line' },
        ...keys.map((k) => ({
          title: lineLabels[k],
          key: k,
          ...(k === 'amount' ? { align: 'right' as const } : {}),
          render: (_v: unknown, r: Record<string, unknown>) => cell(k, r[k]),
        })),
      ]}
    />
  );
}

/** /indicator-docs/:docId — one 指标单: header, route, lines, effect and history, with its actions. */
export function DocDetailPage() {
  const { docId = '' } = useParams();
  const navigate = useNavigate();
  const { can } = useSession();
  const q = useDocument(docId);
  const inbox = useInbox(can('indicator.review'));
  const [refusal, setRefusal] = useState<string | null>(null);
  if (q.isPending) return <Skeleton active />;
  if (q.error) return <Result status="warning" title={refusalText(q.error)} />;
  const d = q.data;
  const waitingOnMe = (inbox.data?.items ?? []).some((x) => x.docId === d.docId);
  const route = d.route.length ? d.route : [{ name: '预算科审核', permission: 'indicator.review' }];
  const stepNow = d.state === 'approved' ? route.length : d.state === 'submitted' ? d.step : -1;

  return (
    <Card
      size="small"
      title={
        <span data-testid="page-title">
          {t.docDetail} <span className="fiscus-mono">{d.docId}</span>
        </span>
      }
      extra={
        <Space>
          <PreparerButtons doc={d} onError={setRefusal} />
          {waitingOnMe && d.state === 'submitted' && <ApproveButtons doc={d} />}
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)}>
            返回
          </Button>
        </Space>
      }
    >
      {refusal && (
        <Alert
          type="error"
          showIcon
          message={refusal}
          style={{ marginBottom: 12 }}
          data-testid="command-error"
        />
      )}
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, md: 2, xl: 3 }}
        items={[
          { key: 'type', label: '单据类型', children: docTypeTitles[d.docType] },
          { key: 'no', label: '文号', children: d.docNo },
          { key: 'title', label: '标题', children: d.title },
          { key: 'amount', label: '金额（元）', children: formatYuan(d.amount) },
          {
            key: 'state',
            label: '状态',
            children: (
              <Tag color={stateNames[d.state].color} data-testid="doc-state">
                {stateNames[d.state].text}
              </Tag>
            ),
          },
          { key: 'prep', label: '制单人', children: d.preparedBy },
          ...(d.body.fromIndicatorId
            ? [{ key: 'from', label: '来源指标', children: cell('fromIndicatorId', d.body.fromIndicatorId) }]
            : []),
          ...(d.summary ? [{ key: 'summary', label: '摘要', children: d.summary }] : []),
        ]}
      />
      <Card size="small" type="inner" title="审批流程" style={{ marginTop: 12 }}>
        <Steps
          size="small"
          current={stepNow}
          {...(d.state === 'returned' || d.state === 'voided' ? { status: 'error' as const } : {})}
          items={route.map((s) => ({ title: s.name, description: s.permission }))}
        />
      </Card>
      <Card size="small" type="inner" title="明细" style={{ marginTop: 12 }}>
        <Lines d={d} />
      </Card>
      {d.effect && d.effect.indicators.length > 0 && (
        <Card size="small" type="inner" title="生成指标" style={{ marginTop: 12 }}>
          <Space wrap>
            {d.effect.indicators.map((i) => (
              <Tag key={i.indicatorId}>
                <Link to={`/indicators/${encodeURIComponent(i.indicatorId)}`}>{i.indicatorId}</Link> 可用{' '}
                {formatYuan(i.available)}
              </Tag>
            ))}
          </Space>
        </Card>
      )}
      <Card size="small" type="inner" title="处理记录" style={{ marginTop: 12 }}>
        <Timeline
          items={d.actions.map((a) => ({
            color:
              a.action === 'return' || a.action === 'void'
                ? 'red'
                : a.action === 'approve'
                  ? 'green'
                  : 'blue',
            children: (
              <span data-testid="doc-action">
                {new Date(a.at).toLocaleString('zh-CN')} {a.actor} {actionNames[a.action] ?? a.action}
                {a.stepName ? `（${a.stepName}）` : ''}
                {a.opinion ? `：${a.opinion}` : ''}
              </span>
            ),
          }))}
        />
      </Card>
    </Card>
  );
}
