import { App, Button, Input, Modal, Space } from 'antd';
import { useState } from 'react';
import { refusalText } from '../../api/commands';
import { useSession } from '../../session/session-context';
import { usePaymentCommand } from './api';
import type { PaymentItem } from './types';

type Decision = 'return' | 'refuse';

/**
 * The steps the user may take on one application now: 单位审核 (payment.unitApprove), 审核通过 /
 * 退回 / 拒绝 (payment.review), 签章生成凭证 (payment.sign). A refusal goes to `onError`.
 */
export function PaymentActions({ app, onError }: { app: PaymentItem; onError(text: string | null): void }) {
  const { can } = useSession();
  const { message } = App.useApp();
  const run = usePaymentCommand();
  const [asking, setAsking] = useState<Decision | null>(null);
  const [opinion, setOpinion] = useState('');
  const ref = { applicationId: app.applicationId, agencyCode: app.agencyCode ?? '' };

  const act = async (type: string, payload: Record<string, unknown>, done: string) => {
    onError(null);
    try {
      await run.mutateAsync({ type, payload: { ...ref, ...payload } });
      message.success(`${done} ${app.applicationId}`);
      return true;
    } catch (e) {
      onError(refusalText(e));
      return false;
    }
  };

  const buttons = [];
  if (app.state === 'submitted' && can('payment.unitApprove'))
    buttons.push(
      <Button
        key="unit"
        size="small"
        type="primary"
        loading={run.isPending}
        onClick={() => void act('payment.unitApprove', {}, '单位审核通过')}
      >
        单位审核
      </Button>,
    );
  if (app.state === 'unitApproved' && can('payment.review'))
    buttons.push(
      <Button
        key="approve"
        size="small"
        type="primary"
        loading={run.isPending}
        onClick={() => void act('payment.review', { decision: 'approve' }, '已审核通过')}
      >
        审核通过
      </Button>,
      <Button key="return" size="small" onClick={() => setAsking('return')}>
        退回
      </Button>,
      <Button key="refuse" size="small" danger onClick={() => setAsking('refuse')}>
        拒绝
      </Button>,
    );
  if (app.state === 'approved' && can('payment.sign'))
    buttons.push(
      <Button
        key="sign"
        size="small"
        type="primary"
        loading={run.isPending}
        onClick={() => void act('payment.signVoucher', {}, '已签章生成凭证')}
      >
        签章生成凭证
      </Button>,
    );
  if (buttons.length === 0) return null;

  return (
    <>
      <Space size={4}>{buttons}</Space>
      <Modal
        open={asking !== null}
        title={asking === 'return' ? `退回 ${app.applicationId}` : `拒绝 ${app.applicationId}`}
        okText={asking === 'return' ? '退回' : '拒绝'}
        okButtonProps={{ disabled: asking === 'return' && opinion.trim() === '', loading: run.isPending }}
        onCancel={() => setAsking(null)}
        onOk={async () => {
          if (!asking) return;
          const ok = await act(
            'payment.review',
            { decision: asking, ...(opinion.trim() ? { opinion: opinion.trim() } : {}) },
            asking === 'return' ? '已退回' : '已拒绝',
          );
          if (ok) {
            setAsking(null);
            setOpinion('');
          }
        }}
      >
        <Input.TextArea
          aria-label="意见"
          rows={3}
          maxLength={500}
          value={opinion}
          placeholder={asking === 'return' ? '退回须填写意见' : '拒绝意见（可选）'}
          onChange={(e) => setOpinion(e.target.value)}
        />
      </Modal>
    </>
  );
}
