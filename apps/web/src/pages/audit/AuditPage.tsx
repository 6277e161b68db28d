import { SafetyCertificateOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { Button, Card, Modal, Table } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import type { AuditRecord, AuditVerification, Page } from '../../api/types';
import { fmt } from '../../locales/format';
import { zhCN } from '../../locales/zh-CN';
import { useScope } from '../../scope/scope-context';
import { useSession } from '../../session/session-context';
import { type AuditCriteria, AuditFilters } from './AuditFilters';
import { auditColumns } from './audit-columns';
import { VerifyResult } from './VerifyResult';

/** /audit — the region's audit chain, newest first, and its verification. */
export function AuditPage() {
  const t = zhCN.audit;
  const { can } = useSession();
  const { region } = useScope();
  const [criteria, setCriteria] = useState<AuditCriteria>({ actor: '', commandType: '' });
  const [paging, setPaging] = useState({ region, page: 1, pageSize: 20 });
  const page = paging.region === region ? paging.page : 1;

  const records = useQuery({
    queryKey: ['audit-records', region, criteria, page, paging.pageSize],
    queryFn: () =>
      api.get<Page<AuditRecord>>('/audit-records', { region, page, pageSize: paging.pageSize, ...criteria }),
    placeholderData: keepPreviousData,
  });
  const verify = useMutation({
    mutationFn: () => api.post<AuditVerification>('/audit/verifications', undefined, { region }),
  });

  return (
    <>
      <Card size="small" style={{ marginBottom: 16 }}>
        <AuditFilters
          onSearch={(c) => {
            setCriteria(c);
            setPaging((p) => ({ ...p, region, page: 1 }));
          }}
        />
      </Card>
      <Card
        title={t.title}
        size="small"
        extra={
          can('audit.verify') && (
            <Button
              type="primary"
              icon={<SafetyCertificateOutlined />}
              loading={verify.isPending}
              onClick={() => verify.mutate()}
            >
              {t.verify}
            </Button>
          )
        }
      >
        <Table<AuditRecord>
          size="small"
          bordered
          loading={records.isFetching}
          rowKey={(r) => `${r.regionCode}:${r.seq}`}
          columns={auditColumns}
          dataSource={records.data?.items ?? []}
          scroll={{ x: 'max-content' }}
          expandable={{
            expandedRowRender: (r) => (
              <pre style={{ margin: 0, fontSize: 12, whiteSpace: 'pre-wrap' }}>
                {`${t.commandId}: ${r.commandId}\n${t.hash}: ${r.hash}\n${t.detail}: ${JSON.stringify(r.detail, null, 2)}`}
              </pre>
            ),
          }}
          pagination={{
            current: page,
            pageSize: paging.pageSize,
            total: records.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => fmt(zhCN.list.total, { total }),
            onChange: (p, size) =>
              setPaging({ region, page: size === paging.pageSize ? p : 1, pageSize: size }),
          }}
        />
      </Card>
      <Modal
        open={verify.data !== undefined}
        title={t.verifyTitle}
        width={720}
        footer={null}
        onCancel={() => verify.reset()}
      >
        {verify.data && <VerifyResult result={verify.data} />}
      </Modal>
    </>
  );
}
