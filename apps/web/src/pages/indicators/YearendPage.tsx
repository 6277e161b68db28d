import { PlayCircleOutlined, ReloadOutlined, RollbackOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Popconfirm, Progress, Row, Space, Statistic, Table, Tag } from 'antd';
import type { ApiError } from '../../api/client';
import { useScope } from '../../scope/scope-context';
import { useSession } from '../../session/session-context';
import { useYearendActions, useYearendPreview, useYearendRuns, type YearendRun } from './yearend-api';

const stateNames: Record<string, { text: string; color: string }> = {
  running: { text: '进行中', color: 'processing' },
  completed: { text: '已完成', color: 'success' },
  reversing: { text: '冲销中', color: 'warning' },
  reversed: { text: '已冲销', color: 'default' },
};
const actionNames: Record<string, string> = { carry: '结转', lapse: '结余收回' };
const poolNames: Record<string, string> = { executable: '可执行', unallocated: '待分' };

/**
 * /yearend — 年终结转: a preview of what the run would carry into next year and lapse (nothing
 * posted), then the run itself with its progress, and the reversal of a whole run.
 */
export function YearendPage() {
  const { year } = useScope();
  const { can } = useSession();
  const preview = useYearendPreview();
  const runs = useYearendRuns();
  const { start, reverse } = useYearendActions();
  const p = preview.data;
  const driving = runs.data?.driving;
  const mayRun = can('indicator.yearend');
  const failure = (start.error ?? reverse.error) as ApiError | null;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card
        size="small"
        title={
          <Space>
            <span data-testid="page-title">年终结转</span>
            <Tag>
              {year} → {year + 1}
            </Tag>
          </Space>
        }
        extra={
          <Space>
            <Button icon={<ReloadOutlined />} loading={preview.isFetching} onClick={() => preview.refetch()}>
              重新预览
            </Button>
            {mayRun && (
              <Popconfirm
                title={`按当前政策结转 ${year} 年度未用指标？`}
                description="分批执行，可中断后继续；整批可冲销。"
                onConfirm={() => start.mutate()}
                okText="开始"
                cancelText="取消"
              >
                <Button
                  type="primary"
                  icon={<PlayCircleOutlined />}
                  loading={start.isPending || Boolean(driving?.running)}
                  disabled={!p?.nextYearOpen}
                  data-testid="yearend-start"
                >
                  {p?.unfinishedRun ? '继续结转' : '开始结转'}
                </Button>
              </Popconfirm>
            )}
          </Space>
        }
      >
        {p && !p.nextYearOpen && (
          <Alert
            type="warning"
            showIcon
            data-testid="next-year-closed"
            message={`${year + 1} 年度尚未开启：请先开启下一年度并装入代码集`}
          />
        )}
        {failure && <Alert type="error" showIcon message={failure.message} style={{ marginTop: 8 }} />}
        {driving?.error && (
          <Alert type="error" showIcon message={`上次执行中止：${driving.error}`} style={{ marginTop: 8 }} />
        )}
        <Row gutter={16} style={{ marginTop: 12 }}>
          <Col span={6}>
            <Statistic title="将结转（笔）" value={p?.carry.count ?? '-'} />
          </Col>
          <Col span={6}>
            <div data-testid="preview-carry">
              <Statistic title="将结转（元）" value={p?.carry.amount ?? '-'} />
            </div>
          </Col>
          <Col span={6}>
            <Statistic title="将收回（笔）" value={p?.lapse.count ?? '-'} />
          </Col>
          <Col span={6}>
            <Statistic title="将收回（元）" value={p?.lapse.amount ?? '-'} />
          </Col>
        </Row>
        <Table
          style={{ marginTop: 12 }}
          size="small"
          bordered
          rowKey={(r) => `${r.fundTypeCode}:${r.pool}:${r.action}`}
          dataSource={p?.byFundType ?? []}
          pagination={false}
          columns={[
            { title: '资金性质', dataIndex: 'fundTypeCode' },
            { title: '指标状态', dataIndex: 'pool', render: (p: string) => poolNames[p] ?? p },
            { title: '处理', dataIndex: 'action', render: (a: string) => actionNames[a] ?? a },
            { title: '笔数', dataIndex: 'count', align: 'right' },
            { title: '金额（元）', dataIndex: 'amount', align: 'right' },
          ]}
        />
      </Card>
      <Card size="small" title="结转批次">
        <Table<YearendRun>
          size="small"
          bordered
          rowKey="runId"
          loading={runs.isFetching && !runs.data}
          dataSource={runs.data?.runs ?? []}
          pagination={false}
          columns={[
            { title: '批次', dataIndex: 'runId' },
            {
              title: '状态',
              dataIndex: 'state',
              render: (s: string) => (
                <Tag color={stateNames[s]?.color ?? 'default'}>{stateNames[s]?.text ?? s}</Tag>
              ),
            },
            {
              title: '进度',
              render: (_: unknown, r) => (
                <Progress
                  percent={Math.round(r.progress * 100)}
                  size="small"
                  format={() => `${r.processed}/${r.plannedCount}`}
                />
              ),
            },
            { title: '已结转（元）', render: (_: unknown, r) => r.carried.amount, align: 'right' },
            { title: '已收回（元）', render: (_: unknown, r) => r.lapsed.amount, align: 'right' },
            { title: '复制单位', dataIndex: 'agenciesCopied', align: 'right' },
            {
              title: '操作',
              render: (_: unknown, r) =>
                mayRun && r.state === 'completed' ? (
                  <Popconfirm
                    title="冲销整批结转？"
                    onConfirm={() => reverse.mutate(r.runId)}
                    okText="冲销"
                    cancelText="取消"
                  >
                    <Button size="small" danger icon={<RollbackOutlined />} loading={reverse.isPending}>
                      冲销
                    </Button>
                  </Popconfirm>
                ) : null,
            },
          ]}
        />
      </Card>
    </Space>
  );
}
