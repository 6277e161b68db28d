import { Card, Col, Descriptions, Row, Tag, Typography } from 'antd';
import { fmt } from '../locales/format';
import { zhCN } from '../locales/zh-CN';
import { regionName } from '../scope/region-tree';
import { useScope } from '../scope/scope-context';
import { useSession } from '../session/session-context';
import { GrantsTable } from './home/GrantsTable';
import { QuickLinks } from './home/QuickLinks';

export function HomePage() {
  const { me } = useSession();
  const { region, year } = useScope();
  const t = zhCN.home;
  return (
    <Row gutter={[16, 16]}>
      <Col span={24}>
        <Card>
          <Typography.Title level={4} style={{ marginTop: 0 }}>
            {fmt(t.welcome, { name: me.displayName })}
          </Typography.Title>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
            {fmt(t.intro, { region: regionName(me.regions, region), year })}
          </Typography.Paragraph>
        </Card>
      </Col>
      <Col xs={24} lg={8}>
        <Card title={t.account} size="small" style={{ height: '100%' }}>
          <Descriptions
            column={1}
            size="small"
            items={[
              { key: 'username', label: t.username, children: me.username },
              { key: 'displayName', label: t.displayName, children: me.displayName },
              { key: 'permissions', label: t.permissionCount, children: me.permissions.length },
              {
                key: 'regions',
                label: t.regions,
                children: (
                  <div>
                    {me.regions.map((r) => (
                      <Tag key={r.code} style={{ marginBottom: 4 }}>
                        {r.name}
                      </Tag>
                    ))}
                  </div>
                ),
              },
            ]}
          />
        </Card>
      </Col>
      <Col xs={24} lg={16}>
        <Card title={t.roles} size="small" style={{ height: '100%' }}>
          <GrantsTable />
        </Card>
      </Col>
      <Col span={24}>
        <QuickLinks />
      </Col>
    </Row>
  );
}
