import { Result, Spin } from 'antd';
import { type ReactNode, useMemo } from 'react';
import { Navigate, useLocation } from 'react-router';
import { zhCN } from '../locales/zh-CN';
import { ScopeProvider } from '../scope/ScopeProvider';
import { useMeQuery } from './me-query';
import { SessionContext, sessionOf } from './session-context';

/** Loads the current user; without a session, goes to /login and comes back afterwards. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const location = useLocation();
  const { data: me, isPending, error } = useMeQuery();
  const session = useMemo(() => (me ? sessionOf(me) : null), [me]);

  if (isPending) {
    return (
      <div style={{ display: 'grid', placeItems: 'center', height: '100vh' }}>
        <Spin size="large" tip={zhCN.common.loading}>
          <div style={{ width: 120, height: 60 }} />
        </Spin>
      </div>
    );
  }
  if (error) return <Result status="error" title={error.message} />;
  if (!session) {
    const from = location.pathname + location.search;
    return <Navigate to="/login" replace state={{ from }} />;
  }
  return (
    <SessionContext value={session}>
      <ScopeProvider me={session.me}>{children}</ScopeProvider>
    </SessionContext>
  );
}
