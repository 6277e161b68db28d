import { Table, Tag } from 'antd';
import type { Grant } from '../../api/types';
import { zhCN } from '../../locales/zh-CN';
import { regionName } from '../../scope/region-tree';
import { useSession } from '../../session/session-context';

/** The user's roles and the data scope of each. */
export function GrantsTable() {
  const { me } = useSession();
  const t = zhCN.home;
  return (
    <Table<Grant>
      size="small"
      pagination={false}
      rowKey={(g) => `${g.role}@${g.scopeRegion}`}
      dataSource={me.grants}
      locale={{ emptyText: t.noGrants }}
      columns={[
        { title: t.role, dataIndex: 'roleName', render: (v: string) => <Tag color="blue">{v}</Tag> },
        {
          title: t.scopeRegion,
          dataIndex: 'scopeRegion',
          render: (code: string) => `${regionName(me.regions, code)}（${code}）`,
        },
        {
          title: t.includeDescendants,
          dataIndex: 'includeDescendants',
          render: (v: boolean) => (v ? zhCN.list.yes : zhCN.list.no),
        },
        { title: t.scopeAgency, dataIndex: 'scopeAgency', render: (v: string | null) => v ?? t.allAgencies },
      ]}
    />
  );
}
