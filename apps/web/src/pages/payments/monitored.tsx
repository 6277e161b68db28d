import { Alert, App, Input, Modal } from 'antd';
import { type ReactNode, useState } from 'react';
import { ApiError } from '../../api/client';
import { ruleActionNames } from '../monitor/labels';
import { usePaymentCommand } from './api';

interface MonitorResult {
  monitor?: { decision: string; warnings: unknown[] };
}

interface Asking {
  message: string;
  resolve(explanation: string | null): void;
}

/**
 * Payment commands that go through 动态监控 (payment.submit, payment.review): when a 预警需说明 rule
 * refuses with MONITOR_EXPLANATION_REQUIRED, the server's words are shown with a 情况说明 box and
 * the command is sent again with `explanation`; cancelling rejects with the original refusal.
 * After an accepted step, the warnings it raised are announced.
 */
export function useMonitoredCommand<R = Record<string, unknown>>(): {
  send(type: string, payload: Record<string, unknown>): Promise<R>;
  modal: ReactNode;
  isPending: boolean;
} {
  const run = usePaymentCommand<R>();
  const { message } = App.useApp();
  const [asking, setAsking] = useState<Asking | null>(null);
  const [text, setText] = useState('');

  const announce = (r: R) => {
    const m = (r as MonitorResult | null)?.monitor;
    if (m && m.warnings.length > 0)
      message.warning(
        `动态监控：触发预警 ${m.warnings.length} 条（${ruleActionNames[m.decision] ?? m.decision}）`,
      );
    return r;
  };

  const send = async (type: string, payload: Record<string, unknown>): Promise<R> => {
    try {
      return announce(await run.mutateAsync({ type, payload }));
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'MONITOR_EXPLANATION_REQUIRED')) throw e;
      const explanation = await new Promise<string | null>((resolve) =>
        setAsking({ message: e.body.message['zh-CN'], resolve }),
      );
      if (explanation === null) throw e;
      return announce(await run.mutateAsync({ type, payload: { ...payload, explanation } }));
    }
  };

  const close = (value: string | null) => {
    asking?.resolve(value);
    setAsking(null);
    setText('');
  };

  const modal = (
    <Modal
      open={asking !== null}
      title="动态监控预警：须填写情况说明"
      okText="提交说明并继续"
      okButtonProps={{ disabled: text.trim() === '', loading: run.isPending }}
      onCancel={() => close(null)}
      onOk={() => close(text.trim())}
    >
      <Alert
        data-testid="monitor-explanation-required"
        type="warning"
        showIcon
        message={asking?.message}
        style={{ marginBottom: 12 }}
      />
      <Input.TextArea
        aria-label="情况说明"
        rows={4}
        maxLength={1000}
        value={text}
        placeholder="请说明该笔支付的情况（如合同、审批依据），将随预警一并留存"
        onChange={(e) => setText(e.target.value)}
      />
    </Modal>
  );
  return { send, modal, isPending: run.isPending };
}
