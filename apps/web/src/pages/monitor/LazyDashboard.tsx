import { Spin } from 'antd';
import { lazy, Suspense } from 'react';

// ECharts is loaded with the 监控看板 only, not with every screen.
const Dashboard = lazy(() => import('./DashboardPage').then((m) => ({ default: m.DashboardPage })));

/** /monitor/dashboard, loaded on first visit. */
export function LazyDashboardPage() {
  return (
    <Suspense fallback={<Spin />}>
      <Dashboard />
    </Suspense>
  );
}
