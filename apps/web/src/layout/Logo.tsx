import { AccountBookOutlined } from '@ant-design/icons';
import { zhCN } from '../locales/zh-CN';

export function Logo({ collapsed }: { collapsed: boolean }) {
  return (
    <div
      style={{
        height: 48,
        display: 'flex',
        alignItems: 'center',
        gap: 10,
        padding: collapsed ? '0 22px' : '0 16px',
        color: '#fff',
        overflow: 'hidden',
        whiteSpace: 'nowrap',
      }}
    >
      <AccountBookOutlined style={{ fontSize: 22, color: '#1677ff' }} />
      {!collapsed && (
        <span style={{ fontSize: 16, fontWeight: 600 }}>
          {zhCN.app.name}
          <span style={{ fontSize: 12, fontWeight: 400, marginLeft: 8, opacity: 0.75 }}>
            {zhCN.app.logoSubtitle}
          </span>
        </span>
      )}
    </div>
  );
}
