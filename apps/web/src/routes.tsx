import { AuditOutlined, DatabaseOutlined, HomeOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import { zhCN } from './locales/zh-CN';
import { AuditPage } from './pages/audit/AuditPage';
import { BaseDataPage } from './pages/basedata/BaseDataPage';
import { HomePage } from './pages/HomePage';

/** One screen: its path, menu title and icon, and the permission it needs (null: any user). */
export interface AppRoute {
  key: string;
  path: string;
  title: string;
  icon: ReactNode;
  permission: string | null;
  element: ReactNode;
  /** 'item': one menu entry; 'lists': a group whose entries come from /api/v1/lists. */
  menu: 'item' | 'lists';
}

export const appRoutes: readonly AppRoute[] = [
  {
    key: 'home',
    path: '/',
    title: zhCN.menu.home,
    icon: <HomeOutlined />,
    permission: null,
    element: <HomePage />,
    menu: 'item',
  },
  {
    key: 'basedata',
    path: '/basedata/:key',
    title: zhCN.menu.basedata,
    icon: <DatabaseOutlined />,
    permission: 'basedata.read',
    element: <BaseDataPage />,
    menu: 'lists',
  },
  {
    key: 'audit',
    path: '/audit',
    title: zhCN.menu.audit,
    icon: <AuditOutlined />,
    permission: 'audit.read',
    element: <AuditPage />,
    menu: 'item',
  },
];
