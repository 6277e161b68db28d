import { ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { Button, Col, Form, Input, Row, Select, Space } from 'antd';
import type { ListColumn, ListMeta } from '../../api/types';
import { fmt } from '../../locales/format';
import { zhCN } from '../../locales/zh-CN';
import type { ListCriteria } from './list-query';

type Values = Record<string, string | undefined>;

const KEYWORD = '__q';

function FilterInput({ column }: { column: ListColumn }) {
  if (column.filter === 'select') {
    return (
      <Select
        allowClear
        showSearch
        optionFilterProp="label"
        placeholder={zhCN.list.selectPlaceholder}
        aria-label={column.title}
        options={column.options ?? []}
      />
    );
  }
  return (
    <Input
      allowClear
      placeholder={fmt(zhCN.list.textPlaceholder, { title: column.title })}
      aria-label={column.title}
    />
  );
}

/** The query form of a list: the keyword box and one field per filterable column. */
export function ListFilters({ meta, onSearch }: { meta: ListMeta; onSearch(c: ListCriteria): void }) {
  const [form] = Form.useForm<Values>();
  const filterable = meta.columns.filter((c) => c.filter !== null);

  const submit = (values: Values) => {
    const filters: Record<string, string> = {};
    for (const c of filterable) {
      const v = values[c.key]?.trim();
      if (v) filters[c.key] = v;
    }
    onSearch({ q: values[KEYWORD]?.trim() ?? '', filters });
  };

  return (
    <Form form={form} onFinish={submit} data-testid="list-filters">
      <Row gutter={[16, 12]}>
        <Col xs={24} md={12} xl={8}>
          <Form.Item name={KEYWORD} label={zhCN.list.keyword} style={{ marginBottom: 0 }}>
            <Input
              allowClear
              placeholder={zhCN.list.keywordPlaceholder}
              aria-label={zhCN.list.keyword}
              data-testid="list-keyword"
              prefix={<SearchOutlined style={{ color: 'rgba(0,0,0,0.35)' }} />}
            />
          </Form.Item>
        </Col>
        {filterable.map((c) => (
          <Col key={c.key} xs={24} md={12} xl={8}>
            <Form.Item name={c.key} label={c.title} style={{ marginBottom: 0 }}>
              <FilterInput column={c} />
            </Form.Item>
          </Col>
        ))}
        <Col flex="auto" style={{ textAlign: 'right' }}>
          <Space>
            <Button
              icon={<ReloadOutlined />}
              onClick={() => {
                form.resetFields();
                submit({});
              }}
            >
              {zhCN.list.reset}
            </Button>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
              {zhCN.list.search}
            </Button>
          </Space>
        </Col>
      </Row>
    </Form>
  );
}
