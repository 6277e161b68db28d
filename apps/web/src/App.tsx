import { App as AntApp, ConfigProvider } from 'antd';
import zhCNLocale from 'antd/es/locale/zh_CN';
import { BrowserRouter, Route, Routes } from 'react-router';
import { QueryProvider } from './api/QueryProvider';
import { AppLayout } from './layout/AppLayout';
import { RequirePermission } from './layout/RequirePermission';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { appRoutes } from './routes';
import { RequireAuth } from './session/RequireAuth';
import { theme } from './theme';

export function App() {
  return (
    <ConfigProvider locale={zhCNLocale} theme={theme} button={{ autoInsertSpace: false }}>
      <AntApp>
        <QueryProvider>
          <BrowserRouter>
            <Routes>
              <Route path="/login" element={<LoginPage />} />
              <Route
                element={
                  <RequireAuth>
                    <AppLayout />
                  </RequireAuth>
                }
              >
                {appRoutes.map((r) => (
                  <Route
                    key={r.key}
                    path={r.path}
                    element={<RequirePermission permission={r.permission}>{r.element}</RequirePermission>}
                  />
                ))}
                <Route path="*" element={<NotFoundPage />} />
              </Route>
            </Routes>
          </BrowserRouter>
        </QueryProvider>
      </AntApp>
    </ConfigProvider>
  );
}
