import { DeleteOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, DatePicker, Form, Input, List, Modal, Space, Typography, Upload } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { refusalText } from '../../api/commands';
import { useSession } from '../../session/session-context';
import { useMonitorCommand } from './api';
import {
  actionNames,
  actionRole,
  allowedActions,
  type DispositionAction,
  dangerActions,
  deadlineRule,
  opinionRequired,
} from './labels';
import { sha256Hex } from './sha256';
import type { Attachment, WarningItem } from './types';

interface Picked extends Attachment {
  uid: string;
}

/**
 * The disposition steps the user may take on one warning now, given its status and their
 * permissions: 监控岗 (monitor.dispose) 认定 / 问询 / 核实 / 认定违规 / 审核整改; the unit
 * (monitor.respond) 反馈 / 上报整改 with attachments whose SHA-256 is computed here.
 */
export function WarningActions({
  warning,
  size = 'middle',
}: {
  warning: WarningItem;
  size?: 'small' | 'middle';
}) {
  const { can } = useSession();
  const { message } = App.useApp();
  const run = useMonitorCommand();
  const [asking, setAsking] = useState<DispositionAction | null>(null);
  const [opinion, setOpinion] = useState('');
  const [deadline, setDeadline] = useState<Dayjs | null>(null);
  const [files, setFiles] = useState<Picked[]>([]);
  const [hashing, setHashing] = useState(0);
  const [refusal, setRefusal] = useState<string | null>(null);
  const actions = allowedActions(warning.status, can);
  if (actions.length === 0) return null;

  const reset = () => {
    setAsking(null);
    setOpinion('');
    setDeadline(null);
    setFiles([]);
    setRefusal(null);
  };

  const unit = asking !== null && actionRole[asking] === 'unit';
  const opinionName = asking ? opinionRequired[asking] : undefined;
  const deadlineNeed = asking ? deadlineRule[asking] : undefined;
  const missing =
    asking === null
      ? true
      : (opinionName !== undefined && opinion.trim() === '') ||
        (deadlineNeed === 'required' && deadline === null) ||
        (asking === 'reportRectified' && files.length === 0) ||
        hashing > 0;

  const submit = async () => {
    if (!asking) return;
    setRefusal(null);
    const text = opinion.trim();
    const payload: Record<string, unknown> = unit
      ? {
          warningId: warning.warningId,
          agencyCode: warning.agencyCode,
          action: asking,
          ...(text ? { opinion: text } : {}),
          attachments: files.map(({ name, sha256 }) => ({ name, sha256 })),
        }
      : {
          warningId: warning.warningId,
          action: asking,
          ...(text ? { opinion: text } : {}),
          ...(deadlineNeed && deadline ? { deadline: deadline.format('YYYY-MM-DD') } : {}),
        };
    try {
      await run.mutateAsync({ type: unit ? 'monitorWarning.respond' : 'monitorWarning.dispose', payload });
      message.success(`${actionNames[asking]} ${warning.warningId}`);
      reset();
    } catch (e) {
      // Kept open, so what was typed and picked is not lost; the refusal shows above the form.
      setRefusal(refusalText(e));
    }
  };

  return (
    <>
      <Space size={4} wrap data-testid="warning-actions">
        {actions.map((a) => (
          <Button
            key={a}
            size={size}
            type={dangerActions.has(a) ? 'default' : 'primary'}
            danger={dangerActions.has(a)}
            onClick={() => setAsking(a)}
          >
            {actionNames[a]}
          </Button>
        ))}
      </Space>
      <Modal
        open={asking !== null}
        title={asking ? `${actionNames[asking]} ${warning.warningId}` : ''}
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
          <Form.Item label={opinionName ?? (unit ? '说明' : '处理意见')} required={opinionName !== undefined}>
            <Input.TextArea
              aria-label={opinionName ?? (unit ? '说明' : '处理意见')}
              rows={3}
              maxLength={1000}
              value={opinion}
              placeholder={opinionName ? `请填写${opinionName}` : '可选'}
              onChange={(e) => setOpinion(e.target.value)}
            />
          </Form.Item>
          {deadlineNeed ? (
            <Form.Item
              label={asking === 'confirmViolation' ? '整改期限' : '答复期限'}
              required={deadlineNeed === 'required'}
            >
              <DatePicker
                aria-label="期限"
                value={deadline}
                onChange={(d) => setDeadline(d)}
                disabledDate={(d) => d.isBefore(dayjs(), 'day')}
                style={{ width: 200 }}
              />
            </Form.Item>
          ) : null}
          {unit ? (
            <Form.Item label="附件" required={asking === 'reportRectified'}>
              <Upload
                multiple
                showUploadList={false}
                beforeUpload={(file) => {
                  setHashing((n) => n + 1);
                  void sha256Hex(file)
                    .then((sha256) => setFiles((fs) => [...fs, { uid: file.uid, name: file.name, sha256 }]))
                    .catch(() => message.error(`无法读取文件 ${file.name}`))
                    .finally(() => setHashing((n) => n - 1));
                  return false;
                }}
              >
                <Button icon={<UploadOutlined />} loading={hashing > 0}>
                  选择附件
                </Button>
              </Upload>
              {files.length > 0 ? (
                <List
                  size="small"
                  data-testid="attachment-list"
                  style={{ marginTop: 8 }}
                  dataSource={files}
                  renderItem={(f) => (
                    <List.Item
                      actions={[
                        <Button
                          key="del"
                          size="small"
                          type="text"
                          icon={<DeleteOutlined />}
                          aria-label={`删除 ${f.name}`}
                          onClick={() => setFiles((fs) => fs.filter((x) => x.uid !== f.uid))}
                        />,
                      ]}
                    >
                      <Space direction="vertical" size={0}>
                        <span>{f.name}</span>
                        <Typography.Text type="secondary" className="fiscus-mono" style={{ fontSize: 12 }}>
                          SHA-256 {f.sha256}
                        </Typography.Text>
                      </Space>
                    </List.Item>
                  )}
                />
              ) : null}
            </Form.Item>
          ) : null}
        </Form>
      </Modal>
    </>
  );
}
