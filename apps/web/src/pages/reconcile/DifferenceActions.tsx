import { Alert, App, AutoComplete, Button, Form, Input, Modal, Select, Space } from 'antd';
import { useState } from 'react';
import { refusalText } from '../../api/commands';
import { useSession } from '../../session/session-context';
import { useReconcileCommand } from './api';
import {
  actionNames,
  allowedActions,
  type DispositionAction,
  type Resolution,
  resolutionNames,
} from './labels';
import type { DifferenceItem } from './types';

const commandOf: Record<DispositionAction, string> = {
  assign: 'reconcileDiff.assign',
  explain: 'reconcileDiff.explain',
  resolve: 'reconcileDiff.resolve',
};

/**
 * The disposition steps the user may take on one difference now: 指派 (reconcile.assign, while
 * nobody explained it), 说明 (the assignee, reconcile.explain), 处理完毕 (reconcile.resolve, not by
 * who explained it — the server refuses that with 不相容职务分离, shown in the dialog).
 */
export function DifferenceActions({ d }: { d: DifferenceItem }) {
  const { can, me } = useSession();
  const { message } = App.useApp();
  const run = useReconcileCommand();
  const [asking, setAsking] = useState<DispositionAction | null>(null);
  const [assignee, setAssignee] = useState('');
  const [text, setText] = useState('');
  const [resolution, setResolution] = useState<Resolution | undefined>(undefined);
  const [refusal, setRefusal] = useState<string | null>(null);
  const actions = allowedActions(d, can, me.username);
  if (actions.length === 0) return null;

  const reset = () => {
    setAsking(null);
    setAssignee('');
    setText('');
    setResolution(undefined);
    setRefusal(null);
  };
  const missing =
    asking === 'assign'
      ? assignee.trim() === ''
      : asking === 'explain'
        ? text.trim() === ''
        : asking === 'resolve'
          ? text.trim() === '' || !resolution
          : true;

  const submit = async () => {
    if (!asking) return;
    setRefusal(null);
    const payload =
      asking === 'assign'
        ? { differenceId: d.differenceId, assignee: assignee.trim() }
        : asking === 'explain'
          ? { differenceId: d.differenceId, explanation: text.trim() }
          : { differenceId: d.differenceId, resolution, note: text.trim() };
    try {
      await run.mutateAsync({ type: commandOf[asking], payload });
      message.success(`${actionNames[asking]} ${d.differenceId}`);
      reset();
    } catch (e) {
      setRefusal(refusalText(e));
    }
  };

  return (
    <>
      <Space size={4} data-testid="difference-actions">
        {actions.map((a) => (
          <Button
            key={a}
            type="primary"
            onClick={() => {
              reset();
              if (a === 'assign') setAssignee(d.assignee ?? me.username);
              setAsking(a);
            }}
          >
            {actionNames[a]}
          </Button>
        ))}
      </Space>
      <Modal
        open={asking !== null}
        title={asking ? `${actionNames[asking]} ${d.differenceId}` : ''}
        okText={asking ? actionNames[asking] : '确定'}
        okButtonProps={{ disabled: missing, loading: run.isPending }}
        onCancel={reset}
        onOk={() => void submit()}
        destroyOnHidden
      >
        {refusal ? (
          <Alert
            data-testid="command-error"
            type="error"
            showIcon
            message={refusal}
            style={{ marginBottom: 12 }}
          />
        ) : null}
        <Form layout="vertical">
          {asking === 'assign' ? (
            <Form.Item label="经办人（用户名）" required>
              <AutoComplete
                aria-label="经办人"
                value={assignee}
                onChange={(v: string) => setAssignee(v)}
                options={[...new Set([me.username, d.assignee].filter((x): x is string => !!x))].map((u) => ({
                  value: u,
                }))}
                placeholder="输入经办人用户名"
              />
            </Form.Item>
          ) : null}
          {asking === 'resolve' ? (
            <Form.Item label="处理结果" required>
              <Select
                aria-label="处理结果"
                value={resolution ?? null}
                onChange={(v: Resolution) => setResolution(v)}
                placeholder="选择处理结果"
                options={(Object.keys(resolutionNames) as Resolution[]).map((value) => ({
                  value,
                  label: resolutionNames[value],
                }))}
              />
            </Form.Item>
          ) : null}
          {asking === 'explain' || asking === 'resolve' ? (
            <Form.Item label={asking === 'explain' ? '差异原因说明' : '处理说明'} required>
              <Input.TextArea
                aria-label={asking === 'explain' ? '差异原因说明' : '处理说明'}
                rows={3}
                maxLength={2000}
                value={text}
                placeholder={asking === 'explain' ? '请说明差异原因' : '请填写处理说明'}
                onChange={(e) => setText(e.target.value)}
              />
            </Form.Item>
          ) : null}
        </Form>
      </Modal>
    </>
  );
}
