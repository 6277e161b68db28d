import { SearchOutlined } from '@ant-design/icons';
import { Button, Form, Input } from 'antd';
import { zhCN } from '../../locales/zh-CN';

export interface AuditCriteria {
  actor: string;
  commandType: string;
}

/** 操作人 / 命令类型 filters of the audit log. */
export function AuditFilters({ onSearch }: { onSearch(c: AuditCriteria): void }) {
  const t = zhCN.audit;
  return (
    <Form<Partial<AuditCriteria>>
      layout="inline"
      onFinish={(v) => onSearch({ actor: v.actor?.trim() ?? '', commandType: v.commandType?.trim() ?? '' })}
    >
      <Form.Item name="actor" label={t.actor}>
        <Input allowClear style={{ width: 160 }} aria-label={t.actor} />
      </Form.Item>
      <Form.Item name="commandType" label={t.commandType}>
        <Input allowClear style={{ width: 200 }} aria-label={t.commandType} placeholder="agency.save" />
      </Form.Item>
      <Form.Item>
        <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
          {zhCN.list.search}
        </Button>
      </Form.Item>
    </Form>
  );
}
