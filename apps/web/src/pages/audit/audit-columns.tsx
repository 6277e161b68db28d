import { type TableColumnsType, Tag, Tooltip } from 'antd';
import dayjs from 'dayjs';
import type { AuditRecord } from '../../api/types';
import { zhCN } from '../../locales/zh-CN';

const t = zhCN.audit;
const dash = (v: unknown) => (v === null || v === undefined || v === '' ? zhCN.list.empty : String(v));

export const auditColumns: TableColumnsType<AuditRecord> = [
  { title: t.seq, dataIndex: 'seq', width: 72, align: 'right' },
  {
    title: t.recordedAt,
    dataIndex: 'recordedAt',
    width: 170,
    render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm:ss'),
  },
  { title: t.actor, dataIndex: 'actor', width: 110 },
  { title: t.commandType, dataIndex: 'commandType', width: 200, render: (v: string) => <code>{v}</code> },
  { title: t.fiscalYear, dataIndex: 'fiscalYear', width: 70, render: dash },
  { title: t.businessDate, dataIndex: 'businessDate', width: 110, render: dash },
  {
    title: t.outcome,
    dataIndex: 'outcome',
    width: 80,
    render: (v: string) =>
      v === 'accepted' ? (
        <Tag color="success">{t.accepted}</Tag>
      ) : (
        <Tag color="error">{v === 'rejected' ? t.rejected : v}</Tag>
      ),
  },
  { title: t.errorCode, dataIndex: 'errorCode', width: 170, render: dash },
  {
    title: t.hash,
    dataIndex: 'hash',
    width: 130,
    render: (v: string) => (
      <Tooltip title={v}>
        <span className="fiscus-mono">{v.slice(0, 12)}…</span>
      </Tooltip>
    ),
  },
];
