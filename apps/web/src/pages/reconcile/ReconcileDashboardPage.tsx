import { CheckCircleFilled, CloseCircleFilled, PlayCircleOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Empty,
  Popconfirm,
  Space,
  Spin,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { refusalText } from '../../api/commands';
import { formatYuan } from '../../components/format';
import { useSession } from '../../session/session-context';
import { useDifferences, useRun, useRunReconcile, useRuns } from './api';
import { type Layer, layerNames, layers, type Pair, pairs, pairText, runStateNames, t } from './labels';
import { differenceFen, fenToYuan } from './money';
import type { DifferenceItem, PairFigure, RunDetail, RunItem } from './types';

const when = (v: string | null | undefined) =>
  v ? new Date(v).toLocaleString('zh-CN', { hour12: false }) : '-';

/** The day before today: the day whose day-end reports have arrived. */
const yesterday = () => dayjs().subtract(1, 'day').format('YYYY-MM-DD');

/** Σ of the amounts the differences of one layer × pair are about, and how many there are. */
function redTotals(ds: readonly DifferenceItem[], layer: string, pair: string) {
  const mine = ds.filter((d) => d.layer === layer && (d.pair === pair || d.pairs.includes(pair)));
  return { n: mine.length, fen: mine.reduce((s, d) => s + differenceFen(d), 0n) };
}

function Cell({
  layer,
  pair,
  figure,
  diffs,
  onOpen,
}: {
  layer: Layer;
  pair: Pair;
  figure: PairFigure | undefined;
  diffs: readonly DifferenceItem[] | undefined;
  onOpen(): void;
}) {
  const id = `cell-${layer}-${pair}`;
  if (!figure)
    return (
      <div data-testid={id} data-status="none" className="fiscus-recon-cell">
        <Typography.Text type="secondary">不适用</Typography.Text>
      </div>
    );
  const counts = (
    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
      双方 {figure.countA} / {figure.countB} 笔，已匹配 {figure.matched} 笔
    </Typography.Text>
  );
  const matched = (
    <Typography.Text style={{ fontSize: 12 }}>
      匹配金额 <span className="fiscus-mono">{formatYuan(figure.matchedAmount)}</span> 元
    </Typography.Text>
  );
  if (figure.status === 'green')
    return (
      <div
        data-testid={id}
        data-status="green"
        style={{ background: '#f6ffed', border: '1px solid #b7eb8f', borderRadius: 6, padding: 8 }}
      >
        <Space direction="vertical" size={0}>
          <Typography.Text strong style={{ color: '#389e0d' }}>
            <CheckCircleFilled /> 一致
          </Typography.Text>
          {counts}
          {matched}
        </Space>
      </div>
    );
  const totals = diffs ? redTotals(diffs, layer, pair) : null;
  return (
    <button
      type="button"
      data-testid={id}
      data-status="red"
      aria-label={`${layerNames[layer].text} ${pairText(layer, pair)} 差异`}
      onClick={onOpen}
      style={{
        background: '#fff1f0',
        border: '1px solid #ffa39e',
        borderRadius: 6,
        padding: 8,
        width: '100%',
        textAlign: 'left',
        cursor: 'pointer',
      }}
    >
      <Space direction="vertical" size={0}>
        <Typography.Text strong style={{ color: '#cf1322' }}>
          <CloseCircleFilled /> 差异 <span data-testid={`${id}-count`}>{figure.differences}</span> 笔
        </Typography.Text>
        {totals ? (
          <Typography.Text style={{ fontSize: 12, color: '#cf1322' }}>
            差异金额 <span className="fiscus-mono">{formatYuan(fenToYuan(totals.fen))}</span> 元
          </Typography.Text>
        ) : null}
        {counts}
        {matched}
      </Space>
    </button>
  );
}

/** The layer × pair grid of one run. */
function Grid({ run }: { run: RunDetail }) {
  const navigate = useNavigate();
  // Enough for the day's grid amounts; the list pages through the rest.
  const ds = useDifferences({ runId: run.runId }, 1, 500);
  const present = pairs.filter((p) => run.layers.some((l) => l.pairs.some((x) => x.pair === p)));
  return (
    <Table
      data-testid="reconcile-grid"
      size="small"
      bordered
      pagination={false}
      rowKey="layer"
      dataSource={layers.map((layer) => ({ layer }))}
      columns={[
        {
          title: '层级',
          dataIndex: 'layer',
          width: 160,
          render: (l: Layer) => (
            <Tooltip title={layerNames[l].hint}>
              <Typography.Text strong>
                {l} {layerNames[l].text}
              </Typography.Text>
            </Tooltip>
          ),
        },
        ...present.map((pair) => ({
          title: pair === 'finance-ledger' ? '财政内部（L3）' : pairText('L1', pair),
          key: pair,
          render: (_: unknown, row: { layer: Layer }) => {
            const figure = run.layers.find((l) => l.layer === row.layer)?.pairs.find((p) => p.pair === pair);
            return (
              <Space direction="vertical" size={2} style={{ width: '100%' }}>
                {row.layer === 'L3' ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {pairText(row.layer, pair)}
                  </Typography.Text>
                ) : null}
                <Cell
                  layer={row.layer}
                  pair={pair}
                  figure={figure}
                  diffs={ds.data?.items}
                  onOpen={() =>
                    navigate(
                      `/reconcile/differences?${new URLSearchParams({ runId: run.runId, layer: row.layer, pair })}`,
                    )
                  }
                />
              </Space>
            );
          },
        })),
      ]}
    />
  );
}

