import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Empty, Row, Spin, Statistic, Table, type TableColumnsType } from 'antd';
import { useMemo } from 'react';
import { ApiError } from '../../api/client';
import { formatYuan } from '../../components/format';
import { zhCN } from '../../locales/zh-CN';
import { useMonitorStats } from './api';
import { EChart, type EChartsOption } from './EChart';
import { closedStatuses, levelNames, t, type WarningLevel } from './labels';
import type { CountRow, EvaluationRow, MonitorStats } from './types';

const days = (v: number | null) => (v === null ? '-' : v.toFixed(1));

const evaluationColumns = (first: string): TableColumnsType<EvaluationRow> => [
  {
    title: first,
    dataIndex: 'name',
    render: (n: string, r) => (n && n !== r.key ? `${n}（${r.key}）` : r.key),
  },
  { title: '预警数', dataIndex: 'total', align: 'right' },
  { title: '未办结', dataIndex: 'open', align: 'right' },
  { title: '已办结', dataIndex: 'closed', align: 'right' },
  { title: '认定违规', dataIndex: 'violations', align: 'right' },
  { title: '屡查屡犯', dataIndex: 'repeatOffences', align: 'right' },
  { title: '平均办结天数', dataIndex: 'meanDaysToClose', align: 'right', render: days },
  {
    title: '最长办结天数',
    dataIndex: 'maxDaysToClose',
    align: 'right',
    render: (v: number | null) => v ?? '-',
  },
];

/** A horizontal bar of counts, largest on top; the tooltip carries the amount. */
function barOption(rows: CountRow[], color: string, horizontal: boolean): EChartsOption {
  const data = horizontal ? [...rows].reverse() : rows;
  const names = data.map((r) => r.name ?? r.key);
  const category = { type: 'category', data: names, axisLabel: { width: 140, overflow: 'truncate' } };
  return {
    tooltip: {
      trigger: 'axis',
      formatter: (ps: unknown) => {
        const p = (ps as { dataIndex: number }[])[0];
        const r = p ? data[p.dataIndex] : undefined;
        return r ? `${r.name ?? r.key}<br/>预警 ${r.count} 条<br/>金额 ${formatYuan(r.amount)} 元` : '';
      },
    },
    grid: { left: horizontal ? 150 : 40, right: 24, top: 16, bottom: 32 },
    xAxis: horizontal ? { type: 'value', minInterval: 1 } : category,
    yAxis: horizontal ? category : { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', data: data.map((r) => r.count), itemStyle: { color }, barMaxWidth: 28 }],
  };
}

function options(s: MonitorStats) {
  const level: EChartsOption = {
    tooltip: { trigger: 'item', formatter: '{b}：{c} 条（{d}%）' },
    legend: { bottom: 0 },
    series: [
      {
        type: 'pie',
        radius: ['40%', '70%'],
        data: s.byLevel.map((r) => ({
          name: levelNames[r.key as WarningLevel]?.text ?? r.key,
          value: r.count,
          itemStyle: { color: levelNames[r.key as WarningLevel]?.chart ?? '#999' },
        })),
      },
    ],
  };
  return {
    level,
    month: barOption(s.byMonth, '#1677ff', false),
    rule: barOption(s.byRule.slice(0, 10), '#fa8c16', true),
    agency: barOption(s.byAgency.slice(0, 10), '#13c2c2', true),
  };
}

function ChartCard({
  title,
  option,
  empty,
  testId,
}: {
  title: string;
  option: EChartsOption;
  empty: boolean;
  testId: string;
}) {
  return (
    <Card size="small" title={title}>
      {empty ? (
        <Empty description="暂无预警" style={{ height: 268 }} />
      ) : (
        <EChart option={option} testId={testId} />
      )}
    </Card>
  );
}

/** /monitor/dashboard — 监控看板: the year's warnings by level, month, rule and unit, and the 评价 tables. */
export function DashboardPage() {
  const stats = useMonitorStats();
  const s = stats.data;
  const opts = useMemo(() => (s ? options(s) : null), [s]);

  if (stats.isLoading) return <Spin />;
  if (stats.error || !s || !opts)
    return (
      <Alert
        type="error"
        showIcon
        message={stats.error instanceof ApiError ? stats.error.body.message['zh-CN'] : zhCN.common.error}
      />
    );
  const open = s.byStatus.filter((r) => !closedStatuses.has(r.key)).reduce((n, r) => n + r.count, 0);
  const violations = s.evaluation.byAgency.reduce((n, r) => n + r.violations, 0);
  const repeats = s.evaluation.byAgency.reduce((n, r) => n + r.repeatOffences, 0);
  const empty = s.total === 0;

  return (
    <Card
      size="small"
      title={<span data-testid="page-title">{t.dashboard}</span>}
      extra={
        <Button icon={<ReloadOutlined />} onClick={() => void stats.refetch()} loading={stats.isFetching}>
          刷新
        </Button>
      }
    >
      <Row gutter={[12, 12]}>
        <Col span={6}>
          <Card size="small">
            <Statistic title="预警总数" value={s.total} data-testid="stat-total" />
          </Card>
        </Col>
        <Col span={6}>
          <Card size="small">
            <Statistic title="未办结" value={open} valueStyle={{ color: '#fa8c16' }} />
          </Card>
        </Col>
        <Col span={6}>
          <Card size="small">
            <Statistic title="认定违规" value={violations} valueStyle={{ color: '#f5222d' }} />
          </Card>
        </Col>
        <Col span={6}>
          <Card size="small">
            <Statistic title="屡查屡犯" value={repeats} valueStyle={{ color: '#c41d7f' }} />
          </Card>
        </Col>
        <Col span={12}>
          <ChartCard title="按预警级别" option={opts.level} empty={empty} testId="chart-level" />
        </Col>
        <Col span={12}>
          <ChartCard title="按月份" option={opts.month} empty={empty} testId="chart-month" />
        </Col>
        <Col span={12}>
          <ChartCard title="按监控规则（前 10）" option={opts.rule} empty={empty} testId="chart-rule" />
        </Col>
        <Col span={12}>
          <ChartCard title="按预算单位（前 10）" option={opts.agency} empty={empty} testId="chart-agency" />
        </Col>
        <Col span={24}>
          <Card size="small" title="评价：按预算单位">
            <Table<EvaluationRow>
              data-testid="evaluation-agency"
              size="small"
              bordered
              rowKey="key"
              pagination={false}
              dataSource={s.evaluation.byAgency}
              columns={evaluationColumns('预算单位')}
            />
          </Card>
        </Col>
        <Col span={24}>
          <Card size="small" title="评价：按监控规则">
            <Table<EvaluationRow>
              data-testid="evaluation-rule"
              size="small"
              bordered
              rowKey="key"
              pagination={false}
              dataSource={s.evaluation.byRule}
              columns={evaluationColumns('监控规则')}
            />
          </Card>
        </Col>
      </Row>
    </Card>
  );
}
