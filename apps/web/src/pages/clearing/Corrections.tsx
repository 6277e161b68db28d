import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Modal, Table, Tag } from 'antd';
import { useState } from 'react';
import { refusalText, sendCommand } from '../../api/commands';
import { formatYuan } from '../../components/format';
import { useScope } from '../../scope/scope-context';
import { useSession } from '../../session/session-context';
import { IndicatorSelect } from '../indicators/pickers';
import { type Correction, correctionStateNames, useCorrections } from './api';

/** Trail words of the correction steps (payments.application_action.action). */
export const correctionActionNames: Record<string, string> = {
  correctPrepare: '支付更正（制单）',
  correctApprove: '支付更正（审批）',
};

interface PaidApp {
  applicationId: string;
  agencyCode: string | null;
  indicatorId: string;
  state: string;
}

/** payment.correct / payment.approveCorrection in the current region and year. */
function useCorrectionCommand() {
  const { region, year } = useScope();
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ type, payload }: { type: string; payload: unknown }) =>
      sendCommand<Record<string, unknown>>(region, year, type, payload),
    onSuccess: () => {
      for (const key of ['payment-corrections', 'payment', 'payments', 'indicators', 'indicator-options'])
        client.invalidateQueries({ queryKey: [key] });
    },
    meta: { silent: true },
  });
}

/**
 * 更正 on a paid application (payment.correct, the treasury division): re-code it to another
 * executable indicator, with a reason; another person approves it. A refusal goes to `onError`.
 */
export function CorrectButton({ app, onError }: { app: PaidApp; onError(text: string | null): void }) {
  const { message } = App.useApp();
  const run = useCorrectionCommand();
  const [open, setOpen] = useState(false);
  const [to, setTo] = useState<string | undefined>(undefined);
  const [reason, setReason] = useState('');
  const close = () => {
    setOpen(false);
    setTo(undefined);
    setReason('');
  };
  const submit = async () => {
    onError(null);
    try {
      const r = await run.mutateAsync({
        type: 'payment.correct',
        payload: {
          applicationId: app.applicationId,
          agencyCode: app.agencyCode ?? '',
          to: { indicatorId: to },
          reason: reason.trim(),
        },
      });
      message.success(`已提交更正 ${String(r.correctionId ?? '')}，待审批`);
      close();
    } catch (e) {
      // Closed, so the page's alert with the server's words is seen.
      onError(refusalText(e));
      close();
    }
  };
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)}>
        更正
      </Button>
      <Modal
        open={open}
        title={`支付更正 ${app.applicationId}`}
        okText="提交更正"
        okButtonProps={{ disabled: !to || reason.trim() === '', loading: run.isPending }}
        onCancel={close}
        onOk={() => void submit()}
        destroyOnHidden
      >
        <Form layout="vertical">
          <Form.Item label="原指标">
            <span className="fiscus-mono">{app.indicatorId}</span>
          </Form.Item>
          <Form.Item label="更正后指标" required>
            <IndicatorSelect
              aria-label="更正后指标"
              pool="executable"
              value={to ?? null}
              onChange={(v: string | undefined) => setTo(v ?? undefined)}
              style={{ width: '100%' }}
            />
          </Form.Item>
          <Form.Item label="更正原因" required>
            <Input.TextArea
              aria-label="更正原因"
              rows={3}
              maxLength={500}
              value={reason}
              placeholder="如：经济分类录入错误"
              onChange={(e) => setReason(e.target.value)}
            />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

/**
 * 支付更正 of an application: each correction with its state; a pending one offers 审批更正
 * (payment.approveCorrection) — the preparer is refused by the server (不相容职务分离).
 */
export function PaymentCorrections({ app, onError }: { app: PaidApp; onError(text: string | null): void }) {
  const { can } = useSession();
  const { message } = App.useApp();
  const q = useCorrections(app.applicationId, can('clearing.read'));
  const run = useCorrectionCommand();
  const [approving, setApproving] = useState<Correction | null>(null);
  const [opinion, setOpinion] = useState('');
  const rows = q.data?.rows ?? [];
  if (rows.length === 0) return null;

  const approve = async () => {
    if (!approving) return;
    onError(null);
    try {
      const r = await run.mutateAsync({
        type: 'payment.approveCorrection',
        payload: {
          correctionId: approving.correctionId,
          agencyCode: app.agencyCode ?? '',
          ...(opinion.trim() ? { opinion: opinion.trim() } : {}),
        },
      });
      message.success(`更正已审批，生成更正凭证 ${String(r.vtCode ?? '')} ${String(r.voucherNo ?? '')}`);
    } catch (e) {
      onError(refusalText(e));
    }
    setApproving(null);
    setOpinion('');
  };

  return (
    <Card size="small" title="支付更正">
      <Table<Correction>
        data-testid="payment-corrections"
        size="small"
        bordered
        rowKey="correctionId"
        pagination={false}
        dataSource={rows}
        columns={[
          {
            title: '更正编号',
            dataIndex: 'correctionId',
            render: (v: string) => <span className="fiscus-mono">{v}</span>,
          },
          {
            title: '状态',
            dataIndex: 'state',
            render: (s: string) => (
              <Tag color={correctionStateNames[s]?.color ?? 'default'} data-state={s}>
                {correctionStateNames[s]?.text ?? s}
              </Tag>
            ),
          },
          {
            title: '原指标',
            dataIndex: 'from',
            render: (v: string) => <span className="fiscus-mono">{v}</span>,
          },
          {
            title: '更正后指标',
            dataIndex: 'to',
            render: (v: string) => <span className="fiscus-mono">{v}</span>,
          },
          {
            title: '金额（元）',
            dataIndex: 'amount',
            align: 'right',
            render: (v: string) => <span className="fiscus-mono">{formatYuan(v)}</span>,
          },
          { title: '制单人', dataIndex: 'preparedBy' },
          { title: '审批人', dataIndex: 'approvedBy', render: (v: string | null) => v ?? '-' },
          {
            title: '更正凭证',
            key: 'voucher',
            render: (_, c) =>
              c.voucherNo ? (
                <span className="fiscus-mono">
                  {c.vtCode}/{c.voucherNo}
                </span>
              ) : (
                '-'
              ),
          },
          {
            title: '操作',
            key: 'op',
            render: (_, c) =>
              c.state === 'prepared' && can('payment.approveCorrection') ? (
                <Button size="small" type="primary" onClick={() => setApproving(c)}>
                  审批更正
                </Button>
              ) : null,
          },
        ]}
      />
      <Modal
        open={approving !== null}
        title={approving ? `审批更正 ${approving.correctionId}` : ''}
        okText="审批通过"
        okButtonProps={{ loading: run.isPending }}
        onCancel={() => setApproving(null)}
        onOk={() => void approve()}
        destroyOnHidden
      >
        {approving ? (
          <p>
            将支付申请 {app.applicationId} 的 {formatYuan(approving.amount)} 元由指标 {approving.from} 更正至{' '}
            {approving.to}，生成并签章更正凭证发送代理银行和人民银行。
          </p>
        ) : null}
        <Input.TextArea
          aria-label="审批意见"
          rows={3}
          maxLength={500}
          value={opinion}
          placeholder="审批意见（可选）"
          onChange={(e) => setOpinion(e.target.value)}
        />
      </Modal>
    </Card>
  );
}
