import { App, Button, Input, Modal, Space } from 'antd';
import { useState } from 'react';
import { refusalText } from '../../api/commands';
import { useSession } from '../../session/session-context';
import { CorrectButton } from '../clearing/Corrections';
import { type HoldDecision, holdDecisionNames } from '../monitor/labels';
import { usePaymentCommand } from './api';
import { useMonitoredCommand } from './monitored';
import type { PaymentItem } from './types';

type Decision = 'return' | 'refuse';

/** Commands that run 动态监控 and may ask for a 情况说明. */
const MONITORED = new Set(['payment.submit', 'payment.review']);

/**
 * The steps the user may take on one application now: 单位审核 (payment.unitApprove), 审核通过 /
 * 退回 / 拒绝 (payment.review), 签章生成凭证 (payment.sign), and on a payment held by monitoring
 * 放行 / 改正（退回修改）/ 禁止 (monitorHold.decide). A refusal goes to `onError`.
 */
export function PaymentActions({ app, onError }: { app: PaymentItem; onError(text: string | null): void }) {
  const { can } = useSession();
  const { message } = App.useApp();
  const run = usePaymentCommand();
  const monitored = useMonitoredCommand();
  const [asking, setAsking] = useState<Decision | null>(null);
  const [opinion, setOpinion] = useState('');
  const [hold, setHold] = useState<HoldDecision | null>(null);
  const [holdOpinion, setHoldOpinion] = useState('');
  const ref = { applicationId: app.applicationId, agencyCode: app.agencyCode ?? '' };
  const pending = run.isPending || monitored.isPending;

  const act = async (type: string, payload: Record<string, unknown>, done: string) => {
    onError(null);
    // monitorHold.decide names the application only; the server finds its agency.
    const body =
      type === 'monitorHold.decide'
        ? { applicationId: app.applicationId, ...payload }
        : { ...ref, ...payload };
    try {
      if (MONITORED.has(type)) await monitored.send(type, body);
      else await run.mutateAsync({ type, payload: body });
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
        loading={pending}
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
        loading={pending}
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
        loading={pending}
        onClick={() => void act('payment.signVoucher', {}, '已签章生成凭证')}
      >
        签章生成凭证
      </Button>,
    );
  if (app.state === 'held' && can('monitor.release'))
    buttons.push(
      <Button key="release" size="small" type="primary" onClick={() => setHold('release')}>
        {holdDecisionNames.release}
      </Button>,
      <Button key="correct" size="small" onClick={() => setHold('correct')}>
        {holdDecisionNames.correct}
      </Button>,
      <Button key="forbid" size="small" danger onClick={() => setHold('forbid')}>
        {holdDecisionNames.forbid}
      </Button>,
    );
  // 更正 (treasury division): re-code a paid application to another indicator; another approves.
  if (app.state === 'paid' && can('payment.correct'))
    buttons.push(<CorrectButton key="correct-paid" app={app} onError={onError} />);
  if (buttons.length === 0) return null;

  return (
    <>
      <Space size={4}>{buttons}</Space>
      {monitored.modal}
      <Modal
        open={asking !== null}
        title={asking === 'return' ? `退回 ${app.applicationId}` : `拒绝 ${app.applicationId}`}
        okText={asking === 'return' ? '退回' : '拒绝'}
        okButtonProps={{ disabled: asking === 'return' && opinion.trim() === '', loading: pending }}
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
      <Modal
        open={hold !== null}
        title={hold ? `${holdDecisionNames[hold]} ${app.applicationId}` : ''}
        okText={hold ? holdDecisionNames[hold] : '确定'}
        okButtonProps={{ disabled: holdOpinion.trim() === '', loading: pending, danger: hold === 'forbid' }}
        onCancel={() => setHold(null)}
        onOk={async () => {
          if (!hold) return;
          const ok = await act(
            'monitorHold.decide',
            { decision: hold, opinion: holdOpinion.trim() },
            `已${holdDecisionNames[hold]}`,
          );
          // A refusal closes the dialog too, so the page's alert with the server's words is seen.
          setHold(null);
          if (ok) setHoldOpinion('');
        }}
      >
        <Input.TextArea
          aria-label="处理意见"
          rows={3}
          maxLength={500}
          value={holdOpinion}
          placeholder="须填写处理意见"
          onChange={(e) => setHoldOpinion(e.target.value)}
        />
      </Modal>
    </>
  );
}
