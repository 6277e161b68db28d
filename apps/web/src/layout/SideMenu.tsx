import { Menu, type MenuProps } from 'antd';
import { useMemo, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { useLists } from '../api/lists';
import { listIcons, listPath } from '../pages/basedata/list-nav';
import { appRoutes } from '../routes';
import { useSession } from '../session/session-context';

type Item = Required<MenuProps>['items'][number];

/** The dark sider menu: the route table, filtered by the user's permissions. */
export function SideMenu({ collapsed }: { collapsed: boolean }) {
  const { can } = useSession();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const lists = useLists(can('basedata.read'));
  const [openKeys, setOpenKeys] = useState<string[]>(['basedata']);

  const items = useMemo<Item[]>(() => {
    const out: Item[] = [];
    for (const r of appRoutes) {
      if (r.permission && !can(r.permission)) continue;
      if (r.menu === 'item') {
        out.push({ key: r.path, icon: r.icon, label: r.title });
        continue;
      }
      const children = (lists.data ?? [])
        .filter((l) => can(l.permission))
        .map((l) => ({ key: listPath(l.key), icon: listIcons[l.key], label: l.title.zh }));
      if (children.length > 0) out.push({ key: r.key, icon: r.icon, label: r.title, children });
    }
    return out;
  }, [can, lists.data]);

  return (
    <Menu
      theme="dark"
      mode="inline"
      items={items}
      selectedKeys={[pathname]}
      {...(collapsed ? {} : { openKeys, onOpenChange: setOpenKeys })}
      onClick={({ key }) => navigate(key)}
    />
  );
}
