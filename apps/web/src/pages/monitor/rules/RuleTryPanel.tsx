import { ExperimentOutlined, LineChartOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Input, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../../api/client';
import { refusalText } from '../../../api/commands';
import { formatYuan } from '../../../components/format';
import { useScope } from '../../../scope/scope-context';
import { useSession } from '../../../session/session-context';
import { useBacktest, useTestRun } from './api';
import { BacktestResult } from './BacktestResult';
import type { SampleRunResult } from './backtest-types';
import { ISO_DATE } from './form';
import { ruleActionNames } from './labels';
import { LevelTag } from './RuleListPage';
import type { RuleDefinition } from './types';

interface PaymentOption {
  applicationId: string;
  agencyCode: string | null;
  amount: string;
  purpose: string;
}

/** Recent applications of the region-year to pick test samples from (needs payment.read). */
function usePaymentOptions(enabled: boolean) {
  const { region, year } = useScope();
  return useQuery({
    queryKey: ['monitor-test-payments', region, year],
    queryFn: ({ signal }) =>
      api.get<{ items: PaymentOption[] }>('/payments', { region, year, page: 1, pageSize: 100 }, signal),
    enabled,
    meta: { silent: true },
  });
}

const todayIso = () => {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
};

/**
 * 试运行 and 回测 of the rule as it stands in the editor (saved or not). `draft` checks the form
 * and gives the definition, or null; `onRefusal` puts a refusal's field issues under the fields.
 */
export function RuleTryPanel({
  draft,
  onRefusal,
}: {
  draft(): Promise<RuleDefinition | null>;
  onRefusal(e: unknown): void;
}) {
  const { year } = useScope();
  const { can } = useSession();
  const options = usePaymentOptions(can('payment.read'));
  const test = useTestRun();
  const backtest = useBacktest();
  const [ids, setIds] = useState<string[]>([]);
  const [from, setFrom] = useState(`${year}-01-01`);
  const [to, setTo] = useState(() => {
    const t = todayIso();
    return t.startsWith(String(year)) ? t : `${year}-12-31`;
  });
  const [testError, setTestError] = useState<string | null>(null);
  const [btError, setBtError] = useState<string | null>(null);

  const runTest = async () => {
    setTestError(null);
    const rule = await draft();
    if (!rule) return;
    try {
      await test.mutateAsync({ rule, applicationIds: ids });
    } catch (e) {
      setTestError(refusalText(e));
      onRefusal(e);
    }
  };
  const runBacktest = async () => {
    setBtError(null);
    const rule = await draft();
    if (!rule) return;
    try {
      await backtest.mutateAsync({ rule, from, to });
    } catch (e) {
      setBtError(refusalText(e));
      onRefusal(e);
    }
  };
  const badPeriod = !ISO_DATE.test(from) || !ISO_DATE.test(to) || to < from;

  const testTab = (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          aria-label="试运行支付申请"
          mode="tags"
          style={{ minWidth: 420 }}
          placeholder="选择或输入支付申请编号"
          value={ids}
          onChange={setIds}
          loading={options.isFetching}
          optionFilterProp="label"
          options={(options.data?.items ?? []).map((p) => ({
            value: p.applicationId,
            label: `${p.applicationId} ${p.agencyCode ?? ''} ${formatYuan(p.amount)}元 ${p.purpose}`,
          }))}
        />
        <Button
          type="primary"
          icon={<ExperimentOutlined />}
          disabled={ids.length === 0}
          loading={test.isPending}
          onClick={() => void runTest()}
        >
          试运行
        </Button>
      </Space>
      {testError && (
        <Alert
          data-testid="test-error"
          type="error"
          showIcon
          message={testError}
          style={{ marginBottom: 12 }}
        />
      )}
      {test.data && (
        <Table<SampleRunResult>
          data-testid="test-result"
          size="small"
          bordered
          rowKey="applicationId"
          pagination={false}
          dataSource={test.data}
          columns={[
            {
              title: '申请编号',
              dataIndex: 'applicationId',
              render: (v: string) => <span className="fiscus-mono">{v}</span>,
            },
            {
              title: '结果',
              dataIndex: 'fired',
              render: (v: boolean, r) =>
                r.error && !v ? (
                  <Tag>未判断</Tag>
                ) : v ? (
                  <Tag color="red">命中</Tag>
                ) : (
                  <Tag color="green">未命中</Tag>
                ),
            },
            {
              title: '级别',
              dataIndex: 'level',
              render: (v: SampleRunResult['level']) => (v ? <LevelTag level={v} /> : '-'),
            },
            {
              title: '处理方式',
              dataIndex: 'action',
              render: (v: SampleRunResult['action']) => (v ? ruleActionNames[v] : '-'),
            },
            { title: '预警提示', key: 'message', render: (_v, r) => r.message?.['zh-CN'] ?? '-' },
            {
              title: '说明',
              key: 'error',
              render: (_v, r) =>
                r.error ? <Typography.Text type="danger">{r.error['zh-CN']}</Typography.Text> : '-',
            },
          ]}
        />
      )}
    </>
  );

  const backtestTab = (
    <>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        按编辑器中的规则（不论是否已保存、是否启用），重放期间内送审的支付申请，不产生任何预警。
      </Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <span>送审日期</span>
        <Input
          aria-label="回测开始日期"
          value={from}
          onChange={(e) => setFrom(e.target.value.trim())}
          style={{ width: 130 }}
          status={ISO_DATE.test(from) ? '' : 'error'}
        />
        <span>至</span>
        <Input
          aria-label="回测结束日期"
          value={to}
          onChange={(e) => setTo(e.target.value.trim())}
          style={{ width: 130 }}
          status={ISO_DATE.test(to) ? '' : 'error'}
        />
        <Button
          type="primary"
          icon={<LineChartOutlined />}
          disabled={badPeriod}
          loading={backtest.isPending}
          onClick={() => void runBacktest()}
        >
          回测
        </Button>
      </Space>
      {btError && (
        <Alert
          data-testid="backtest-error"
          type="error"
          showIcon
          message={btError}
          style={{ marginBottom: 12 }}
        />
      )}
      {backtest.data && <BacktestResult report={backtest.data} />}
    </>
  );

  return (
    <Card size="small" title="试运行与回测" style={{ marginTop: 12 }} data-testid="try-panel">
      <Tabs
        size="small"
        items={[
          { key: 'backtest', label: '回测', children: backtestTab },
          { key: 'test', label: '试运行', children: testTab },
        ]}
      />
    </Card>
  );
}
