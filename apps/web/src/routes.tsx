import {
  AccountBookOutlined,
  AlertOutlined,
  AuditOutlined,
  BarChartOutlined,
  CheckSquareOutlined,
  ControlOutlined,
  DatabaseOutlined,
  DiffOutlined,
  FileAddOutlined,
  FileSearchOutlined,
  FundOutlined,
  HistoryOutlined,
  HomeOutlined,
  InteractionOutlined,
  MonitorOutlined,
  NodeIndexOutlined,
  PayCircleOutlined,
  ProfileOutlined,
  ReconciliationOutlined,
  SendOutlined,
  TableOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import { zhCN } from './locales/zh-CN';
import { AuditPage } from './pages/audit/AuditPage';
import { BaseDataPage } from './pages/basedata/BaseDataPage';
import { ClearingPage } from './pages/clearing/ClearingPage';
import { HomePage } from './pages/HomePage';
import { DocDetailPage } from './pages/indicators/DocDetailPage';
import { DocEntryPage } from './pages/indicators/DocEntryPage';
import { DocListPage } from './pages/indicators/DocListPage';
import { InboxPage } from './pages/indicators/InboxPage';
import { IndicatorDetailPage } from './pages/indicators/IndicatorDetailPage';
import { IndicatorListPage } from './pages/indicators/IndicatorListPage';
import { LevelsPage } from './pages/indicators/LevelsPage';
import { t as ind } from './pages/indicators/labels';
import { YearendPage } from './pages/indicators/YearendPage';
import { DirectReachPage } from './pages/monitor/direct-reach/DirectReachPage';
import { LazyDashboardPage as MonitorDashboardPage } from './pages/monitor/LazyDashboard';
import { t as mon } from './pages/monitor/labels';
import { RuleEditorPage } from './pages/monitor/rules/RuleEditorPage';
import { RuleListPage } from './pages/monitor/rules/RuleListPage';
import { WarningDetailPage } from './pages/monitor/WarningDetailPage';
import { WarningListPage } from './pages/monitor/WarningListPage';
import { t as pay } from './pages/payments/labels';
import { PaymentApplyPage } from './pages/payments/PaymentApplyPage';
import { PaymentDetailPage } from './pages/payments/PaymentDetailPage';
import { PaymentListPage } from './pages/payments/PaymentListPage';
import { DifferenceDetailPage } from './pages/reconcile/DifferenceDetailPage';
import { DifferenceListPage } from './pages/reconcile/DifferenceListPage';
import { t as rec } from './pages/reconcile/labels';
import { ReconcileDashboardPage } from './pages/reconcile/ReconcileDashboardPage';

/** A permission a screen needs: one, any of several, or none (null: any signed-in user). */
export type Needs = string | readonly string[] | null;

export function allowed(can: (p: string) => boolean, needs: Needs): boolean {
  if (needs === null) return true;
  return typeof needs === 'string' ? can(needs) : needs.some(can);
}

/** One screen: its path, menu title and icon, and the permission it needs. */
export interface AppRoute {
  key: string;
  path: string;
  title: string;
  icon: ReactNode;
  permission: Needs;
  element: ReactNode;
  /**
   * 'item': one menu entry; 'lists': a group whose entries come from /api/v1/lists; 'hidden':
   * reached by links only (detail pages).
   */
  menu: 'item' | 'lists' | 'hidden';
  /** A key of `menuGroups`: the entry sits in that submenu. */
  group?: keyof typeof menuGroups;
}

/** Submenus of fixed entries, in the order their first entry appears in `appRoutes`. */
export const menuGroups = {
  indicators: { title: ind.menu, icon: <FundOutlined /> },
  payments: { title: pay.menu, icon: <PayCircleOutlined /> },
  monitor: { title: mon.menu, icon: <MonitorOutlined /> },
  reconcile: { title: rec.menu, icon: <ReconciliationOutlined /> },
} as const;

// Documents name many agencies: readers scoped to one agency see indicators, not documents.
const docWorkers = ['indicator.prepare', 'indicator.review'] as const;

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
    key: 'indicator-list',
    path: '/indicators',
    title: ind.list,
    icon: <TableOutlined />,
    permission: 'indicator.read',
    element: <IndicatorListPage />,
    menu: 'item',
    group: 'indicators',
  },
  {
    key: 'indicator-detail',
    path: '/indicators/:id',
    title: ind.detail,
    icon: <TableOutlined />,
    permission: 'indicator.read',
    element: <IndicatorDetailPage />,
    menu: 'hidden',
  },
  {
    key: 'indicator-doc-new',
    path: '/indicator-docs/new',
    title: ind.entry,
    icon: <FileAddOutlined />,
    permission: 'indicator.prepare',
    element: <DocEntryPage />,
    menu: 'item',
    group: 'indicators',
  },
  {
    key: 'indicator-docs',
    path: '/indicator-docs',
    title: ind.docs,
    icon: <FileSearchOutlined />,
    permission: docWorkers,
    element: <DocListPage />,
    menu: 'item',
    group: 'indicators',
  },
  {
    key: 'indicator-doc',
    path: '/indicator-docs/:docId',
    title: ind.docDetail,
    icon: <FileSearchOutlined />,
    permission: docWorkers,
    element: <DocDetailPage />,
    menu: 'hidden',
  },
  {
    key: 'approvals',
    path: '/approvals',
    title: ind.inbox,
    icon: <CheckSquareOutlined />,
    permission: 'indicator.review',
    element: <InboxPage />,
    menu: 'item',
    group: 'indicators',
  },
  {
    key: 'levels',
    path: '/reconciliations/levels',
    title: ind.levels,
    icon: <InteractionOutlined />,
    permission: docWorkers,
    element: <LevelsPage />,
    menu: 'item',
    group: 'indicators',
  },
  {
    key: 'yearend',
    path: '/yearend',
    title: '年终结转',
    icon: <HistoryOutlined />,
    permission: ['indicator.yearend', 'indicator.review'],
    element: <YearendPage />,
    menu: 'item',
    group: 'indicators',
  },
  {
    key: 'payment-new',
    path: '/payments/new',
    title: pay.apply,
    icon: <SendOutlined />,
    permission: 'payment.prepare',
    element: <PaymentApplyPage />,
    menu: 'item',
    group: 'payments',
  },
  {
    key: 'payments',
    path: '/payments',
    title: pay.list,
    icon: <ProfileOutlined />,
    permission: 'payment.read',
    element: <PaymentListPage />,
    menu: 'item',
    group: 'payments',
  },
  {
    key: 'payment-detail',
    path: '/payments/:id',
    title: pay.detail,
    icon: <ProfileOutlined />,
    permission: 'payment.read',
    element: <PaymentDetailPage />,
    menu: 'hidden',
  },
  {
    key: 'monitor-warnings',
    path: '/monitor/warnings',
    title: mon.warnings,
    icon: <AlertOutlined />,
    permission: 'monitor.read',
    element: <WarningListPage />,
    menu: 'item',
    group: 'monitor',
  },
  {
    key: 'monitor-warning',
    path: '/monitor/warnings/:id',
    title: mon.warningDetail,
    icon: <AlertOutlined />,
    permission: 'monitor.read',
    element: <WarningDetailPage />,
    menu: 'hidden',
  },
  {
    key: 'monitor-dashboard',
    path: '/monitor/dashboard',
    title: mon.dashboard,
    icon: <BarChartOutlined />,
    permission: 'monitor.read',
    element: <MonitorDashboardPage />,
    menu: 'item',
    group: 'monitor',
  },
  {
    key: 'monitor-rules',
    path: '/monitor/rules',
    title: '监控规则',
    icon: <ControlOutlined />,
    permission: 'monitor.read',
    element: <RuleListPage />,
    menu: 'item',
    group: 'monitor',
  },
  {
    key: 'monitor-rule-new',
    path: '/monitor/rules/new',
    title: '新建监控规则',
    icon: <ControlOutlined />,
    permission: 'monitor.rule.manage',
    element: <RuleEditorPage />,
    menu: 'hidden',
  },
  {
    key: 'monitor-rule',
    path: '/monitor/rules/:code',
    title: '编辑监控规则',
    icon: <ControlOutlined />,
    permission: 'monitor.read',
    element: <RuleEditorPage />,
    menu: 'hidden',
  },
  {
    key: 'monitor-direct-reach',
    path: '/monitor/direct-reach',
    title: '直达资金跟踪',
    icon: <NodeIndexOutlined />,
    permission: ['monitor.read', 'indicator.read'],
    element: <DirectReachPage />,
    menu: 'item',
    group: 'monitor',
  },
  {
    key: 'reconcile',
    path: '/reconcile',
    title: rec.dashboard,
    icon: <ReconciliationOutlined />,
    permission: 'reconcile.read',
    element: <ReconcileDashboardPage />,
    menu: 'item',
    group: 'reconcile',
  },
  {
    key: 'reconcile-differences',
    path: '/reconcile/differences',
    title: rec.differences,
    icon: <DiffOutlined />,
    permission: 'reconcile.read',
    element: <DifferenceListPage />,
    menu: 'item',
    group: 'reconcile',
  },
  {
    key: 'reconcile-difference',
    path: '/reconcile/differences/:id',
    title: rec.differenceDetail,
    icon: <DiffOutlined />,
    permission: 'reconcile.read',
    element: <DifferenceDetailPage />,
    menu: 'hidden',
  },
  {
    key: 'clearing',
    path: '/clearing',
    title: rec.clearing,
    icon: <AccountBookOutlined />,
    permission: 'clearing.read',
    element: <ClearingPage />,
    menu: 'item',
    group: 'reconcile',
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
