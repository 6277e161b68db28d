import { Result } from 'antd';
import type { ReactNode } from 'react';
import { fmt } from '../locales/format';
import { zhCN } from '../locales/zh-CN';
import { useSession } from '../session/session-context';

/** Renders children only when the user holds the permission (null: everyone signed in). */
export function RequirePermission({
  permission,
  children,
}: {
  permission: string | null;
  children: ReactNode;
}) {
  const { can } = useSession();
  if (permission && !can(permission)) {
    return <Result status="403" title="403" subTitle={fmt(zhCN.common.forbidden, { permission })} />;
  }
  return children;
}
