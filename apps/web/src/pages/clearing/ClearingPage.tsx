import { FileDoneOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Empty,
  Popconfirm,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { refusalText } from '../../api/commands';
import { formatYuan } from '../../components/format';
import { useScope } from '../../scope/scope-context';
import { useSession } from '../../session/session-context';
import {
  lineKindNames,
  noticeStateNames,
  payTypeCodeNames,
  type QuotaBalance,
  type QuotaLine,
  type QuotaNotice,
  quotaVtNames,
  useIssueQuotas,
  useQuotaBalances,
  useQuotaNotices,
} from './api';

const yuan = (v: string | null) => (v === null ? '-' : <span className="fiscus-mono">{formatYuan(v)}</span>);
const partyWords: Record<string, string> = { pboc: '人民银行', bank: '代理银行' };

function Receipts({ n }: { n: QuotaNotice }) {
  const parties = ['pboc', 'bank'];
  return (
    <Space size={2} wrap>
      {parties.map((p) => {
        const r = n.receipts?.[p];
        return r ? (
          <Tooltip key={p} title={r.addWord ?? r.checkResult ?? ''}>
            <Tag color="success">{partyWords[p]}已回单</Tag>
          </Tooltip>
        ) : (
          <Tag key={p}>{partyWords[p]}未回单</Tag>
        );
      })}
    </Space>
  );
}

function Lines({ lines }: { lines: QuotaLine[] }) {
  return (
    <Table<QuotaLine>
      data-testid="quota-lines"
      size="small"
      bordered
      pagination={false}
      rowKey="lineNo"
      dataSource={lines}
      columns={[
        { title: '行号', dataIndex: 'lineNo', width: 60 },
        {
          title: '类型',
          dataIndex: 'kind',
          render: (k: string) => (
            <Tag color={lineKindNames[k]?.color ?? 'default'}>{lineKindNames[k]?.text ?? k}</Tag>
          ),
        },
        {
          title: '支付凭证号',
          dataIndex: 'payVoucherNo',
          render: (v: string, l) => (
            <span className="fiscus-mono">
              {l.oriVtCode}/{v}
            </span>
          ),
        },
        {
          title: '来源',
          key: 'source',
          render: (_, l) => (
            <span className="fiscus-mono">
              {l.sourceVtCode}/{l.sourceNo}
            </span>
          ),
        },
        {
          title: '预算单位',
          key: 'agency',
          render: (_, l) => `${l.coding.agencyCode ?? ''} ${l.coding.agencyName ?? ''}`.trim() || '-',
        },
        {
          title: '功能科目',
          key: 'expFunc',
          render: (_, l) => `${l.coding.expFuncCode ?? ''} ${l.coding.expFuncName ?? ''}`.trim() || '-',
        },
        { title: '金额（元）', dataIndex: 'amount', align: 'right', render: yuan },
      ]}
    />
  );
}

/**
 * /clearing — 清算额度: the quota notices (5108 直接支付 / 5106 授权支付) of a pay date with their
 * lines and send / receipt state, the year's quota balances per agent bank × pay type, and
 * 生成清算额度通知单 (clearing.issueQuotas) for who may issue them.
 */
export function ClearingPage() {
  const [params, setParams] = useSearchParams();
  const date = params.get('date') ?? dayjs().format('YYYY-MM-DD');
  const { year } = useScope();
  const { can } = useSession();
  const { message } = App.useApp();
  const notices = useQuotaNotices(date);
  const balances = useQuotaBalances(year);
  const issue = useIssueQuotas();
  const [error, setError] = useState<string | null>(null);

  const go = async () => {
    setError(null);
    try {
      const r = await issue.mutateAsync(date);
      message.success(
        r.notices.length === 0
          ? `${date} 没有新的已支付、退款或更正凭证，未生成通知单`
          : `已生成 ${r.notices.length} 张清算额度通知单`,
      );
    } catch (e) {
      setError(refusalText(e));
    }
  };

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Card
        size="small"
        title={<span data-testid="page-title">清算额度</span>}
        extra={
          <Space>
            <span>支付日期</span>
            <DatePicker
              aria-label="支付日期"
              allowClear={false}
              value={dayjs(date)}
              onChange={(d) => {
                setError(null);
                if (d) setParams({ date: d.format('YYYY-MM-DD') });
              }}
            />
            {can('clearing.issue') ? (
              <Popconfirm
                title={`生成并签章 ${date} 的清算额度通知单，发送人民银行和代理银行？`}
                okText="生成"
                onConfirm={() => void go()}
              >
                <Button type="primary" icon={<FileDoneOutlined />} loading={issue.isPending}>
                  生成清算额度通知单
                </Button>
              </Popconfirm>
            ) : null}
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
        <Table<QuotaNotice>
          data-testid="quota-notices"
          size="small"
          bordered
          rowKey={(n) => `${n.vtCode}/${n.voucherNo}`}
          loading={notices.isFetching}
          dataSource={notices.data?.rows ?? []}
          pagination={false}
          locale={{ emptyText: <Empty description={`${date} 尚无清算额度通知单`} /> }}
          expandable={{ expandedRowRender: (n) => <Lines lines={n.lines} /> }}
          columns={[
            { title: '通知单', dataIndex: 'vtCode', render: (v: string) => quotaVtNames[v] ?? v },
            {
              title: '通知单号',
              dataIndex: 'voucherNo',
              render: (v: string) => <span className="fiscus-mono">{v}</span>,
            },
            {
              title: '代理银行',
              key: 'bank',
              render: (_, n) => `${n.bankCode} ${n.lines[0]?.coding.payBankName ?? ''}`.trim(),
            },
            { title: '支付日期', dataIndex: 'payDate' },
            { title: '明细', key: 'lines', render: (_, n) => `${n.lines.length} 行` },
            { title: '金额（元）', dataIndex: 'amount', align: 'right', render: yuan },
            {
              title: '发送状态',
              dataIndex: 'state',
              render: (s: string) => (
                <Tag color={noticeStateNames[s]?.color ?? 'default'} data-state={s}>
                  {noticeStateNames[s]?.text ?? s}
                </Tag>
              ),
            },
            { title: '回单', key: 'receipts', render: (_, n) => <Receipts n={n} /> },
          ]}
        />
      </Card>
      <Card size="small" title={`${year} 年度清算额度余额`}>
        <Table<QuotaBalance>
          data-testid="quota-balances"
          size="small"
          bordered
          rowKey={(b) => `${b.vtCode}/${b.bankCode}/${b.payTypeCode}`}
          loading={balances.isFetching}
          dataSource={balances.data?.rows ?? []}
          pagination={false}
          locale={{ emptyText: <Empty description="尚未下达清算额度" /> }}
          columns={[
            { title: '代理银行', dataIndex: 'bankCode' },
            {
              title: '支付方式',
              dataIndex: 'payTypeCode',
              render: (v: string) => payTypeCodeNames[v] ?? v,
            },
            { title: '通知单类型', dataIndex: 'vtCode' },
            { title: '通知单数', dataIndex: 'notices', align: 'right' },
            { title: '已下达额度（元）', dataIndex: 'issued', align: 'right', render: yuan },
            { title: '已清算（元）', dataIndex: 'cleared', align: 'right', render: yuan },
            {
              title: '额度余额（元）',
              dataIndex: 'balance',
              align: 'right',
              render: (v: string | null) =>
                v === null ? <Typography.Text type="secondary">待对账</Typography.Text> : yuan(v),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
