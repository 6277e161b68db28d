import { DeleteOutlined, PlusOutlined, SaveOutlined, SendOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Form, Input, Row, Segmented, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { fmt } from '../../locales/format';
import { refusalText, useCommand, useDocument } from './api';
import { DocLineFields } from './DocLineFields';
import { docTypeNames, docTypeOrder, docTypeTitles, t } from './labels';
import {
  copy,
  type DocFormValues,
  type ElementValues,
  fromBody,
  inherited,
  newLine,
  toBody,
} from './payload';
import { type IndicatorOption, IndicatorSelect } from './pickers';
import type { DocType } from './types';

/** Types whose lines come out of one source indicator named in the header. */
const withSource = new Set<DocType>(['allocate', 'issue', 'advanceIssue']);
/** 分配 takes from 待分 only; 下达 from either pool. */
const sourcePool = (d: DocType) => (d === 'allocate' ? { pool: 'unallocated' as const } : {});

/** The fields a person already filled in (they win over inherited ones). */
const filled = (e: ElementValues | undefined) =>
  Object.fromEntries(Object.entries(e ?? {}).filter(([, x]) => x !== undefined && x !== ''));

/** A new form per document opened: state of one document never leaks into the next. */
export function DocEntryPage() {
  const [params] = useSearchParams();
  return <DocEntryForm key={params.get('docId') ?? 'new'} />;
}

/**
 * /indicator-docs/new — 指标单录入: one form per document type that builds the
 * `indicatorDoc.draft` payload; once saved, 送审 submits it. `?docId=` opens a draft or a
 * returned document for changes, `?type=` preselects a type.
 */
function DocEntryForm() {
  const [params, setParams] = useSearchParams();
  const editing = params.get('docId');
  const existing = useDocument(editing);
  const [docType, setDocType] = useState<DocType>(
    docTypeOrder.includes(params.get('type') as DocType) ? (params.get('type') as DocType) : 'approve',
  );
  const [form] = Form.useForm<DocFormValues>();
  const [savedId, setSavedId] = useState<string | null>(editing);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [base, setBase] = useState<ElementValues | undefined>(undefined);
  // Changed since the last save: 送审 would submit the saved version, not what is on screen.
  const [dirty, setDirty] = useState(false);
  const draft = useCommand<{ docId: string; state: string }>();
  const submit = useCommand<{ docId: string }>();
  const { message } = App.useApp();
  const navigate = useNavigate();

  // A saved document opens with its own type and lines.
  useEffect(() => {
    const d = existing.data;
    if (!d) return;
    setDocType(d.docType);
    form.setFieldsValue({ docNo: d.docNo, title: d.title, summary: d.summary ?? '', ...fromBody(d.body) });
  }, [existing.data, form]);

  const reset = (type: DocType) => {
    setDocType(type);
    setSavedId(null);
    setRefusal(null);
    setBase(undefined);
    setDirty(false);
    form.resetFields(['fromIndicatorId']);
    form.setFieldsValue({ lines: [newLine(type)] });
    setParams(type === 'approve' ? {} : { type });
  };

  const save = async (v: DocFormValues) => {
    setRefusal(null);
    try {
      const r = await draft.mutateAsync({
        type: 'indicatorDoc.draft',
        payload: {
          ...(savedId ? { docId: savedId } : {}),
          docNo: v.docNo?.trim(),
          title: v.title?.trim(),
          ...(v.summary?.trim() ? { summary: v.summary.trim() } : {}),
          body: toBody(docType, v),
        },
      });
      setSavedId(r.docId);
      setDirty(false);
      message.success(fmt(t.saved, { docId: r.docId }));
    } catch (e) {
      setRefusal(refusalText(e));
    }
  };

  const send = async () => {
    if (!savedId) return;
    setRefusal(null);
    try {
      await submit.mutateAsync({ type: 'indicatorDoc.submit', payload: { docId: savedId } });
      message.success(fmt(t.submitted, { docId: savedId }));
      navigate(`/indicator-docs/${encodeURIComponent(savedId)}`);
    } catch (e) {
      setRefusal(refusalText(e));
    }
  };

  // A 分配 line starts with the 待分 source's classifications; only the agency side is new.
  const onSource = (_v: unknown, option: unknown) => {
    const o = option as IndicatorOption | undefined;
    if (!o || docType !== 'allocate') return;
    const e = inherited({ ...o.item, flags: { directReach: o.item.directReach } });
    setBase(e);
    const lines = (form.getFieldValue('lines') ?? []) as { elements?: ElementValues }[];
    form.setFieldValue(
      'lines',
      lines.map((l) => ({ ...l, elements: { ...copy(e), ...filled(l.elements) } })),
    );
  };

  return (
    <Card
      size="small"
      title={<span data-testid="page-title">{t.entry}</span>}
      extra={
        <Segmented<DocType>
          value={docType}
          disabled={editing !== null}
          onChange={reset}
          options={docTypeOrder.map((k) => ({ value: k, label: docTypeNames[k] }))}
          data-testid="doc-type"
        />
      }
    >
      <Typography.Title level={4} style={{ textAlign: 'center', marginTop: 0 }}>
        {docTypeTitles[docType]}
        {savedId && (
          <Typography.Text type="secondary" style={{ fontSize: 14, marginLeft: 12 }} data-testid="doc-id">
            {savedId}
          </Typography.Text>
        )}
      </Typography.Title>
      <Form<DocFormValues>
        form={form}
        layout="vertical"
        onFinish={save}
        initialValues={{ lines: [newLine(docType)] }}
        onValuesChange={() => {
          setRefusal(null);
          setDirty(true);
        }}
      >
        <Row gutter={12}>
          <Col xs={24} md={8}>
            <Form.Item name="docNo" label="文号" rules={[{ required: true, message: '请输入文号' }]}>
              <Input allowClear aria-label="文号" placeholder="如 丽财预〔2026〕1号" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="title" label="标题" rules={[{ required: true, message: '请输入标题' }]}>
              <Input allowClear aria-label="标题" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="summary" label="摘要">
              <Input allowClear aria-label="摘要" />
            </Form.Item>
          </Col>
          {withSource.has(docType) && (
            <Col xs={24} md={12}>
              <Form.Item
                name="fromIndicatorId"
                label="来源指标"
                rules={[{ required: true, message: '请选择来源指标' }]}
              >
                <IndicatorSelect {...sourcePool(docType)} aria-label="来源指标" onChange={onSource} />
              </Form.Item>
            </Col>
          )}
        </Row>
        <Form.List name="lines">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, i) => (
                <Card
                  key={f.key}
                  size="small"
                  type="inner"
                  title={`明细 第 ${i + 1} 行`}
                  style={{ marginBottom: 12 }}
                  data-testid={`line-${i}`}
                  extra={
                    fields.length > 1 && (
                      <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(f.name)}>
                        删除
                      </Button>
                    )
                  }
                >
                  <DocLineFields docType={docType} name={f.name} />
                </Card>
              ))}
              <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add(newLine(docType, base))}>
                添加一行
              </Button>
            </>
          )}
        </Form.List>
        {refusal && (
          <Alert
            type="error"
            showIcon
            message="操作未通过"
            description={refusal}
            style={{ marginTop: 16 }}
            data-testid="command-error"
          />
        )}
        {savedId && draft.isSuccess && !dirty && !refusal && (
          <Alert
            type="success"
            showIcon
            message={fmt(t.saved, { docId: savedId })}
            description="可继续修改后再次保存，或送审。"
            style={{ marginTop: 16 }}
          />
        )}
        <Space style={{ marginTop: 16 }}>
          <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={draft.isPending}>
            保存草稿
          </Button>
          <Button
            icon={<SendOutlined />}
            disabled={!savedId || dirty}
            loading={submit.isPending}
            onClick={send}
          >
            送审
          </Button>
        </Space>
      </Form>
    </Card>
  );
}
