import {
  CheckOutlined,
  EditOutlined,
  RollbackOutlined,
  SendOutlined,
  StopOutlined,
  UndoOutlined,
} from '@ant-design/icons';
import { App, Button, Form, Input, Modal, Space } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { fmt } from '../../locales/format';
import { useSession } from '../../session/session-context';
import { refusalText, useCommand } from './api';
import { t } from './labels';
import type { DocumentItem } from './types';

/** A command that needs words from the user (退回 opinion, 作废 reason): asked in a modal. */
function ReasonModal({
  title,
  label,
  open,
  busy,
  onOk,
  onCancel,
}: {
  title: string;
  label: string;
  open: boolean;
  busy: boolean;
  onOk(text: string): void;
  onCancel(): void;
}) {
  const [form] = Form.useForm<{ text: string }>();
  return (
    <Modal
      title={title}
      open={open}
      okText="确定"
      cancelText="取消"
      confirmLoading={busy}
      destroyOnHidden
      onCancel={onCancel}
      onOk={() => form.validateFields().then((v) => onOk(v.text.trim()))}
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="text"
          label={label}
          rules={[{ required: true, whitespace: true, message: `请填写${label}` }]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount aria-label={label} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 审核通过 / 退回(意见): for a document waiting on the user (from the inbox). */
export function ApproveButtons({ doc, onDone }: { doc: DocumentItem; onDone?(): void }) {
  const run = useCommand();
  const { message } = App.useApp();
  const [returning, setReturning] = useState(false);
  const act = async (type: 'indicatorDoc.approve' | 'indicatorDoc.return', opinion?: string) => {
    try {
      await run.mutateAsync({ type, payload: { docId: doc.docId, ...(opinion ? { opinion } : {}) } });
      message.success(fmt(type === 'indicatorDoc.approve' ? t.approved : t.returned, { docId: doc.docId }));
      setReturning(false);
      onDone?.();
    } catch {
      // useCommand showed the server's message.
    }
  };
  return (
    <Space>
      <Button
        type="primary"
        size="small"
        icon={<CheckOutlined />}
        loading={run.isPending && !returning}
        onClick={() => act('indicatorDoc.approve')}
      >
        审核通过
      </Button>
      <Button size="small" danger icon={<RollbackOutlined />} onClick={() => setReturning(true)}>
        退回
      </Button>
      <ReasonModal
        title={`退回 ${doc.docId}`}
        label="退回意见"
        open={returning}
        busy={run.isPending}
        onOk={(text) => act('indicatorDoc.return', text)}
        onCancel={() => setReturning(false)}
      />
    </Space>
  );
}

/** 修改 / 送审 / 作废 for the preparer, 撤销 for the submitter; the server decides in the end. */
export function PreparerButtons({ doc, onError }: { doc: DocumentItem; onError(text: string | null): void }) {
  const { me, can } = useSession();
  const navigate = useNavigate();
  const run = useCommand();
  const { message } = App.useApp();
  const [voiding, setVoiding] = useState(false);
  if (!can('indicator.prepare')) return null;
  const mine = doc.preparedBy === me.username;
  const editable = mine && (doc.state === 'draft' || doc.state === 'returned');
  const act = async (type: string, done: string, extra: Record<string, unknown> = {}) => {
    onError(null);
    try {
      await run.mutateAsync({ type, payload: { docId: doc.docId, ...extra } });
      message.success(fmt(done, { docId: doc.docId }));
      setVoiding(false);
    } catch (e) {
      onError(refusalText(e));
    }
  };
  return (
    <Space>
      {editable && (
        <>
          <Button
            icon={<EditOutlined />}
            onClick={() => navigate(`/indicator-docs/new?docId=${encodeURIComponent(doc.docId)}`)}
          >
            修改
          </Button>
          <Button
            type="primary"
            icon={<SendOutlined />}
            loading={run.isPending}
            onClick={() => act('indicatorDoc.submit', t.submitted)}
          >
            送审
          </Button>
          <Button danger icon={<StopOutlined />} onClick={() => setVoiding(true)}>
            作废
          </Button>
        </>
      )}
      {doc.state === 'submitted' && doc.submittedBy === me.username && (
        <Button
          icon={<UndoOutlined />}
          loading={run.isPending}
          onClick={() => act('indicatorDoc.withdraw', t.withdrawn)}
        >
          撤销送审
        </Button>
      )}
      <ReasonModal
        title={`作废 ${doc.docId}`}
        label="作废原因"
        open={voiding}
        busy={run.isPending}
        onOk={(reason) => act('indicatorDoc.void', t.voided, { reason })}
        onCancel={() => setVoiding(false)}
      />
    </Space>
  );
}
