import { DownOutlined, ReloadOutlined, SearchOutlined, UpOutlined } from '@ant-design/icons';
import { Button, Col, Form, Input, Row, Select, Space } from 'antd';
import { useState } from 'react';

/** The 指标台账 query: a keyword, the pool, and one box per element (codes match by prefix). */
export type IndicatorCriteria = Record<string, string>;

const codeFields: [string, string][] = [
  ['agency', '单位代码'],
  ['dept', '部门代码'],
  ['project', '项目代码'],
  ['expFunc', '支出功能分类'],
  ['govEco', '政府经济分类'],
  ['depEco', '部门经济分类'],
  ['fundType', '资金性质'],
  ['sourceType', '指标来源'],
  ['indicatorType', '指标类型'],
  ['docNo', '文号'],
  ['supDocNo', '上级文号'],
];

export function IndicatorFilters({ onSearch }: { onSearch(c: IndicatorCriteria): void }) {
  const [form] = Form.useForm<Record<string, string | undefined>>();
  const [more, setMore] = useState(false);
  const submit = (v: Record<string, string | undefined>) => {
    const out: IndicatorCriteria = {};
    for (const [k, x] of Object.entries(v)) if (x?.trim()) out[k] = x.trim();
    onSearch(out);
  };
  const cell = (key: string, label: string, child: React.ReactNode, hidden = false) => (
    <Col key={key} xs={24} md={12} xl={6} style={hidden ? { display: 'none' } : undefined}>
      <Form.Item name={key} label={label} style={{ marginBottom: 0 }}>
        {child}
      </Form.Item>
    </Col>
  );
  return (
    <Form form={form} onFinish={submit} data-testid="indicator-filters">
      <Row gutter={[16, 12]}>
        {cell('q', '关键字', <Input allowClear aria-label="关键字" placeholder="指标编号、文号、单位名称" />)}
        {cell(
          'pool',
          '指标类别',
          <Select
            allowClear
            aria-label="指标类别"
            placeholder="全部"
            options={[
              { value: 'executable', label: '可执行' },
              { value: 'unallocated', label: '待分' },
            ]}
          />,
        )}
        {cell(
          'directReach',
          '直达资金',
          <Select
            allowClear
            aria-label="直达资金"
            placeholder="全部"
            options={[
              { value: 'true', label: '是' },
              { value: 'false', label: '否' },
            ]}
          />,
        )}
        {codeFields.map(([k, label], i) =>
          // Kept mounted when folded: the values still apply.
          cell(k, label, <Input allowClear aria-label={label} placeholder="编码或前几位" />, !more && i > 0),
        )}
        <Col flex="auto" style={{ textAlign: 'right' }}>
          <Space>
            <Button
              type="link"
              onClick={() => setMore((m) => !m)}
              icon={more ? <UpOutlined /> : <DownOutlined />}
            >
              {more ? '收起' : '更多条件'}
            </Button>
            <Button
              icon={<ReloadOutlined />}
              onClick={() => {
                form.resetFields();
                submit({});
              }}
            >
              重置
            </Button>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
              查询
            </Button>
          </Space>
        </Col>
      </Row>
    </Form>
  );
}
