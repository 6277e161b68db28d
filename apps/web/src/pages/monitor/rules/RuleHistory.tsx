import { Button, Card, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { paramText } from './form';
import { type RuleAction, ruleActionNames, ruleTriggerNames, type WarningLevel } from './labels';
import { LevelTag } from './RuleListPage';
import type { RuleVersion } from './types';

/** 版本历史: every stored version, newest first; one can be loaded into the editor as a start. */
export function RuleHistory({
  versions,
  loading,
  onLoad,
}: {
  versions: readonly RuleVersion[];
  loading: boolean;
  onLoad(v: RuleVersion): void;
}) {
  const columns: TableColumnsType<RuleVersion> = [
    {
      title: '版本',
      dataIndex: 'version',
      render: (v: number) => <span data-testid="history-version">v{v}</span>,
    },
    {
      title: '启用',
      dataIndex: 'enabled',
      render: (v: boolean) => (v ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>),
    },
    { title: '规则名称', dataIndex: 'name' },
    {
      title: '触发',
      dataIndex: 'trigger',
      render: (v: keyof typeof ruleTriggerNames) => ruleTriggerNames[v] ?? v,
    },
    { title: '级别', dataIndex: 'warningLevel', render: (v: WarningLevel) => <LevelTag level={v} /> },
    { title: '处理方式', dataIndex: 'action', render: (v: RuleAction) => ruleActionNames[v] ?? v },
    {
      title: '条件',
      dataIndex: 'condition',
      width: 360,
      render: (v: string) => (
        <Typography.Paragraph
          className="fiscus-mono"
          ellipsis={{ rows: 2, tooltip: v }}
          style={{ margin: 0 }}
        >
          {v}
        </Typography.Paragraph>
      ),
    },
    {
      title: '参数',
      dataIndex: 'params',
      render: (p: RuleVersion['params']) =>
        Object.entries(p)
          .map(([k, v]) => `${k}=${paramText(v)}`)
          .join('；') || '-',
    },
    { title: '生效期间', key: 'eff', render: (_v, r) => `${r.effectiveFrom} 至 ${r.effectiveTo ?? '长期'}` },
    { title: '保存人', dataIndex: 'createdBy' },
    { title: '保存时间', dataIndex: 'createdAt', render: (v: string) => v.slice(0, 19).replace('T', ' ') },
    {
      title: '操作',
      key: 'load',
      render: (_v, r) => (
        <Button size="small" onClick={() => onLoad(r)}>
          载入编辑
        </Button>
      ),
    },
  ];
  return (
    <Card size="small" title="版本历史" style={{ marginTop: 12 }}>
      <Table<RuleVersion>
        data-testid="rule-history"
        size="small"
        bordered
        rowKey="version"
        loading={loading}
        columns={columns}
        dataSource={[...versions]}
        scroll={{ x: 'max-content' }}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
      />
    </Card>
  );
}
