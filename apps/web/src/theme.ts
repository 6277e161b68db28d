import type { ThemeConfig } from 'antd';

/** The ant-design-pro look: blue primary, small radii, 48px header, dark sider. */
export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#1677ff',
    borderRadius: 4,
    colorBgLayout: '#f0f2f5',
  },
  components: {
    Layout: { headerHeight: 48, headerPadding: '0 16px', headerBg: '#ffffff', siderBg: '#001529' },
    Menu: { darkItemBg: '#001529', darkSubMenuItemBg: '#000c17', itemHeight: 40 },
    Table: { cellPaddingBlockSM: 6 },
    Card: { paddingLG: 20 },
  },
};
