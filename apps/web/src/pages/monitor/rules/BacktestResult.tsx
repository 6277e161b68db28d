import { Alert, Card, Col, Descriptions, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { formatYuan } from '../../../components/format';
import type { BacktestReport, BacktestSample } from './backtest-types';
import { paymentStateNames, ruleActionNames, warningStatusNames } from './labels';
import { LevelTag } from './RuleListPage';

const money = (v: string) => <span className="fiscus-mono">{formatYuan(v)}</span>;

/** The backtest report: totals, where the hits fall, samples, overlap and past dispositions. */
export function BacktestResult({ report: r }: { report: BacktestReport }) {
  const d = r.dispositions;
  return (
    <div data-testid="backtest-result">
      {!r.inScope && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message={`规则生效范围不含区划 ${r.region}，未判断任何支付`}
        />
      )}
      <Row gutter={16} style={{ marginBottom: 12 }}>
        <Col span={6}>
          <Statistic
            title="扫描支付（笔）"
            value={r.scanned}
            valueRender={() => <span data-testid="bt-scanned">{r.scanned}</span>}
          />
        </Col>
        <Col span={6}>
          <Statistic
            title="命中（笔）"
            value={r.hits}
            valueRender={() => <span data-testid="bt-hits">{r.hits}</span>}
          />
        </Col>
        <Col span={6}>
          <Statistic title="命中金额（元）" value={r.amount} valueRender={() => money(r.amount)} />
        </Col>
        <Col span={6}>
          <Statistic
            title="无法执行（按灰色预警计）"
            value={r.failures}
            valueRender={() => <span data-testid="bt-failures">{r.failures}</span>}
          />
        </Col>
      </Row>
      <Descriptions size="small" column={2} bordered style={{ marginBottom: 12 }}>
        <Descriptions.Item label="期间">
          {r.period.from} 至 {r.period.to}（{r.year} 年度，区划 {r.region}）
        </Descriptions.Item>
        <Descriptions.Item label="规则">
          {r.rule.code} {r.rule.version === 'draft' ? '（草稿）' : `v${r.rule.version}`}
        </Descriptions.Item>
        <Descriptions.Item label="按处理方式">
          <Space wrap>
            {r.byAction.map((a) => (
              <Tag key={a.action}>
                {ruleActionNames[a.action] ?? a.action} {a.count}
              </Tag>
            ))}
            {r.byAction.length === 0 && '-'}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label="按预警级别">
          <Space wrap>
            {r.byLevel.map((l) => (
              <span key={l.level}>
                <LevelTag level={l.level} /> {l.count}
              </span>
            ))}
            {r.byLevel.length === 0 && '-'}
          </Space>
        </Descriptions.Item>
        {r.sameCodeBefore && (
          <Descriptions.Item label={`现行版本 v${r.sameCodeBefore.version}`} span={2}>
            <span data-testid="bt-same-code">
              本期间内已对 {r.sameCodeBefore.inPeriod} 笔支付预警；其中 {r.sameCodeBefore.applications}{' '}
              笔本次也命中（{r.sameCodeBefore.warnings} 条预警），{r.sameCodeBefore.droppedByDraft}{' '}
              笔本次不再命中
            </span>
          </Descriptions.Item>
        )}
      </Descriptions>
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Card size="small" type="inner" title="按单位" style={{ marginBottom: 12 }}>
            <Table
              data-testid="bt-by-agency"
              size="small"
              rowKey="agencyCode"
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              dataSource={r.byAgency}
              columns={[
                { title: '单位编码', dataIndex: 'agencyCode', render: (v: string) => v || '-' },
                { title: '命中（笔）', dataIndex: 'count', align: 'right' },
                { title: '金额（元）', dataIndex: 'amount', align: 'right', render: money },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card size="small" type="inner" title="按月份" style={{ marginBottom: 12 }}>
            <Table
              data-testid="bt-by-month"
              size="small"
              rowKey="month"
              pagination={false}
              dataSource={r.byMonth}
              columns={[
                { title: '月份', dataIndex: 'month' },
                { title: '命中（笔）', dataIndex: 'count', align: 'right' },
                { title: '金额（元）', dataIndex: 'amount', align: 'right', render: money },
              ]}
            />
          </Card>
        </Col>
      </Row>
      <Card
        size="small"
        type="inner"
        title={`命中样例（前 ${r.samples.length} 笔）`}
        style={{ marginBottom: 12 }}
      >
        <Table<BacktestSample>
          data-testid="bt-samples"
          size="small"
          rowKey="applicationId"
          scroll={{ x: 'max-content' }}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          dataSource={r.samples}
          columns={[
            {
              title: '申请编号',
              dataIndex: 'applicationId',
              render: (v: string) => <span className="fiscus-mono">{v}</span>,
            },
            { title: '送审日期', dataIndex: 'submittedOn' },
            { title: '单位', dataIndex: 'agencyCode' },
            { title: '收款人', dataIndex: 'payeeName' },
            { title: '金额（元）', dataIndex: 'amount', align: 'right', render: money },
            {
              title: '级别',
              dataIndex: 'level',
              render: (v: BacktestSample['level']) => <LevelTag level={v} />,
            },
            {
              title: '处理方式',
              dataIndex: 'action',
              render: (v: BacktestSample['action']) => ruleActionNames[v] ?? v,
            },
            {
              title: '预警提示',
              key: 'message',
              render: (_v, s) =>
                s.failed ? (
                  <Typography.Text type="danger">规则无法执行：{s.message['zh-CN']}</Typography.Text>
                ) : (
                  s.message['zh-CN']
                ),
            },
            { title: '当前状态', dataIndex: 'state', render: (v: string) => paymentStateNames[v] ?? v },
          ]}
        />
      </Card>
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Card size="small" type="inner" title="与现有规则重叠">
            <Table
              data-testid="bt-overlap"
              size="small"
              rowKey="ruleCode"
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              dataSource={r.overlap}
              locale={{ emptyText: '命中的支付没有其他规则的预警' }}
              columns={[
                {
                  title: '规则编码',
                  dataIndex: 'ruleCode',
                  render: (v: string) => <span className="fiscus-mono">{v}</span>,
                },
                { title: '重叠支付（笔）', dataIndex: 'count', align: 'right' },
                { title: '预警（条）', dataIndex: 'warnings', align: 'right' },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card size="small" type="inner" title="命中支付的既往预警处理情况">
            <Descriptions size="small" column={4} style={{ marginBottom: 8 }}>
              <Descriptions.Item label="正常">{d.normal}</Descriptions.Item>
              <Descriptions.Item label="违规">{d.violation}</Descriptions.Item>
              <Descriptions.Item label="处理中">{d.open}</Descriptions.Item>
              <Descriptions.Item label="仅记录">{d.recorded}</Descriptions.Item>
            </Descriptions>
            <Table
              data-testid="bt-dispositions"
              size="small"
              rowKey="status"
              pagination={false}
              dataSource={d.byStatus}
              locale={{ emptyText: '无既往预警' }}
              columns={[
                { title: '状态', dataIndex: 'status', render: (v: string) => warningStatusNames[v] ?? v },
                { title: '预警（条）', dataIndex: 'count', align: 'right' },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
