import { Layout, Typography } from 'antd';
import { useState } from 'react';
import { Outlet } from 'react-router';
import { zhCN } from '../locales/zh-CN';
import { HeaderBar } from './HeaderBar';
import { Logo } from './Logo';
import { SideMenu } from './SideMenu';

/** The signed-in frame: dark sider with the menu, header with scope selectors, content. */
export function AppLayout() {
  const [collapsed, setCollapsed] = useState(false);
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={208} collapsedWidth={64} collapsible collapsed={collapsed} trigger={null}>
        <Logo collapsed={collapsed} />
        <SideMenu collapsed={collapsed} />
      </Layout.Sider>
      <Layout>
        <HeaderBar collapsed={collapsed} onToggle={() => setCollapsed((c) => !c)} />
        <Layout.Content style={{ padding: 16 }}>
          <Outlet />
        </Layout.Content>
        <Layout.Footer style={{ textAlign: 'center', padding: '12px 16px' }}>
          <Typography.Text type="secondary">{zhCN.app.footer}</Typography.Text>
        </Layout.Footer>
      </Layout>
    </Layout>
  );
}
