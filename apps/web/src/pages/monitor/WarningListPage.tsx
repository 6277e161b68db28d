import { ClockCircleOutlined, ReloadOutlined, ThunderboltOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Input,
  Popconfirm,
  Radio,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { refusalText } from '../../api/commands';
import { formatYuan } from '../../components/format';
import { useSession } from '../../session/session-context';
import { useMonitorCommand, useMonitorRules, useWarnings, type WarningFilter } from './api';
import { levelNames, statusNames, t, triggerNames } from './labels';
import { LevelTag, OverdueMarks, WarningStatusTag } from './tags';
import type { WarningItem } from './types';

const opt = <K extends string>(m: Record<K, { text: string }>) =>
  (Object.keys(m) as K[]).map((value) => ({ value, label: m[value].text }));

/** The two region-wide jobs of the 监控岗: 督办 of overdue warnings and the scheduled rules. */
function Jobs({ onError }: { onError(text: string | null): void }) {
  const { message } = App.useApp();
  const run = useMonitorCommand<Record<string, unknown>>();
  const go = async (type: string, done: (r: Record<string, unknown>) => string) => {
    onError(null);
    try {
      const r = await run.mutateAsync({ type, payload: {} });
      message.success(done(r));
    } catch (e) {
      onError(refusalText(e));
    }
  };
  return (
    <>
      <Popconfirm
        title="对逾期未办结的预警升级督办级别？"
        okText="督办"
        onConfirm={() =>
          go(
            'monitorWarning.escalate',
            (r) => `督办完成：升级 ${(r.escalated as unknown[] | undefined)?.length ?? 0} 条`,
          )
        }
      >
        <Button icon={<ClockCircleOutlined />} loading={run.isPending}>
          督办（逾期升级）
        </Button>
      </Popconfirm>
      <Popconfirm
        title="对本区划的可执行指标运行定时监控规则？"
        okText="运行"
        onConfirm={() =>
          go(
            'monitorScheduled.run',
            (r) =>
              `定时规则 ${r.rules ?? 0} 条，检查指标 ${r.indicators ?? 0} 个，新增预警 ${r.raised ?? 0} 条`,
          )
        }
      >
        <Button icon={<ThunderboltOutlined />} loading={run.isPending}>
          运行定时规则
        </Button>
      </Popconfirm>
    </>
  );
}

/**
 * /monitor/warnings — 预警处理: the region's warnings (a unit sees only its own; the server
 * filters), by status, level, rule, unit and open/closed, with 逾期 and 督办 marks.
 */
export function WarningListPage() {
  const { can } = useSession();
  const [filter, setFilter] = useState<WarningFilter>({ state: 'open' });
  const [agency, setAgency] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [error, setError] = useState<string | null>(null);
  const list = useWarnings(filter, page, pageSize);
  const rules = useMonitorRules();
  const set = (f: Partial<WarningFilter>) => {
    setFilter((x) => ({ ...x, ...f }));
    setPage(1);
  };

  const columns: TableColumnsType<WarningItem> = [
    {
      title: '预警编号',
      dataIndex: 'warningId',
      fixed: 'left',
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
    {
      title: '预警信息',
      dataIndex: 'message',
      ellipsis: true,
      render: (m: WarningItem['message']) => m['zh-CN'],
    },
    {
      title: '预算单位',
      dataIndex: 'agencyCode',
      render: (c: string, r) => `${c}${r.agencyName ? ` ${r.agencyName}` : ''}`,
    },
    {
      title: '金额（元）',
      dataIndex: 'amount',
      align: 'right',
      render: (v: string) => <span className="fiscus-mono">{formatYuan(v)}</span>,
    },
    {
      title: '来源',
      dataIndex: 'applicationId',
      render: (id: string | null, r) =>
        id ? (
          <Link to={`/payments/${encodeURIComponent(id)}`} className="fiscus-mono">
            {id}
          </Link>
        ) : (
          <span className="fiscus-mono">{r.indicatorId ?? triggerNames[r.trigger] ?? r.trigger}</span>
        ),
    },
    {
      title: '状态',
      dataIndex: 'status',
      render: (s: string, r) => (
        <Space size={0} wrap>
          <WarningStatusTag status={s} />
          <OverdueMarks overdue={r.overdue} escalation={r.escalation} deadline={r.deadline} />
        </Space>
      ),
    },
    { title: '期限', dataIndex: 'deadline', render: (v: string | null) => v ?? '-' },
    { title: '预警日期', dataIndex: 'raisedOn' },
  ];

  return (
    <Card
      size="small"
      title={<span data-testid="page-title">{t.warnings}</span>}
      extra={
        <Space>
          {can('monitor.dispose') ? <Jobs onError={setError} /> : null}
          <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} loading={list.isFetching}>
            刷新
          </Button>
        </Space>
      }
    >
      {error ? (
        <Alert
          data-testid="command-error"
          type="error"
          showIcon
          message={error}
          closable
          onClose={() => setError(null)}
          style={{ marginBottom: 12 }}
        />
      ) : null}
      <Space wrap style={{ marginBottom: 12 }} data-testid="warning-filters">
        <Radio.Group
          optionType="button"
          value={filter.state ?? ''}
          onChange={(e) => set({ state: (e.target.value || undefined) as WarningFilter['state'] })}
          options={[
            { value: 'open', label: '未办结' },
            { value: 'closed', label: '已办结' },
            { value: '', label: '全部' },
          ]}
        />
        <Select
          aria-label="处置状态"
          allowClear
          placeholder="处置状态"
          style={{ width: 140 }}
          value={filter.status}
          onChange={(v?: string) => set({ status: v })}
          options={opt(statusNames)}
        />
        <Select
          aria-label="预警级别"
          allowClear
          placeholder="预警级别"
          style={{ width: 130 }}
          value={filter.level}
          onChange={(v?: string) => set({ level: v })}
          options={opt(levelNames)}
        />
        <Select
          aria-label="监控规则"
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder="监控规则"
          style={{ width: 240 }}
          value={filter.ruleCode}
          loading={rules.isFetching}
          onChange={(v?: string) => set({ ruleCode: v })}
          options={(rules.data?.rows ?? []).map((r) => ({ value: r.code, label: `${r.name}（${r.code}）` }))}
        />
        <Input.Search
          aria-label="预算单位编码"
          placeholder="预算单位编码"
          allowClear
          style={{ width: 180 }}
          value={agency}
          onChange={(e) => {
            setAgency(e.target.value);
            if (e.target.value === '') set({ agencyCode: undefined });
          }}
          onSearch={(v) => set({ agencyCode: v.trim() || undefined })}
        />
      </Space>
      <Table<WarningItem>
        data-testid="warnings-table"
        size="small"
        bordered
        rowKey="warningId"
        loading={list.isLoading}
        dataSource={list.data?.rows ?? []}
        columns={columns}
        scroll={{ x: 'max-content' }}
        pagination={{
          current: page,
          pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (n) => `共 ${n} 条`,
          onChange: (p, s) => {
            setPage(p);
            setPageSize(s);
          },
        }}
      />
    </Card>
  );
}
