import { LogoutOutlined, MenuFoldOutlined, MenuUnfoldOutlined, UserOutlined } from '@ant-design/icons';
import { Avatar, Button, Divider, Layout, Space, Typography } from 'antd';
import { zhCN } from '../locales/zh-CN';
import { useSession } from '../session/session-context';
import { useLogout } from '../session/use-logout';
import { RegionSelect } from './RegionSelect';
import { YearSelect } from './YearSelect';

interface Props {
  collapsed: boolean;
  onToggle(): void;
}

export function HeaderBar({ collapsed, onToggle }: Props) {
  const { me } = useSession();
  const logout = useLogout();
  return (
    <Layout.Header
      style={{
        display: 'flex',
        alignItems: 'center',
        gap: 12,
        boxShadow: '0 1px 4px rgba(0, 21, 41, 0.08)',
        position: 'sticky',
        top: 0,
        zIndex: 10,
      }}
    >
      <Button
        type="text"
        aria-label="toggle-menu"
        icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
        onClick={onToggle}
      />
      <div style={{ flex: 1 }} />
      <Space size={8}>
        <Typography.Text type="secondary">{zhCN.header.region}</Typography.Text>
        <RegionSelect />
        <Typography.Text type="secondary">{zhCN.header.year}</Typography.Text>
        <YearSelect />
      </Space>
      <Divider type="vertical" />
      <Space size={6} data-testid="current-user">
        <Avatar size="small" icon={<UserOutlined />} style={{ backgroundColor: '#1677ff' }} />
        <Typography.Text>{me.displayName}</Typography.Text>
      </Space>
      <Button
        type="text"
        size="small"
        icon={<LogoutOutlined />}
        loading={logout.isPending}
        onClick={() => logout.mutate()}
      >
        {zhCN.header.logout}
      </Button>
    </Layout.Header>
  );
}
