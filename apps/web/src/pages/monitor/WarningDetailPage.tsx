import { PaperClipOutlined } from '@ant-design/icons';
import { Alert, Card, Descriptions, Empty, Space, Spin, Timeline, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { formatYuan } from '../../components/format';
import { zhCN } from '../../locales/zh-CN';
import { useWarning } from './api';
import { closedStatuses, eventNames, ruleActionNames, statusText, t, triggerNames } from './labels';
import { LevelTag, OverdueMarks, WarningStatusTag } from './tags';
import type { WarningEvent } from './types';
import { WarningActions } from './WarningActions';

const when = (v: string) => new Date(v).toLocaleString('zh-CN', { hour12: false });

const eventColor = (e: WarningEvent) => {
  if (e.action === 'raise') return 'red';
  if (e.action === 'escalate') return 'magenta';
  if (e.toStatus && closedStatuses.has(e.toStatus) && e.fromStatus !== e.toStatus) return 'green';
  return 'blue';
};

/** One step of the trail: what was done, by whom and when, the move, the opinion and attachments. */
function TrailItem({ e }: { e: WarningEvent }) {
  const moved = e.fromStatus !== e.toStatus && e.toStatus;
  return (
    <Space direction="vertical" size={2} data-testid="trail-item" data-action={e.action}>
      <span>
        <Typography.Text strong>{eventNames[e.action] ?? e.action}</Typography.Text>{' '}
        <Typography.Text type="secondary">
          {e.actor} · {when(e.at)}
        </Typography.Text>
      </span>
      {moved ? (
        <Typography.Text type="secondary">
          {e.fromStatus ? `${statusText(e.fromStatus)} → ` : ''}
          {statusText(e.toStatus ?? '')}
        </Typography.Text>
      ) : null}
      {e.opinion ? <span>{e.opinion}</span> : null}
      {(e.attachments ?? []).map((a) => (
        <Typography.Text key={a.sha256 + a.name} style={{ fontSize: 12 }}>
          <PaperClipOutlined /> {a.name}{' '}
          <Typography.Text type="secondary" className="fiscus-mono" copyable={{ text: a.sha256 }}>
            SHA-256 {a.sha256.slice(0, 16)}…
          </Typography.Text>
        </Typography.Text>
      ))}
    </Space>
  );
}

/** /monitor/warnings/:id — 预警详情: what the rule saw, the disposition trail and the next steps. */
export function WarningDetailPage() {
  const { id = '' } = useParams();
  const d = useWarning(id);

  if (d.isLoading) return <Spin />;
  if (d.error || !d.data)
    return (
      <Alert
        type="error"
        showIcon
        message={d.error instanceof ApiError ? d.error.body.message['zh-CN'] : zhCN.common.error}
      />
    );
  const w = d.data;

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Card
        size="small"
        title={
          <span>
            <span data-testid="page-title">{t.warningDetail}</span>{' '}
            <Typography.Text className="fiscus-mono" data-testid="warning-id">
              {w.warningId}
            </Typography.Text>
          </span>
        }
        extra={<WarningActions warning={w} />}
      >
        <Descriptions size="small" bordered column={3}>
          <Descriptions.Item label="预警级别">
            <LevelTag level={w.level} />
          </Descriptions.Item>
          <Descriptions.Item label="处置状态">
            <span data-testid="warning-status">
              <WarningStatusTag status={w.status} />
            </span>
            <OverdueMarks overdue={w.overdue} escalation={w.escalation} deadline={w.deadline} />
          </Descriptions.Item>
          <Descriptions.Item label="期限">{w.deadline ?? '-'}</Descriptions.Item>
          <Descriptions.Item label="监控规则" span={2}>
            {w.ruleName ?? w.ruleCode}{' '}
            <Typography.Text type="secondary" className="fiscus-mono">
              {w.ruleCode} v{w.ruleVersion}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label="处理方式">
            {ruleActionNames[w.action] ?? w.action}（{triggerNames[w.trigger] ?? w.trigger}）
          </Descriptions.Item>
          <Descriptions.Item label="预警信息" span={3}>
            <span data-testid="warning-message">{w.message['zh-CN']}</span>
          </Descriptions.Item>
          <Descriptions.Item label="预算单位">
            {w.agencyCode}
            {w.agencyName ? ` ${w.agencyName}` : ''}
          </Descriptions.Item>
          <Descriptions.Item label="金额（元）">
            <span className="fiscus-mono">{formatYuan(w.amount)}</span>
          </Descriptions.Item>
          <Descriptions.Item label="支付申请">
            {w.applicationId ? (
              <Link to={`/payments/${encodeURIComponent(w.applicationId)}`} className="fiscus-mono">
                {w.applicationId}
              </Link>
            ) : (
              '-'
            )}
          </Descriptions.Item>
          <Descriptions.Item label="指标编号">
            <span className="fiscus-mono">{w.indicatorId ?? '-'}</span>
          </Descriptions.Item>
          <Descriptions.Item label="问询单号">
            <span className="fiscus-mono">{w.inquiryNo ?? '-'}</span>
          </Descriptions.Item>
          <Descriptions.Item label="认定违规">{w.violation ? '是' : '否'}</Descriptions.Item>
          <Descriptions.Item label="预警日期">{w.raisedOn}</Descriptions.Item>
          <Descriptions.Item label="办结日期">{w.closedOn ?? '-'}</Descriptions.Item>
          <Descriptions.Item label="情况说明">{w.explanation ?? '-'}</Descriptions.Item>
          <Descriptions.Item label="规则条件" span={3}>
            <Typography.Text code>{w.condition}</Typography.Text>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small" title="处置轨迹">
        {w.events.length === 0 ? (
          <Empty />
        ) : (
          <div data-testid="warning-trail">
            <Timeline
              items={w.events.map((e) => ({
                key: String(e.seq),
                color: eventColor(e),
                children: <TrailItem e={e} />,
              }))}
            />
          </div>
        )}
      </Card>
    </Space>
  );
}
