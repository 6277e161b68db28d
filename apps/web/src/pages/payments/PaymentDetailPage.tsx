import { Alert, Card, Descriptions, Empty, Space, Spin, Table, Typography } from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { formatYuan } from '../../components/format';
import { zhCN } from '../../locales/zh-CN';
import { useSession } from '../../session/session-context';
import { correctionActionNames, PaymentCorrections } from '../clearing/Corrections';
import { usePayment, useVoucher } from './api';
import { actionNames, libraryStatusNames, payTypeNames, t } from './labels';
import { PaymentActions } from './PaymentActions';
import { payeeText, StateTag } from './PaymentListPage';
import { PaymentWarnings } from './PaymentWarnings';
import type { PaymentAction, PaymentDetail } from './types';

const when = (v: string | null | undefined) =>
  v ? new Date(v).toLocaleString('zh-CN', { hour12: false }) : '-';

function Voucher({ id }: { id: string }) {
  const v = useVoucher(id, true);
  if (v.isLoading) return <Spin />;
  if (!v.data) return <Empty description="暂无支付凭证" />;
  return (
    <Descriptions size="small" bordered column={2} data-testid="voucher">
      <Descriptions.Item label="凭证类型">
        <span data-testid="voucher-vtcode">{v.data.vtCode}</span>
      </Descriptions.Item>
      <Descriptions.Item label="凭证号">
        <span className="fiscus-mono" data-testid="voucher-no">
          {v.data.voucherNo}
        </span>
      </Descriptions.Item>
      <Descriptions.Item label="凭证库状态">
        <span data-testid="voucher-library-status">
          {libraryStatusNames[String(v.data.libraryStatus)] ?? String(v.data.libraryStatus)}
        </span>
      </Descriptions.Item>
      <Descriptions.Item label="签章人">{v.data.signedBy}</Descriptions.Item>
      <Descriptions.Item label="签章密钥">{v.data.keyId}</Descriptions.Item>
      <Descriptions.Item label="生成时间">{when(v.data.createdAt)}</Descriptions.Item>
    </Descriptions>
  );
}

/** /payments/:id — 支付详情: the application, its whole trail, its ledger entries and its voucher. */
export function PaymentDetailPage() {
  const { id = '' } = useParams();
  const d = usePayment(id);
  const { can } = useSession();
  const [error, setError] = useState<string | null>(null);

  if (d.isLoading) return <Spin />;
  if (d.error || !d.data)
    return (
      <Alert
        type="error"
        showIcon
        message={d.error instanceof ApiError ? d.error.body.message['zh-CN'] : zhCN.common.error}
      />
    );
  const p: PaymentDetail = d.data;
  // Every state after signing has a voucher (paid, returned or bounced by the bank).
  const signed = ['voucherSigned', 'paid', 'bankReturned', 'refunded'].includes(p.state);

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Card
        size="small"
        title={
          <span>
            <span data-testid="page-title">{t.detail}</span>{' '}
            <Typography.Text className="fiscus-mono" data-testid="application-id">
              {p.applicationId}
            </Typography.Text>
          </span>
        }
        extra={<PaymentActions app={p} onError={setError} />}
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
        {p.state === 'held' ? (
          <Alert
            data-testid="held-notice"
            type="warning"
            showIcon
            message="该笔支付被动态监控拦截，等待审核人放行、改正（退回修改）或禁止"
            style={{ marginBottom: 12 }}
          />
        ) : null}
        {p.state === 'refunded' ? (
          <Alert
            data-testid="refunded-notice"
            type="info"
            showIcon
            message="代理银行已退款（2203 退款通知书），见办理轨迹与记账分录"
            style={{ marginBottom: 12 }}
          />
        ) : null}
        <Descriptions size="small" bordered column={3}>
          <Descriptions.Item label="状态">
            <span data-testid="payment-state">
              <StateTag state={p.state} />
            </span>
          </Descriptions.Item>
          <Descriptions.Item label="预算单位">{p.agencyCode ?? '-'}</Descriptions.Item>
          <Descriptions.Item label="指标编号">
            <span className="fiscus-mono">{p.indicatorId}</span>
          </Descriptions.Item>
          <Descriptions.Item label="支付方式">{payTypeNames[p.payType] ?? p.payType}</Descriptions.Item>
          <Descriptions.Item label="金额（元）">
            <span className="fiscus-mono">{formatYuan(p.amount)}</span>
          </Descriptions.Item>
          <Descriptions.Item label="结算方式">{p.settlementMode}</Descriptions.Item>
          <Descriptions.Item label="收款人">{payeeText(p.payee)}</Descriptions.Item>
          <Descriptions.Item label="收款账户类型">
            {p.payeeAccountKind === 'payroll' ? '工资' : '其他'}
          </Descriptions.Item>
          <Descriptions.Item label="合同号">{p.contractNo ?? '-'}</Descriptions.Item>
          <Descriptions.Item label="用途" span={3}>
            {p.purpose}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <PaymentCorrections app={p} onError={setError} />
      {can('monitor.read') ? <PaymentWarnings applicationId={p.applicationId} /> : null}
      <Card size="small" title="办理轨迹">
        <Table<PaymentAction>
          data-testid="payment-trail"
          size="small"
          bordered
          rowKey={(r) => String(r.seq)}
          pagination={false}
          dataSource={p.actions}
          columns={[
            { title: '序号', dataIndex: 'seq', width: 60 },
            {
              title: '操作',
              dataIndex: 'action',
              render: (a: string) => actionNames[a] ?? correctionActionNames[a] ?? a,
            },
            { title: '经办人', dataIndex: 'actor' },
            { title: '时间', dataIndex: 'at', render: (v: string) => when(v) },
            { title: '意见', dataIndex: 'opinion', render: (v: string | null) => v ?? '-' },
          ]}
        />
      </Card>
      <Card size="small" title="记账分录">
        <Table
          data-testid="payment-ledger"
          size="small"
          bordered
          rowKey="entryId"
          pagination={false}
          dataSource={p.ledger}
          locale={{ emptyText: <Empty description="暂无记账" /> }}
          columns={[
            { title: '分录号', dataIndex: 'entryId' },
            { title: '场景', dataIndex: 'scenario' },
            { title: '业务日期', dataIndex: 'date', render: (v: string) => String(v).slice(0, 10) },
            {
              title: '金额（元）',
              dataIndex: 'amount',
              align: 'right',
              render: (v: string) => <span className="fiscus-mono">{formatYuan(v)}</span>,
            },
            { title: '命令', dataIndex: 'command' },
          ]}
        />
      </Card>
      <Card size="small" title="支付凭证">
        {signed ? <Voucher id={p.applicationId} /> : <Empty description="签章后生成支付凭证" />}
      </Card>
    </Space>
  );
}
