import { Card } from 'antd';
import { useNavigate } from 'react-router';
import { useLists } from '../../api/lists';
import { zhCN } from '../../locales/zh-CN';
import { useSession } from '../../session/session-context';
import { listIcons, listPath } from '../basedata/list-nav';

/** One tile per base-data list the user may read. */
export function QuickLinks() {
  const { can } = useSession();
  const navigate = useNavigate();
  const lists = useLists(can('basedata.read'));
  const readable = (lists.data ?? []).filter((l) => can(l.permission));
  if (readable.length === 0) return null;
  return (
    <Card title={zhCN.home.quickLinks} size="small">
      {readable.map((l) => (
        <Card.Grid
          key={l.key}
          style={{ width: '25%', padding: 16, cursor: 'pointer', textAlign: 'center' }}
          onClick={() => navigate(listPath(l.key))}
        >
          <span style={{ fontSize: 20, color: '#1677ff', marginRight: 8 }}>{listIcons[l.key]}</span>
          {l.title.zh}
        </Card.Grid>
      ))}
    </Card>
  );
}
