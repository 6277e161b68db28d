import { ArrowLeftOutlined } from '@ant-design/icons';
import { Alert, Card, Col, Descriptions, Empty, Row, Space, Spin, Table, Timeline, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { formatYuan } from '../../components/format';
import { zhCN } from '../../locales/zh-CN';
import { libraryStatusNames, stateText as paymentStateText } from '../payments/labels';
import { useDifference } from './api';
import { DifferenceActions } from './DifferenceActions';
import {
  eventNames,
  type Layer,
  layerNames,
  type Party,
  pairText,
  partyNames,
  partyText,
  resolutionNames,
  sideOrder,
  stateText,
  t,
} from './labels';
import { fenToYuan } from './money';
import { DiffStateTag, KindTag } from './tags';
import type { DifferenceDetail, DifferenceEvent, SideRecord } from './types';

const when = (v: string | null | undefined) =>
  v ? new Date(v).toLocaleString('zh-CN', { hour12: false }) : '-';

/** Column words of what each side says (finance's vouchers, the counterparts' report lines). */
const fieldNames: Record<string, string> = {
  report: '报表',
  senderCode: '发送方',
  lineNo: '行号',
  vtCode: '凭证类型',
  voucherNo: '凭证号',
  oriVtCode: '原凭证类型',
  applicationId: '支付申请',
  agencyCode: '预算单位',
  expFuncCode: '功能科目',
  amount: '金额（元）',
  amountFen: '凭证金额（元）',
  paidFen: '回单支付金额（元）',
  paidOn: '支付日期',
  libraryStatus: '凭证库状态',
  state: '申请状态',
  refundNo: '退款通知书',
  refundFen: '退款金额（元）',
  refundOn: '退款日期',
  proState: '清算状态',
};
const hidden = new Set(['forDate']);
const fenFields = new Set(['amountFen', 'paidFen', 'refundFen']);

function cellOf(key: string, v: unknown) {
  if (v === null || v === undefined || v === '') return '-';
  if (fenFields.has(key))
    return <span className="fiscus-mono">{formatYuan(fenToYuan(BigInt(String(v))))}</span>;
  if (key === 'amount') return <span className="fiscus-mono">{formatYuan(String(v))}</span>;
  if (key === 'libraryStatus') return libraryStatusNames[String(v)] ?? String(v);
  if (key === 'state') return paymentStateText(String(v));
  if (key === 'proState') return String(v) === '1' ? '退回' : '正常';
  if (key === 'applicationId')
    return (
      <Link to={`/payments/${encodeURIComponent(String(v))}`} className="fiscus-mono">
        {String(v)}
      </Link>
    );
  return <span className="fiscus-mono">{String(v)}</span>;
}

/** What one party's records say about the difference's voucher. */
function Side({ party, rows }: { party: Party; rows: SideRecord[] }) {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((k) => !hidden.has(k));
  return (
    <Card
      size="small"
      type="inner"
      title={`${partyNames[party]}${party === 'finance' ? '（支付凭证与回单）' : '（对账报表明细）'}`}
      data-testid={`side-${party}`}
    >
      {rows.length === 0 ? (
        <Empty data-testid={`side-${party}-empty`} description={`${partyNames[party]}无此凭证的记录`} />
      ) : (
        <Table<SideRecord>
          size="small"
          bordered
          pagination={false}
          scroll={{ x: true }}
          rowKey={(r) => `${String(r.report ?? r.vtCode ?? '')}-${String(r.lineNo ?? r.voucherNo ?? '')}`}
          dataSource={rows}
          columns={keys.map((k) => ({
            title: fieldNames[k] ?? k,
            dataIndex: k,
            key: k,
            render: (v: unknown) => cellOf(k, v),
          }))}
        />
      )}
    </Card>
  );
}

function TrailItem({ e, self }: { e: DifferenceEvent; self: string }) {
  return (
    <Space direction="vertical" size={2} data-testid="trail-item" data-action={e.action}>
      <span>
        <Typography.Text strong>{eventNames[e.action] ?? e.action}</Typography.Text>{' '}
        <Typography.Text type="secondary">
          {e.actor} · {when(e.at)}
          {e.differenceId !== self ? `（沿用自 ${e.differenceId}）` : ''}
        </Typography.Text>
      </span>
      <Typography.Text type="secondary">
        {stateText(e.from)} → {stateText(e.to)}
      </Typography.Text>
      {e.text ? <span>{e.action === 'assign' ? `经办人：${e.text}` : e.text}</span> : null}
    </Space>
  );
}

/** /reconcile/differences/:id — 差异详情: what each side says, the disposition and its trail. */
export function DifferenceDetailPage() {
  const { id = '' } = useParams();
  const q = useDifference(id);
  if (q.isLoading) return <Spin />;
  if (q.error || !q.data)
    return (
      <Alert
        type="error"
        showIcon
        message={q.error instanceof ApiError ? q.error.body.message['zh-CN'] : zhCN.common.error}
      />
    );
  const d: DifferenceDetail = q.data;
  const back = `/reconcile/differences?${new URLSearchParams({ runId: d.runId, layer: d.layer, pair: d.pair })}`;
  const yuan = (v: string | null) =>
    v === null ? '-' : <span className="fiscus-mono">{formatYuan(v)}</span>;

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Card
        size="small"
        title={
          <Space>
            <Link to={back} aria-label="返回差异列表">
              <ArrowLeftOutlined />
            </Link>
            <span data-testid="page-title">{t.differenceDetail}</span>
            <Typography.Text className="fiscus-mono" data-testid="difference-id">
              {d.differenceId}
            </Typography.Text>
          </Space>
        }
        extra={<DifferenceActions d={d} />}
      >
        <Descriptions size="small" bordered column={3}>
          <Descriptions.Item label="对账日期">{d.date}</Descriptions.Item>
          <Descriptions.Item label="层级">
            {d.layer} {layerNames[d.layer as Layer]?.text ?? ''}
          </Descriptions.Item>
          <Descriptions.Item label="对账双方">{pairText(d.layer, d.pair)}</Descriptions.Item>
          <Descriptions.Item label="差异类型">
            <span data-testid="difference-kind">
              <KindTag kind={d.kind} />
            </span>
          </Descriptions.Item>
          <Descriptions.Item label="凭证">
            <span className="fiscus-mono" data-testid="difference-voucher">
              {d.voucherNo ? `${d.vtCode ? `${d.vtCode}/` : ''}${d.voucherNo}` : '-'}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label="差异方">{partyText(d.party)}</Descriptions.Item>
          <Descriptions.Item label="应为（元）">{yuan(d.expectedAmount)}</Descriptions.Item>
          <Descriptions.Item label="实为（元）">{yuan(d.actualAmount)}</Descriptions.Item>
          <Descriptions.Item label="处理状态">
            <span data-testid="difference-state">
              <DiffStateTag state={d.state} />
            </span>
          </Descriptions.Item>
          <Descriptions.Item label="差异说明" span={3}>
            <span data-testid="difference-detail">{d.detail['zh-CN']}</span>
          </Descriptions.Item>
          <Descriptions.Item label="经办人">
            <span data-testid="difference-assignee">{d.assignee ?? '-'}</span>
          </Descriptions.Item>
          <Descriptions.Item label="原因说明" span={2}>
            <span data-testid="difference-explanation">{d.explanation ?? '-'}</span>
            {d.explainedBy ? <Typography.Text type="secondary">（{d.explainedBy}）</Typography.Text> : null}
          </Descriptions.Item>
          <Descriptions.Item label="处理结果">
            {d.resolution
              ? (resolutionNames[d.resolution as keyof typeof resolutionNames] ?? d.resolution)
              : '-'}
          </Descriptions.Item>
          <Descriptions.Item label="处理说明" span={2}>
            {d.note ?? '-'}
            {d.resolvedBy ? <Typography.Text type="secondary">（{d.resolvedBy}）</Typography.Text> : null}
          </Descriptions.Item>
          <Descriptions.Item label="对账批次">
            <Link
              to={`/reconcile?${new URLSearchParams({ date: d.date, runId: d.runId })}`}
              className="fiscus-mono"
            >
              {d.runId}
            </Link>
          </Descriptions.Item>
          <Descriptions.Item label="对账项" span={2}>
            <Typography.Text className="fiscus-mono" style={{ fontSize: 12 }}>
              {d.itemKey}
            </Typography.Text>
            {d.carriedFrom ? (
              <Typography.Text type="secondary">（沿用自重跑前差异 {d.carriedFrom}）</Typography.Text>
            ) : null}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small" title="各方记录">
        {d.voucherNo ? (
          <Row gutter={[12, 12]}>
            {sideOrder.map((p) => (
              <Col span={24} key={p}>
                <Side party={p} rows={d.sides[p] ?? []} />
              </Col>
            ))}
          </Row>
        ) : (
          <Empty description="该差异为汇总项（非单张凭证），见差异说明" />
        )}
        {d.rejectedMessages.length > 0 ? (
          <Table
            data-testid="rejected-messages"
            style={{ marginTop: 12 }}
            size="small"
            bordered
            pagination={false}
            rowKey={(r) => `${r.sender}-${r.vtCode}-${r.voucherNo}-${r.receivedAt}`}
            title={() => '验签失败被拒收的报文'}
            dataSource={d.rejectedMessages}
            columns={[
              { title: '发送方', dataIndex: 'sender', render: (s: string) => partyText(s) },
              { title: '凭证类型', dataIndex: 'vtCode' },
              { title: '凭证号', dataIndex: 'voucherNo' },
              { title: '密钥', dataIndex: 'keyId', render: (v: string | null) => v ?? '-' },
              { title: '原因', dataIndex: 'reason' },
              { title: '收到时间', dataIndex: 'receivedAt', render: (v: string) => when(v) },
            ]}
          />
        ) : null}
      </Card>
      <Card size="small" title="处理轨迹">
        {d.events.length === 0 ? (
          <Empty description="尚未处理" />
        ) : (
          <div data-testid="difference-trail">
            <Timeline
              items={d.events.map((e) => ({
                key: `${e.differenceId}-${e.seq}`,
                color: e.to === 'resolved' ? 'green' : 'blue',
                children: <TrailItem e={e} self={d.differenceId} />,
              }))}
            />
          </div>
        )}
      </Card>
    </Space>
  );
}
