import { Menu, type MenuProps } from 'antd';
import { useMemo, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { useLists } from '../api/lists';
import { listIcons, listPath } from '../pages/basedata/list-nav';
import { allowed, appRoutes, menuGroups } from '../routes';
import { useSession } from '../session/session-context';

type Item = Required<MenuProps>['items'][number];

/** The dark sider menu: the route table, filtered by the user's permissions. */
export function SideMenu({ collapsed }: { collapsed: boolean }) {
  const { can } = useSession();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const lists = useLists(can('basedata.read'));
  const [openKeys, setOpenKeys] = useState<string[]>([
    'basedata',
    'indicators',
    'payments',
    'monitor',
    'reconcile',
  ]);

  const items = useMemo<Item[]>(() => {
    const out: Item[] = [];
    const groups = new Map<string, Item[]>();
    for (const r of appRoutes) {
      if (!allowed(can, r.permission) || r.menu === 'hidden') continue;
      if (r.menu === 'item' && r.group) {
        // A group appears where its first permitted entry would, and only if it has one.
        let children = groups.get(r.group);
        if (!children) {
          children = [];
          groups.set(r.group, children);
          const g = menuGroups[r.group];
          out.push({ key: r.group, icon: g.icon, label: g.title, children });
        }
        children.push({ key: r.path, icon: r.icon, label: r.title });
        continue;
      }
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
