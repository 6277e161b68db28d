import { InboxOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Modal, Result, Spin, Upload } from 'antd';
import { useState } from 'react';
import { ApiError } from '../../api/client';
import { postImport } from '../../api/imports';
import type { ListMeta } from '../../api/types';
import { fmt } from '../../locales/format';
import { zhCN } from '../../locales/zh-CN';
import { ImportReportView } from './ImportReportView';

interface Props {
  meta: ListMeta;
  region: string;
  year: number;
  onClose(): void;
}

const errorText = (e: Error | null): string | null =>
  e ? (e instanceof ApiError ? e.body.message['zh-CN'] : zhCN.import.failed) : null;

/** 导入: pick a file → dry run preview → 确认导入 only when the preview is clean → result. */
export function ImportModal({ meta, region, year, onClose }: Props) {
  const t = zhCN.import;
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const scope = { region, year };

  const preview = useMutation({
    mutationFn: (f: File) => postImport(meta.key, f, scope, true),
    meta: { silent: true },
  });
  const commit = useMutation({
    mutationFn: (f: File) => postImport(meta.key, f, scope, false),
    meta: { silent: true },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['list', meta.key] }),
  });

  const pick = (f: File) => {
    setFile(f);
    commit.reset();
    preview.mutate(f);
  };
  const repick = () => {
    setFile(null);
    preview.reset();
    commit.reset();
  };

  const done = commit.data?.ok === true;
  const shown = commit.data ?? preview.data;
  const error = errorText(commit.error) ?? errorText(preview.error);

  const footer = done
    ? [
        <Button key="close" type="primary" onClick={onClose}>
          {t.close}
        </Button>,
      ]
    : [
        <Button key="cancel" onClick={onClose}>
          {t.cancel}
        </Button>,
        file && (
          <Button key="repick" onClick={repick} disabled={commit.isPending}>
            {t.repick}
          </Button>
        ),
        <Button
          key="confirm"
          type="primary"
          disabled={!file || preview.data?.ok !== true || preview.isPending}
          loading={commit.isPending}
          onClick={() => file && commit.mutate(file)}
        >
          {t.confirm}
        </Button>,
      ];

  return (
    <Modal
      open
      title={fmt(t.title, { title: meta.title.zh })}
      width={760}
      onCancel={onClose}
      footer={footer}
      maskClosable={false}
      destroyOnHidden
    >
      {done && commit.data ? (
        <Result
          status="success"
          title={t.done}
          subTitle={fmt(t.doneDetail, {
            imported: commit.data.imported,
            unchanged: commit.data.unchanged,
            total: commit.data.total,
          })}
        />
      ) : (
        <>
          {!file && (
            <Upload.Dragger
              accept=".xlsx,.csv"
              multiple={false}
              showUploadList={false}
              beforeUpload={(f) => {
                pick(f);
                return false;
              }}
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">{t.pick}</p>
              <p className="ant-upload-hint">{t.pickHint}</p>
            </Upload.Dragger>
          )}
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
          {preview.isPending && (
            <Spin tip={t.checking}>
              <div style={{ height: 120 }} />
            </Spin>
          )}
          {file && shown && <ImportReportView report={shown} fileName={file.name} />}
        </>
      )}
    </Modal>
  );
}
