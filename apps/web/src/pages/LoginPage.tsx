import { AccountBookOutlined, LockOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { ApiError, api } from '../api/client';
import type { Me } from '../api/types';
import { zhCN } from '../locales/zh-CN';
import { meKey, useMeQuery } from '../session/me-query';

interface Credentials {
  username: string;
  password: string;
}

function returnPath(state: unknown): string {
  const from = (state as { from?: unknown } | null)?.from;
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('/login') ? from : '/';
}

export function LoginPage() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const me = useMeQuery();
  const login = useMutation({
    mutationFn: (c: Credentials) => api.post<{ user: Me }>('/sessions', c),
    meta: { silent: true },
    onSuccess: ({ user }) => {
      queryClient.setQueryData(meKey, user);
      navigate(returnPath(location.state), { replace: true });
    },
  });

  if (me.data) return <Navigate to={returnPath(location.state)} replace />;

  const error = login.error;
  const errorText =
    error instanceof ApiError ? error.body.message['zh-CN'] : error ? zhCN.login.failed : null;

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'grid',
        placeItems: 'center',
        background: 'linear-gradient(160deg, #001529 0%, #003a70 55%, #f0f2f5 55%)',
      }}
    >
      <Card style={{ width: 380, boxShadow: '0 6px 24px rgba(0, 21, 41, 0.18)' }}>
        <div style={{ textAlign: 'center', marginBottom: 24 }}>
          <AccountBookOutlined style={{ fontSize: 36, color: '#1677ff' }} />
          <Typography.Title level={3} style={{ margin: '8px 0 0' }}>
            {zhCN.app.name} {zhCN.login.subtitle}
          </Typography.Title>
          <Typography.Text type="secondary">{zhCN.login.title}</Typography.Text>
        </div>
        {errorText && (
          <Alert
            type="error"
            showIcon
            message={errorText}
            style={{ marginBottom: 16 }}
            data-testid="login-error"
          />
        )}
        <Form<Credentials>
          layout="vertical"
          size="large"
          onFinish={(v) => login.mutate(v)}
          requiredMark={false}
        >
          <Form.Item name="username" rules={[{ required: true, message: zhCN.login.usernameRequired }]}>
            <Input
              prefix={<UserOutlined />}
              placeholder={zhCN.login.username}
              aria-label={zhCN.login.username}
              autoComplete="username"
              autoFocus
            />
          </Form.Item>
          <Form.Item name="password" rules={[{ required: true, message: zhCN.login.passwordRequired }]}>
            <Input.Password
              prefix={<LockOutlined />}
              placeholder={zhCN.login.password}
              aria-label={zhCN.login.password}
              autoComplete="current-password"
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={login.isPending}>
            {zhCN.login.submit}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
