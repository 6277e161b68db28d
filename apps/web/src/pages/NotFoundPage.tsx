import { Button, Result } from 'antd';
import { useNavigate } from 'react-router';
import { zhCN } from '../locales/zh-CN';

export function NotFoundPage({ title = zhCN.common.notFound }: { title?: string }) {
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title="404"
      subTitle={title}
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          {zhCN.list.backHome}
        </Button>
      }
    />
  );
}
