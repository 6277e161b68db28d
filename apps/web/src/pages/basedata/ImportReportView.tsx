import { Alert, Descriptions, Table } from 'antd';
import type { ImportError, ImportReport } from '../../api/types';
import { fmt } from '../../locales/format';
import { zhCN } from '../../locales/zh-CN';

/** The dry-run preview of an import: counts, verdict, and every error by row and column. */
export function ImportReportView({ report, fileName }: { report: ImportReport; fileName: string }) {
  const t = zhCN.import;
  return (
    <>
      <Descriptions
        size="small"
        bordered
        column={4}
        style={{ marginBottom: 12 }}
        items={[
          { key: 'file', label: t.file, children: fileName, span: 4 },
          { key: 'total', label: t.total, children: report.total },
          { key: 'unchanged', label: t.unchanged, children: report.unchanged },
          { key: 'errors', label: t.errorCount, children: report.errors.length },
        ]}
      />
      <Alert
        showIcon
        type={report.ok ? 'success' : 'error'}
        style={{ marginBottom: 12 }}
        data-testid="import-verdict"
        message={
          report.ok
            ? fmt(t.previewOk, { total: report.total })
            : fmt(t.previewFailed, { count: report.errors.length })
        }
      />
      {report.errors.length > 0 && (
        <Table<ImportError>
          size="small"
          bordered
          data-testid="import-errors"
          rowKey={(e) => `${e.row}:${e.column ?? ''}:${e.code}:${e.message.en}`}
          dataSource={report.errors}
          pagination={{ pageSize: 10, hideOnSinglePage: true, size: 'small', showSizeChanger: false }}
          columns={[
            { title: t.row, dataIndex: 'row', width: 72, align: 'right' },
            {
              title: t.column,
              dataIndex: 'column',
              width: 120,
              render: (v: string | null) => v ?? zhCN.list.empty,
            },
            { title: t.code, dataIndex: 'code', width: 180, render: (v: string) => <code>{v}</code> },
            { title: t.message, key: 'message', render: (_: unknown, e: ImportError) => e.message['zh-CN'] },
          ]}
        />
      )}
    </>
  );
}