/**
 * /reconcile — 对账: one day's three-layer, four-party reconciliation. The grid of layer × pair is
 * green where both sides agree and red with the count and amount of differences otherwise (a red
 * cell opens its differences); 执行对账 runs reconcile.run for the date; the day's runs below.
 */
export function ReconcileDashboardPage() {
  const [params, setParams] = useSearchParams();
  const date = params.get('date') ?? yesterday();
  const { can } = useSession();
  const { message } = App.useApp();
  const runs = useRuns(date);
  const [picked, setPicked] = useState<string | null>(params.get('runId'));
  const rows = runs.data?.rows ?? [];
  const runId = rows.find((r) => r.runId === picked)?.runId ?? rows.find((r) => r.state === 'current')?.runId;
  const run = useRun(runId);
  const exec = useRunReconcile();
  const [error, setError] = useState<string | null>(null);

  const go = async () => {
    setError(null);
    try {
      const r = await exec.mutateAsync(date);
      setPicked(r.runId);
      message.success(`对账完成 ${r.runId}：差异 ${r.differences} 笔`);
    } catch (e) {
      setError(refusalText(e));
    }
  };

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Card
        size="small"
        title={<span data-testid="page-title">{t.dashboard}</span>}
        extra={
          <Space>
            <span>对账日期</span>
            <DatePicker
              aria-label="对账日期"
              allowClear={false}
              value={dayjs(date)}
              disabledDate={(d) => d.isAfter(dayjs(), 'day')}
              onChange={(d) => {
                setPicked(null);
                setError(null);
                if (d) setParams({ date: d.format('YYYY-MM-DD') });
              }}
            />
            {can('reconcile.run') ? (
              <Popconfirm
                title={`对 ${date} 执行三层对账？重跑将取代当前结果并沿用未变差异的处理。`}
                okText="执行对账"
                onConfirm={() => void go()}
              >
                <Button type="primary" icon={<PlayCircleOutlined />} loading={exec.isPending}>
                  执行对账
                </Button>
              </Popconfirm>
            ) : null}
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
        {runs.isLoading || (runId && run.isLoading) ? (
          <Spin />
        ) : !runId ? (
          <Empty data-testid="no-run" description={`${date} 尚未对账`} />
        ) : run.data ? (
          <Space direction="vertical" size={12} style={{ width: '100%' }}>
            <Descriptions size="small" bordered column={4} data-testid="run-summary">
              <Descriptions.Item label="对账批次">
                <span className="fiscus-mono" data-testid="run-id">
                  {run.data.runId}
                </span>
              </Descriptions.Item>
              <Descriptions.Item label="结果">
                {run.data.differences === 0 ? (
                  <Tag color="success" data-testid="run-result">
                    全部一致
                  </Tag>
                ) : (
                  <Tag color="error" data-testid="run-result">
                    差异 {run.data.differences} 笔
                  </Tag>
                )}
                <Tag color={runStateNames[run.data.state]?.color ?? 'default'}>
                  {runStateNames[run.data.state]?.text ?? run.data.state}
                </Tag>
              </Descriptions.Item>
              <Descriptions.Item label="执行人">{run.data.runBy}</Descriptions.Item>
              <Descriptions.Item label="执行时间">{when(run.data.ranAt)}</Descriptions.Item>
            </Descriptions>
            <Grid run={run.data} />
          </Space>
        ) : null}
      </Card>
      <Card size="small" title={`${date} 对账记录`}>
        <Table<RunItem>
          data-testid="reconcile-runs"
          size="small"
          bordered
          rowKey="runId"
          pagination={false}
          dataSource={rows}
          locale={{ emptyText: <Empty description="当日尚无对账记录" /> }}
          rowClassName={(r) => (r.runId === runId ? 'ant-table-row-selected' : '')}
          columns={[
            {
              title: '对账批次',
              dataIndex: 'runId',
              render: (v: string) => (
                <Button type="link" size="small" className="fiscus-mono" onClick={() => setPicked(v)}>
                  {v}
                </Button>
              ),
            },
            {
              title: '状态',
              dataIndex: 'state',
              render: (s: string) => (
                <Tag color={runStateNames[s]?.color ?? 'default'}>{runStateNames[s]?.text ?? s}</Tag>
              ),
            },
            {
              title: '结果',
              dataIndex: 'green',
              render: (g: boolean, r) =>
                g ? <Tag color="success">全部一致</Tag> : <Tag color="error">差异 {r.differences} 笔</Tag>,
            },
            { title: '执行人', dataIndex: 'runBy' },
            { title: '执行时间', dataIndex: 'ranAt', render: (v: string) => when(v) },
            {
              title: '耗时',
              dataIndex: 'durationMs',
              render: (v: number | null) => (v === null ? '-' : `${v} ms`),
            },
            {
              title: '取代',
              dataIndex: 'supersedes',
              render: (v: string | null) => <span className="fiscus-mono">{v ?? '-'}</span>,
            },
          ]}
        />
      </Card>
    </Space>
  );
}
