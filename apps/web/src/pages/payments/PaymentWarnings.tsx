import { Card, Empty, Table, Typography } from 'antd';
import { Link } from 'react-router';
import { useWarnings } from '../monitor/api';
import { ruleActionNames } from '../monitor/labels';
import { LevelTag, OverdueMarks, WarningStatusTag } from '../monitor/tags';
import type { WarningItem } from '../monitor/types';

/** 动态监控预警 of one application (GET /monitor/warnings?applicationId=), for readers of monitoring. */
export function PaymentWarnings({ applicationId }: { applicationId: string }) {
  const w = useWarnings({ applicationId }, 1, 100);
  return (
    <Card size="small" title="动态监控预警">
      <Table<WarningItem>
        data-testid="payment-warnings"
        size="small"
        bordered
        rowKey="warningId"
        pagination={false}
        loading={w.isLoading}
        dataSource={w.data?.rows ?? []}
        locale={{ emptyText: <Empty description="未触发监控预警" /> }}
        columns={[
          {
            title: '预警编号',
            dataIndex: 'warningId',
            render: (id: string) => (
              <Link to={`/monitor/warnings/${encodeURIComponent(id)}`} className="fiscus-mono">
                {id}
              </Link>
            ),
          },
          { title: '级别', dataIndex: 'level', render: (l: string) => <LevelTag level={l} /> },
          {
            title: '监控规则',
            dataIndex: 'ruleName',
            render: (n: string | null, r) => (
              <span>
                {n ?? r.ruleCode}{' '}
                <Typography.Text type="secondary" className="fiscus-mono" style={{ fontSize: 12 }}>
                  {r.ruleCode}
                </Typography.Text>
              </span>
            ),
          },
          { title: '处理方式', dataIndex: 'action', render: (a: string) => ruleActionNames[a] ?? a },
          { title: '预警信息', dataIndex: 'message', render: (m: WarningItem['message']) => m['zh-CN'] },
          { title: '情况说明', dataIndex: 'explanation', render: (v: string | null) => v ?? '-' },
          {
            title: '处置状态',
            dataIndex: 'status',
            render: (s: string, r) => (
              <>
                <WarningStatusTag status={s} />
                <OverdueMarks overdue={r.overdue} escalation={r.escalation} deadline={r.deadline} />
              </>
            ),
          },
          { title: '预警日期', dataIndex: 'raisedOn' },
        ]}
      />
    </Card>
  );
}
