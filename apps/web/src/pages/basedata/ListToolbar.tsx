import { DownloadOutlined, FileExcelOutlined, ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Space, Tooltip } from 'antd';
import { useState } from 'react';
import { ApiError, type Query } from '../../api/client';
import { download } from '../../api/download';
import type { ListMeta } from '../../api/types';
import { fmt } from '../../locales/format';
import { zhCN } from '../../locales/zh-CN';

interface Props {
  meta: ListMeta;
  query: Query;
  refreshing: boolean;
  onRefresh(): void;
  onImport(): void;
}

/** 导出Excel / 下载模板 / 导入 / 刷新 above a list. */
export function ListToolbar({ meta, query, refreshing, onRefresh, onImport }: Props) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState<'export' | 'template' | null>(null);

  const fetchFile = async (kind: 'export' | 'template') => {
    setBusy(kind);
    try {
      const name =
        kind === 'export'
          ? await download(`/${meta.key}/export`, query, `${meta.title.zh}.xlsx`)
          : await download(`/${meta.key}/template`, {}, `${meta.title.zh}-模板.xlsx`);
      message.success(fmt(zhCN.list.downloaded, { name }));
    } catch (e) {
      message.error(e instanceof ApiError ? e.body.message['zh-CN'] : zhCN.common.error);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Space size={8}>
      <Button icon={<FileExcelOutlined />} loading={busy === 'export'} onClick={() => fetchFile('export')}>
        {zhCN.list.exportExcel}
      </Button>
      <Button icon={<DownloadOutlined />} loading={busy === 'template'} onClick={() => fetchFile('template')}>
        {zhCN.list.downloadTemplate}
      </Button>
      {meta.importable && (
        <Button type="primary" icon={<UploadOutlined />} onClick={onImport}>
          {zhCN.list.import}
        </Button>
      )}
      <Tooltip title={zhCN.list.refresh}>
        <Button
          aria-label={zhCN.list.refresh}
          icon={<ReloadOutlined spin={refreshing} />}
          onClick={onRefresh}
        />
      </Tooltip>
    </Space>
  );
}
