import { Card, Result, Skeleton } from 'antd';
import { useParams } from 'react-router';
import { useLists } from '../../api/lists';
import { fmt } from '../../locales/format';
import { zhCN } from '../../locales/zh-CN';
import { useSession } from '../../session/session-context';
import { NotFoundPage } from '../NotFoundPage';
import { ListView } from './ListView';

/** /basedata/:key — one generic page for every list of /api/v1/lists. */
export function BaseDataPage() {
  const { key } = useParams();
  const { can } = useSession();
  const lists = useLists();
  if (lists.isPending) {
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  }
  if (lists.error) return <Result status="error" title={lists.error.message} />;
  const meta = lists.data.find((l) => l.key === key);
  if (!meta) return <NotFoundPage title={zhCN.list.notFound} />;
  if (!can(meta.permission)) {
    return (
      <Result
        status="403"
        title="403"
        subTitle={fmt(zhCN.common.forbidden, { permission: meta.permission })}
      />
    );
  }
  return <ListView key={meta.key} meta={meta} />;
}
