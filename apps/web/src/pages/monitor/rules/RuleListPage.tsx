import { AppstoreAddOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Input,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  type TableColumnsType,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { refusalText } from '../../../api/commands';
import { useSession } from '../../../session/session-context';
import { useRuleCommand, useRules } from './api';
import { definitionOfVersion } from './form';
import {
  type RuleAction,
  type RuleTrigger,
  ruleActionNames,
  ruleTriggerNames,
  t,
  themeText,
  triggerOptions,
  type WarningLevel,
  warningLevelColors,
  warningLevelNames,
} from './labels';
import type { RuleRow } from './types';

export function LevelTag({ level }: { level: WarningLevel }) {
  return (
    <Tag color={warningLevelColors[level]} data-level={level}>
      {warningLevelNames[level] ?? level}
    </Tag>
  );
}

/** The enabled switch of one row: saves a new version with `enabled` flipped, from the row's version. */
function EnabledSwitch({ row, onError }: { row: RuleRow; onError(text: string | null): void }) {
  const { can } = useSession();
  const { message } = App.useApp();
  const save = useRuleCommand<{ code: string; version: number }>();
  const flip = async (enabled: boolean) => {
    onError(null);
    try {
      const r = await save.mutateAsync({
        type: 'monitorRule.save',
        payload: { rule: { ...definitionOfVersion(row), enabled }, baseVersion: row.version },
      });
      message.success(`${row.code} 已${enabled ? '启用' : '停用'}（版本 ${r.version}）`);
    } catch (e) {
      onError(refusalText(e));
    }
  };
  return (
    <Switch
      size="small"
      checked={row.enabled}
      checkedChildren="启用"
      unCheckedChildren="停用"
      loading={save.isPending}
      disabled={!can('monitor.rule.manage')}
      onChange={(v) => void flip(v)}
      aria-label={`启用 ${row.code}`}
      data-testid={`enabled-${row.code}`}
    />
  );
}

/** /monitor/rules — 监控规则: the newest version of every rule of the region. */
export function RuleListPage() {
  const { can } = useSession();
  const manage = can('monitor.rule.manage');
  const { message } = App.useApp();
  const navigate = useNavigate();
  const list = useRules();
  const install = useRuleCommand<{ installed: string[]; skipped: string[] }>();
  const [error, setError] = useState<string | null>(null);
  const [q, setQ] = useState('');
  const [trigger, setTrigger] = useState<RuleTrigger | undefined>();

  const rows = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return (list.data?.rows ?? []).filter(
      (r) =>
        (trigger === undefined || r.trigger === trigger) &&
        (needle === '' ||
          r.code.toLowerCase().includes(needle) ||
          r.name.toLowerCase().includes(needle) ||
          r.theme.toLowerCase().includes(needle)),
    );
  }, [list.data, q, trigger]);

  const installAll = async () => {
    setError(null);
    try {
      const r = await install.mutateAsync({ type: 'monitorRule.install', payload: { enabled: true } });
      message.success(`已安装内置规则 ${r.installed.length} 条，已有 ${r.skipped.length} 条未覆盖`);
    } catch (e) {
      setError(refusalText(e));
    }
  };

  const columns: TableColumnsType<RuleRow> = [
    {
      title: '规则编码',
      dataIndex: 'code',
      fixed: 'left',
      render: (code: string) => (
        <Link to={`/monitor/rules/${encodeURIComponent(code)}`} className="fiscus-mono">
          {code}
        </Link>
      ),
    },
    { title: '规则名称', dataIndex: 'name' },
    { title: '监控主题', dataIndex: 'theme', render: (v: string) => themeText(v) },
    {
      title: '触发类型',
      dataIndex: 'trigger',
      render: (v: RuleTrigger) => ruleTriggerNames[v] ?? v,
    },
    {
      title: '预警级别',
      dataIndex: 'warningLevel',
      render: (v: WarningLevel) => <LevelTag level={v} />,
    },
    { title: '处理方式', dataIndex: 'action', render: (v: RuleAction) => ruleActionNames[v] ?? v },
    {
      title: '生效期间',
      key: 'effective',
      render: (_v, r) => `${r.effectiveFrom} 至 ${r.effectiveTo ?? '长期'}`,
    },
    {
      title: '版本',
      dataIndex: 'version',
      align: 'right',
      render: (v: number, r) => (
        <Tooltip title={`共 ${r.versions} 个版本`}>
          <span data-testid={`version-${r.code}`}>v{v}</span>
        </Tooltip>
      ),
    },
    {
      title: '启用',
      dataIndex: 'enabled',
      render: (_v, r) => <EnabledSwitch row={r} onError={setError} />,
    },
    {
      title: '最后修改',
      key: 'created',
      render: (_v, r) => (
        <Typography.Text type="secondary">
          {r.createdBy} {r.createdAt.slice(0, 16).replace('T', ' ')}
        </Typography.Text>
      ),
    },
  ];

  return (
    <Card
      size="small"
      title={<span data-testid="page-title">{t.rules}</span>}
      extra={
        <Space wrap>
          <Input.Search
            allowClear
            aria-label="搜索规则"
            placeholder="编码、名称或主题"
            style={{ width: 200 }}
            onChange={(e) => setQ(e.target.value)}
          />
          <Select
            aria-label="触发类型"
            allowClear
            placeholder="全部触发类型"
            style={{ width: 170 }}
            value={trigger}
            onChange={(v: RuleTrigger | undefined) => setTrigger(v)}
            options={triggerOptions}
          />
          {manage && (
            <Popconfirm
              title="安装内置监控规则目录？"
              description="本区划已有的规则编码不覆盖；新安装的规则为启用状态。"
              okText="安装"
              cancelText="取消"
              onConfirm={installAll}
            >
              <Button icon={<AppstoreAddOutlined />} loading={install.isPending}>
                {t.install}
              </Button>
            </Popconfirm>
          )}
          {manage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/monitor/rules/new')}>
              新建规则
            </Button>
          )}
          <Button icon={<ReloadOutlined spin={list.isFetching} />} onClick={() => list.refetch()}>
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
      <Table<RuleRow>
        data-testid="rules-table"
        size="small"
        bordered
        rowKey="code"
        loading={list.isFetching}
        columns={columns}
        dataSource={rows}
        scroll={{ x: 'max-content' }}
        pagination={{ pageSize: 50, showSizeChanger: false, hideOnSinglePage: true }}
        locale={{
          emptyText: manage ? '本区划尚无监控规则，可“安装内置规则”或“新建规则”' : '本区划尚无监控规则',
        }}
      />
    </Card>
  );
}
