import { Result } from 'antd';
import type { ReactNode } from 'react';
import { fmt } from '../locales/format';
import { zhCN } from '../locales/zh-CN';
import { allowed, type Needs } from '../routes';
import { useSession } from '../session/session-context';

/** Renders children only when the user holds the permission (any of a list; null: everyone signed in). */
export function RequirePermission({ permission, children }: { permission: Needs; children: ReactNode }) {
  const { can } = useSession();
  if (!allowed(can, permission)) {
    const text = typeof permission === 'string' ? permission : (permission ?? []).join(' / ');
    return <Result status="403" title="403" subTitle={fmt(zhCN.common.forbidden, { permission: text })} />;
  }
  return children;
}
