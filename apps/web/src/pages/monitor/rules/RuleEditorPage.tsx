import { ArrowLeftOutlined, SaveOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  AutoComplete,
  Button,
  Card,
  Col,
  Form,
  Input,
  Row,
  Select,
  Space,
  Switch,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../../api/client';
import { useScope } from '../../../scope/scope-context';
import { useSession } from '../../../session/session-context';
import { useRuleCommand, useRuleHistory } from './api';
import { ConditionHelp } from './ConditionHelp';
import { blankForm, definitionOf, formOf, ISO_DATE, RULE_CODE, type RuleFormValues } from './form';
import { actionOptions, levelOptions, ruleLevelOptions, t, themeNames, triggerOptions } from './labels';
import { ParamsEditor } from './ParamsEditor';
import { RuleHistory } from './RuleHistory';
import { RuleTryPanel } from './RuleTryPanel';
import type { RuleDefinition, RuleVersion } from './types';

const SIMPLE_FIELDS = new Set([
  'code',
  'name',
  'theme',
  'basis',
  'trigger',
  'condition',
  'warningLevel',
  'action',
  'effectiveFrom',
  'effectiveTo',
  'enabled',
]);

/** The form field a server issue path names (`rule.condition`, `scope.regions.0`, `params.x` …). */
function fieldOf(path: string, params: RuleFormValues['params']): (string | number)[] | null {
  const p = path.replace(/^payload\./, '').replace(/^rule\./, '');
  const head = p.split('.')[0] ?? '';
  if (SIMPLE_FIELDS.has(head)) return [head];
  if (p.startsWith('scope.regions')) return ['regions'];
  if (p === 'scope.level') return ['level'];
  if (head === 'prompt') return p.endsWith('.en') ? ['promptEn'] : ['promptZh'];
  if (head === 'params') {
    const name = p.split('.')[1];
    const i = (params ?? []).findIndex((r) => r.name?.trim() === name);
    return i >= 0 ? ['params', i, 'name'] : null;
  }
  return null;
}

/** A new editor per rule opened: one rule's state never leaks into the next. */
export function RuleEditorPage() {
  const { code } = useParams();
  return <RuleEditor key={code ?? 'new'} code={code ?? null} />;
}

/**
 * /monitor/rules/new and /monitor/rules/:code — 监控规则编辑: every field of the rule definition,
 * the condition with its language reference, parameters, version history, and a test-run and
 * backtest of the rule as it stands. Each save is a new version from the version loaded.
 */
function RuleEditor({ code }: { code: string | null }) {
  const { region, year } = useScope();
  const { can, me } = useSession();
  const manage = can('monitor.rule.manage');
  const { message } = App.useApp();
  const navigate = useNavigate();
  const history = useRuleHistory(code);
  const save = useRuleCommand<{ code: string; version: number }>();
  const [form] = Form.useForm<RuleFormValues>();
  const [base, setBase] = useState(0);
  const [refusal, setRefusal] = useState<{ code: string; text: string } | null>(null);
  const loaded = useRef(false);
  const latest = history.data?.versions[0];

  // The newest version fills the form once; a later refetch does not overwrite edits.
  useEffect(() => {
    if (loaded.current || !latest) return;
    loaded.current = true;
    form.setFieldsValue(formOf(latest));
    setBase(latest.version);
  }, [latest, form]);

  const regionOptions = useMemo(
    () => [
      { value: '', label: '全部区划（空前缀）' },
      ...me.regions.map((r) => ({ value: r.code, label: `${r.code} ${r.name}` })),
    ],
    [me.regions],
  );

  /** A refusal: the coded message on top, and each field's complaint under its field. */
  const showRefusal = (e: unknown) => {
    if (!(e instanceof ApiError)) {
      setRefusal({ code: 'ERROR', text: e instanceof Error ? e.message : String(e) });
      return;
    }
    setRefusal({ code: e.code, text: e.body.message['zh-CN'] });
    const params = form.getFieldValue('params') as RuleFormValues['params'];
    const byField = new Map<string, { name: (string | number)[]; errors: string[] }>();
    for (const i of e.body.issues ?? []) {
      const name = fieldOf(i.path, params);
      if (!name) continue;
      const k = name.join('.');
      const entry = byField.get(k) ?? { name, errors: [] };
      entry.errors.push(`${i.code}：${i.messageZh}`);
      byField.set(k, entry);
    }
    // Paths built from server issues: antd's typed NamePath cannot follow them.
    form.setFields([...byField.values()] as Parameters<typeof form.setFields>[0]);
  };

  /** The form checked and as a definition, or null (the form shows what is missing). */
  const draft = async (): Promise<RuleDefinition | null> => {
    setRefusal(null);
    try {
      return definitionOf(await form.validateFields());
    } catch {
      return null;
    }
  };

  const onSave = async () => {
    const rule = await draft();
    if (!rule) return;
    try {
      const r = await save.mutateAsync({ type: 'monitorRule.save', payload: { rule, baseVersion: base } });
      message.success(`已保存监控规则 ${r.code} 版本 ${r.version}`);
      setBase(r.version);
      if (code === null) navigate(`/monitor/rules/${encodeURIComponent(r.code)}`, { replace: true });
    } catch (e) {
      showRefusal(e);
    }
  };

  const loadVersion = (v: RuleVersion) => {
    setRefusal(null);
    form.resetFields();
    form.setFieldsValue(formOf(v));
    message.info(`已载入版本 ${v.version}，保存后为新版本`);
  };

  const reloadLatest = async () => {
    const r = await history.refetch();
    const v = r.data?.versions[0];
    if (!v) return;
    loadVersion(v);
    setBase(v.version);
  };

  const notFound = code !== null && history.isError;

  return (
    <>
      <Card
        size="small"
        title={
          <Space>
            <span data-testid="page-title">{code === null ? t.newRule : t.editRule}</span>
            {code !== null && (
              <Typography.Text className="fiscus-mono" type="secondary">
                {code}
              </Typography.Text>
            )}
            {base > 0 && (
              <Tag color="blue" data-testid="base-version">
                当前版本 v{base}
              </Tag>
            )}
          </Space>
        }
        extra={
          <Space>
            <Link to="/monitor/rules">
              <Button icon={<ArrowLeftOutlined />}>返回列表</Button>
            </Link>
            {manage && (
              <Button
                type="primary"
                icon={<SaveOutlined />}
                loading={save.isPending}
                disabled={notFound}
                onClick={() => void onSave()}
              >
                {code === null ? '保存' : '保存为新版本'}
              </Button>
            )}
          </Space>
        }
      >
        {notFound && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            message={history.error instanceof ApiError ? history.error.body.message['zh-CN'] : '读取规则失败'}
          />
        )}
        {refusal && (
          <Alert
            data-testid="command-error"
            type="error"
            showIcon
            closable
            onClose={() => setRefusal(null)}
            style={{ marginBottom: 12 }}
            message={
              <span>
                <Typography.Text code>{refusal.code}</Typography.Text> {refusal.text}
              </span>
            }
            action={
              refusal.code === 'STATE_INVALID' && code !== null ? (
                <Button size="small" onClick={() => void reloadLatest()}>
                  载入最新版本
                </Button>
              ) : undefined
            }
          />
        )}
        <Form<RuleFormValues>
          form={form}
          layout="vertical"
          disabled={!manage || notFound}
          initialValues={blankForm(region, year)}
          onValuesChange={() => setRefusal((r) => (r?.code === 'STATE_INVALID' ? r : null))}
        >
          <Row gutter={16}>
            <Col xs={24} xl={16}>
              <Row gutter={12}>
                <Col xs={24} md={8}>
                  <Form.Item
                    name="code"
                    label="规则编码"
                    rules={[
                      { required: true, message: '请输入规则编码' },
                      { pattern: RULE_CODE, message: '规则编码为大写字母开头的大写字母、数字和下划线' },
                    ]}
                  >
                    <Input
                      aria-label="规则编码"
                      className="fiscus-mono"
                      disabled={code !== null}
                      placeholder="如 CASH_LARGE_SINGLE"
                      maxLength={48}
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} md={10}>
                  <Form.Item
                    name="name"
                    label="规则名称"
                    rules={[{ required: true, message: '请输入规则名称' }]}
                  >
                    <Input aria-label="规则名称" maxLength={200} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={6}>
                  <Form.Item
                    name="theme"
                    label="监控主题"
                    rules={[{ required: true, message: '请输入监控主题' }]}
                  >
                    <AutoComplete
                      aria-label="监控主题"
                      options={Object.entries(themeNames).map(([value, label]) => ({
                        value,
                        label: `${label}（${value}）`,
                      }))}
                      filterOption={(input, o) =>
                        String(o?.label ?? '')
                          .toLowerCase()
                          .includes(input.toLowerCase())
                      }
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} md={8}>
                  <Form.Item name="trigger" label="触发类型" rules={[{ required: true }]}>
                    <Select aria-label="触发类型" options={triggerOptions} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={8}>
                  <Form.Item name="warningLevel" label="预警级别" rules={[{ required: true }]}>
                    <Select aria-label="预警级别" options={levelOptions} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={8}>
                  <Form.Item
                    name="action"
                    label="处理方式"
                    rules={[{ required: true }]}
                    extra="定时触发的规则只能预警或记录"
                  >
                    <Select aria-label="处理方式" options={actionOptions} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={16}>
                  <Form.Item
                    name="regions"
                    label="生效范围（区划前缀）"
                    rules={[{ required: true, type: 'array', min: 1, message: '至少选择一个区划' }]}
                  >
                    <Select
                      aria-label="生效范围"
                      mode="tags"
                      options={regionOptions}
                      optionFilterProp="label"
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} md={8}>
                  <Form.Item name="level" label="管理级次" rules={[{ required: true }]}>
                    <Select aria-label="管理级次" options={ruleLevelOptions} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={8}>
                  <Form.Item
                    name="effectiveFrom"
                    label="生效日期"
                    rules={[{ required: true, pattern: ISO_DATE, message: '日期格式为 YYYY-MM-DD' }]}
                  >
                    <Input aria-label="生效日期" placeholder="YYYY-MM-DD" />
                  </Form.Item>
                </Col>
                <Col xs={24} md={8}>
                  <Form.Item
                    name="effectiveTo"
                    label="失效日期（含，可空）"
                    rules={[{ pattern: ISO_DATE, message: '日期格式为 YYYY-MM-DD' }]}
                  >
                    <Input aria-label="失效日期" placeholder="长期有效" allowClear />
                  </Form.Item>
                </Col>
                <Col xs={24} md={8}>
                  <Form.Item name="enabled" label="启用" valuePropName="checked">
                    <Switch aria-label="启用" checkedChildren="启用" unCheckedChildren="停用" />
                  </Form.Item>
                </Col>
              </Row>
              <div data-testid="condition-field">
                <Form.Item
                  name="condition"
                  label="条件表达式"
                  rules={[{ required: true, message: '请输入条件表达式' }]}
                  extra="条件为真时按预警级别和处理方式预警；语法见右侧说明"
                >
                  <Input.TextArea
                    aria-label="条件表达式"
                    className="fiscus-mono"
                    autoSize={{ minRows: 4, maxRows: 14 }}
                    maxLength={2000}
                    spellCheck={false}
                    placeholder="payment.settlementMode = 'cash' and payment.amount >= params.threshold"
                  />
                </Form.Item>
              </div>
              <Form.Item label="函数参数" tooltip="条件中以 params.名称 引用；金额以元录入">
                <ParamsEditor disabled={!manage} />
              </Form.Item>
              <Row gutter={12}>
                <Col xs={24} md={12}>
                  <Form.Item
                    name="promptZh"
                    label="预警提示（中文）"
                    rules={[{ required: true, whitespace: true, message: '请输入预警提示' }]}
                    extra="{amount} 与 {payee} 以支付金额、收款人替换"
                  >
                    <Input aria-label="预警提示（中文）" maxLength={200} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item
                    name="promptEn"
                    label="预警提示（英文）"
                    rules={[{ required: true, whitespace: true, message: '请输入英文预警提示' }]}
                  >
                    <Input aria-label="预警提示（英文）" maxLength={200} />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item name="basis" label="规则依据">
                <Input.TextArea aria-label="规则依据" autoSize={{ minRows: 1, maxRows: 4 }} maxLength={500} />
              </Form.Item>
            </Col>
            <Col xs={24} xl={8}>
              <ConditionHelp />
            </Col>
          </Row>
        </Form>
      </Card>
      <RuleTryPanel draft={draft} onRefusal={showRefusal} />
      {code !== null && (
        <RuleHistory
          versions={history.data?.versions ?? []}
          loading={history.isFetching}
          onLoad={loadVersion}
        />
      )}
    </>
  );
}
