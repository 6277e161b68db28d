import { ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Table, type TableColumnsType } from 'antd';
import { useInbox } from './api';
import { ApproveButtons } from './DocActions';
import { docColumns } from './DocListPage';
import { t } from './labels';
import type { DocumentItem } from './types';

const columns: TableColumnsType<DocumentItem> = [
  ...docColumns,
  { title: '送审人', dataIndex: 'submittedBy' },
  {
    title: '操作',
    key: 'actions',
    fixed: 'right',
    render: (_v, r) => <ApproveButtons doc={r} />,
  },
];

/**
 * /approvals — 审批待办: the submitted documents whose current step the user may approve here.
 * The server leaves out what separation of duties forbids (the user's own documents, a second
 * step of one they already approved), so every button shown can succeed.
 */
export function InboxPage() {
  const inbox = useInbox();
  return (
    <Card
      size="small"
      title={<span data-testid="page-title">{t.inbox}</span>}
      extra={
        <Button icon={<ReloadOutlined spin={inbox.isFetching} />} onClick={() => inbox.refetch()}>
          刷新
        </Button>
      }
    >
      <Table<DocumentItem>
        data-testid="inbox-table"
        size="small"
        bordered
        rowKey="docId"
        loading={inbox.isFetching}
        columns={columns}
        dataSource={inbox.data?.items ?? []}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description="暂无待审批的指标单" /> }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
      />
    </Card>
  );
}
