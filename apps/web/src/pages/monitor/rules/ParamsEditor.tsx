import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Form, Input, InputNumber, Select, Space, Switch, Typography } from 'antd';
import { blankValue, PARAM_NAME, type ParamRow, YUAN } from './form';
import { type ParamKind, paramKindNames } from './labels';

const kindOptions = Object.entries(paramKindNames).map(([value, label]) => ({ value, label }));

/** The value input of one parameter row, by its type. */
function ValueInput({ kind, name, index }: { kind: ParamKind | undefined; name: number; index: number }) {
  const label = `参数值 ${index + 1}`;
  switch (kind) {
    case 'number':
      return (
        <Form.Item
          name={[name, 'value']}
          style={{ marginBottom: 0 }}
          rules={[{ required: true, message: '请输入数字' }]}
        >
          <InputNumber aria-label={label} style={{ width: 200 }} />
        </Form.Item>
      );
    case 'boolean':
      return (
        <Form.Item name={[name, 'value']} style={{ marginBottom: 0 }} valuePropName="checked">
          <Switch aria-label={label} checkedChildren="是" unCheckedChildren="否" />
        </Form.Item>
      );
    case 'codes':
      return (
        <Form.Item name={[name, 'value']} style={{ marginBottom: 0 }}>
          <Select
            aria-label={label}
            mode="tags"
            tokenSeparators={[',', '，', ' ']}
            style={{ width: 320 }}
            placeholder="输入编码后回车"
            open={false}
          />
        </Form.Item>
      );
    case 'yuan':
      return (
        <Form.Item
          name={[name, 'value']}
          style={{ marginBottom: 0 }}
          rules={[{ required: true, pattern: YUAN, message: '金额须为最多两位小数的元金额' }]}
        >
          <Input aria-label={label} style={{ width: 200 }} suffix="元" placeholder="5000.00" />
        </Form.Item>
      );
    default:
      return (
        <Form.Item name={[name, 'value']} style={{ marginBottom: 0 }}>
          <Input aria-label={label} style={{ width: 320 }} maxLength={200} />
        </Form.Item>
      );
  }
}

/** 函数参数: name, type (数字/文本/是否/编码列表/金额) and value of each `params.<name>`. */
export function ParamsEditor({ disabled = false }: { disabled?: boolean }) {
  const form = Form.useFormInstance();
  return (
    <Form.List name="params">
      {(fields, { add, remove }) => (
        <div data-testid="params-editor">
          {fields.length === 0 && (
            <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 8 }}>
              无参数。条件中以 params.名称 引用参数。
            </Typography.Text>
          )}
          {fields.map((f, i) => (
            <Space key={f.key} align="start" style={{ display: 'flex', marginBottom: 8 }} wrap>
              <Form.Item
                name={[f.name, 'name']}
                rules={[
                  { required: true, message: '请输入参数名' },
                  { pattern: PARAM_NAME, message: '参数名以小写字母开头，只含字母和数字' },
                ]}
                style={{ marginBottom: 0 }}
              >
                <Input
                  aria-label={`参数名 ${i + 1}`}
                  placeholder="参数名，如 threshold"
                  style={{ width: 180 }}
                />
              </Form.Item>
              <Form.Item name={[f.name, 'kind']} style={{ marginBottom: 0 }}>
                <Select
                  aria-label={`参数类型 ${i + 1}`}
                  options={kindOptions}
                  style={{ width: 130 }}
                  onChange={(k: ParamKind) => form.setFieldValue(['params', f.name, 'value'], blankValue(k))}
                />
              </Form.Item>
              <Form.Item
                noStyle
                shouldUpdate={(a, b) => a.params?.[f.name]?.kind !== b.params?.[f.name]?.kind}
              >
                {() => (
                  <ValueInput
                    kind={(form.getFieldValue(['params', f.name]) as ParamRow | undefined)?.kind}
                    name={f.name}
                    index={i}
                  />
                )}
              </Form.Item>
              <Button
                type="text"
                danger
                icon={<DeleteOutlined />}
                aria-label={`删除参数 ${i + 1}`}
                disabled={disabled}
                onClick={() => remove(f.name)}
              />
            </Space>
          ))}
          <Button
            type="dashed"
            icon={<PlusOutlined />}
            disabled={disabled}
            onClick={() => add({ name: '', kind: 'yuan', value: '' } satisfies ParamRow)}
          >
            添加参数
          </Button>
        </div>
      )}
    </Form.List>
  );
}
