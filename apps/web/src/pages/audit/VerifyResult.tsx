import { Alert, Table, Tag } from 'antd';
import type { AuditVerification } from '../../api/types';
import { fmt } from '../../locales/format';
import { zhCN } from '../../locales/zh-CN';

type Problem = AuditVerification['problems'][number];

/** The verdict of 校验审计链: one line per region, then every problem found. */
export function VerifyResult({ result }: { result: AuditVerification }) {
  const t = zhCN.audit;
  const records = result.regions.reduce((n, r) => n + r.records, 0);
  const ok = result.problems.length === 0 && result.regions.every((r) => r.ok);
  return (
    <>
      <Alert
        showIcon
        type={ok ? 'success' : 'error'}
        style={{ marginBottom: 12 }}
        data-testid="verify-verdict"
        message={ok ? fmt(t.verifyOk, { records }) : fmt(t.verifyBad, { count: result.problems.length })}
      />
      <Table
        size="small"
        bordered
        pagination={false}
        rowKey="regionCode"
        dataSource={result.regions}
        columns={[
          { title: t.regionCode, dataIndex: 'regionCode' },
          { title: t.records, dataIndex: 'records', align: 'right' },
          {
            title: t.outcome,
            dataIndex: 'ok',
            render: (v: boolean) =>
              v ? <Tag color="success">{t.chainOk}</Tag> : <Tag color="error">{t.chainBad}</Tag>,
          },
        ]}
      />
      {result.problems.length > 0 && (
        <Table<Problem>
          style={{ marginTop: 12 }}
          title={() => t.problems}
          size="small"
          bordered
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          rowKey={(p) => `${p.regionCode}:${p.seq}:${p.kind}`}
          dataSource={result.problems}
          columns={[
            { title: t.regionCode, dataIndex: 'regionCode', width: 110 },
            { title: t.seq, dataIndex: 'seq', width: 72, align: 'right' },
            { title: t.kind, dataIndex: 'kind', width: 140 },
            { title: t.problemDetail, dataIndex: 'detail' },
          ]}
        />
      )}
    </>
  );
}
