import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Row, Statistic, Table, Tag } from 'antd';
import { useScope } from '../../scope/scope-context';
import { useSession } from '../../session/session-context';
import { useLevels } from './api';
import { differenceNames, t } from './labels';
import type { LevelReport } from './types';

type Difference = LevelReport['differences'][number];

/**
 * /reconciliations/levels — 上下级对账: what this region issued to its lower levels against what
 * they received and booked, message by message; every difference is named.
 */
export function LevelsPage() {
  const { region, year } = useScope();
  const { me } = useSession();
  const r = useLevels();
  const name = (code: string) => me.regions.find((x) => x.code === code)?.name ?? code;
  const report = r.data;
  return (
    <Card
      size="small"
      title={<span data-testid="page-title">{t.levels}</span>}
      extra={
        <Button icon={<ReloadOutlined />} loading={r.isFetching} onClick={() => r.refetch()}>
          重新对账
        </Button>
      }
    >
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col span={8}>
          <Statistic title="本级区划" value={`${region} ${name(region)}`} />
        </Col>
        <Col span={4}>
          <Statistic title="年度" value={year} groupSeparator="" />
        </Col>
        <Col span={4}>
          <Statistic title="本级下达笔数" value={report?.issued ?? '-'} />
        </Col>
        <Col span={4}>
          <Statistic title="下级收到笔数" value={report?.received ?? '-'} />
        </Col>
        <Col span={4}>
          <Statistic title="差异数" value={report?.differences.length ?? '-'} />
        </Col>
      </Row>
      {report &&
        (report.ok ? (
          <Alert
            type="success"
            showIcon
            message="上下级一致：每笔下达均已被下级收到并入账，金额与要素相符"
            data-testid="levels-ok"
          />
        ) : (
          <Alert type="error" showIcon message={`发现 ${report.differences.length} 处差异`} />
        ))}
      <Table<Difference>
        style={{ marginTop: 16 }}
        size="small"
        bordered
        rowKey={(d) => `${d.messageId}:${d.kind}:${d.region}`}
        loading={r.isFetching}
        dataSource={report?.differences ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          {
            title: '差异类型',
            dataIndex: 'kind',
            render: (k: string) => <Tag color="red">{differenceNames[k] ?? k}</Tag>,
          },
          { title: '下级区划', dataIndex: 'region', render: (c: string) => `${c} ${name(c)}` },
          { title: '文号', dataIndex: 'docNo' },
          { title: '消息编号', dataIndex: 'messageId' },
          { title: '说明', dataIndex: 'detail' },
        ]}
      />
    </Card>
  );
}
