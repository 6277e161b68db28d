import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  Form,
  Input,
  Radio,
  Row,
  Select,
  Space,
  Statistic,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../../api/client';
import { refusalText } from '../../api/commands';
import type { Row as DataRow, Page } from '../../api/types';
import { formatYuan } from '../../components/format';
import { useScope } from '../../scope/scope-context';
import { useSession } from '../../session/session-context';
import { CodeSelect } from '../indicators/pickers';
import type { IndicatorItem, IndicatorPage } from '../indicators/types';
import { usePaymentCommand } from './api';
import { payTypeNames, stateText, t } from './labels';
import { useMonitoredCommand } from './monitored';

interface FormValues {
  indicatorId?: string;
  payType: string;
  amount?: string;
  purpose?: string;
  settlementMode: string;
  payeeCode?: string;
  payeeAccountKind: 'payroll' | 'other';
  contractNo?: string;
}

/** '1,200.5' → '1200.50'; null when it is not an amount. */
export function normalizeYuan(v: string | undefined): string | null {
  const s = (v ?? '').replace(/[,，\s]/g, '');
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  return `${m[1]}.${(m[2] ?? '').padEnd(2, '0')}`;
}

/** The agencies the user works for (their agency-scoped grants). */
function useMyAgencies(): string[] {
  const { me } = useSession();
  return [...new Set(me.grants.map((g) => g.scopeAgency).filter((a): a is string => !!a))];
}

function useExecutableIndicators(agency: string | undefined) {
  const { region, year } = useScope();
  return useQuery({
    queryKey: ['indicator-options', region, year, 'executable', agency ?? ''],
    queryFn: ({ signal }) =>
      api.get<IndicatorPage>(
        '/indicators',
        { region, year, pool: 'executable', agency, pageSize: 500 },
        signal,
      ),
  });
}

function usePayees() {
  const { region, year } = useScope();
  return useQuery({
    queryKey: ['payee-options', region, year],
    queryFn: ({ signal }) => api.get<Page<DataRow>>('/payees', { region, year, pageSize: 500 }, signal),
    staleTime: 60_000,
  });
}

/**
 * /payments/new — 支付申请: a unit clerk applies to pay against an executable indicator of their
 * agency (payment.draft), then submits it (payment.submit: control rules, reservation).
 */
export function PaymentApplyPage() {
  const [form] = Form.useForm<FormValues>();
  const navigate = useNavigate();
  const agencies = useMyAgencies();
  const [agency, setAgency] = useState<string | undefined>(agencies[0]);
  const indicators = useExecutableIndicators(agency);
  const payees = usePayees();
  const run = usePaymentCommand<{ applicationId: string; state: string }>();
  // 送审 runs 动态监控: a 预警需说明 asks for a 情况说明 and sends again.
  const monitored = useMonitoredCommand();
  const [saved, setSaved] = useState<{ applicationId: string; state: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const indicatorId = Form.useWatch('indicatorId', form);
  const chosen: IndicatorItem | undefined = indicators.data?.items.find((x) => x.indicatorId === indicatorId);

  const save = async (): Promise<string | null> => {
    const v = await form.validateFields();
    setError(null);
    if (!agency) {
      setError('当前用户没有所属预算单位，不能申请支付');
      return null;
    }
    try {
      const r = await run.mutateAsync({
        type: 'payment.draft',
        payload: {
          ...(saved ? { applicationId: saved.applicationId } : {}),
          agencyCode: agency,
          payType: v.payType,
          indicatorId: v.indicatorId,
          amount: normalizeYuan(v.amount),
          purpose: v.purpose,
          settlementMode: v.settlementMode,
          payee: { payeeCode: v.payeeCode },
          payeeAccountKind: v.payeeAccountKind,
          ...(v.contractNo ? { contractNo: v.contractNo } : {}),
        },
      });
      setSaved(r);
      return r.applicationId;
    } catch (e) {
      setError(refusalText(e));
      return null;
    }
  };

  const submit = async () => {
    const id = await save();
    if (!id || !agency) return;
    try {
      await monitored.send('payment.submit', { applicationId: id, agencyCode: agency });
      navigate(`/payments/${encodeURIComponent(id)}`);
    } catch (e) {
      setError(refusalText(e));
    }
  };

  return (
    <Card size="small" title={<span data-testid="page-title">{t.apply}</span>}>
      {error ? (
        <Alert
          data-testid="command-error"
          type="error"
          showIcon
          message={error}
          style={{ marginBottom: 16 }}
          closable
          onClose={() => setError(null)}
        />
      ) : null}
      {saved ? (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 16 }}
          message={
            <span>
              申请编号 <Typography.Text data-testid="application-id">{saved.applicationId}</Typography.Text>（
              {stateText(saved.state)}）
            </span>
          }
        />
      ) : null}
      <Form<FormValues>
        form={form}
        layout="vertical"
        style={{ maxWidth: 960 }}
        initialValues={{ payType: 'direct', settlementMode: '001001', payeeAccountKind: 'other' }}
      >
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item label="预算单位" required>
              <Select
                aria-label="预算单位"
                value={agency ?? null}
                onChange={(a: string) => {
                  setAgency(a);
                  form.setFieldValue('indicatorId', undefined);
                }}
                options={agencies.map((a) => ({ value: a, label: a }))}
                placeholder="无所属单位"
              />
            </Form.Item>
          </Col>
          <Col span={10}>
            <Form.Item
              name="indicatorId"
              label="可执行指标"
              rules={[{ required: true, message: '请选择指标' }]}
            >
              <Select
                aria-label="可执行指标"
                showSearch
                optionFilterProp="label"
                loading={indicators.isFetching}
                placeholder="选择本单位的可执行指标"
                options={(indicators.data?.items ?? []).map((x) => ({
                  value: x.indicatorId,
                  label: `${x.indicatorId}｜${x.expFuncName ?? x.expFuncCode ?? ''}｜可用 ${formatYuan(x.available)}`,
                }))}
              />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Statistic
              title="可用金额（元）"
              value={chosen ? formatYuan(chosen.available) : '-'}
              valueStyle={{ color: '#1677ff', fontWeight: 600 }}
              className="fiscus-mono"
              data-testid="indicator-available"
            />
          </Col>
        </Row>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name="payType" label="支付方式" rules={[{ required: true }]}>
              <Radio.Group
                optionType="button"
                options={Object.entries(payTypeNames).map(([value, label]) => ({ value, label }))}
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="amount"
              label="金额（元）"
              rules={[
                { required: true, message: '请输入金额' },
                {
                  validator: (_r, v: string | undefined) =>
                    !v || normalizeYuan(v) ? Promise.resolve() : Promise.reject(new Error('金额格式不正确')),
                },
              ]}
            >
              <Input placeholder="如 1200.00" className="fiscus-mono" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="settlementMode" label="结算方式" rules={[{ required: true }]}>
              <CodeSelect set="settlementMode" />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="payeeCode" label="收款人" rules={[{ required: true, message: '请选择收款人' }]}>
              <Select
                aria-label="收款人"
                showSearch
                optionFilterProp="label"
                loading={payees.isFetching}
                placeholder="从收款人登记簿中选择"
                options={(payees.data?.items ?? []).map((p) => ({
                  value: String(p.code),
                  label: `${String(p.code)} ${String(p.name ?? '')}`,
                }))}
              />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="payeeAccountKind" label="收款账户类型">
              <Radio.Group
                options={[
                  { value: 'other', label: '其他' },
                  { value: 'payroll', label: '工资' },
                ]}
              />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="contractNo" label="合同号">
              <Input maxLength={60} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="purpose" label="用途" rules={[{ required: true, message: '请输入用途' }]}>
          <Input.TextArea rows={2} maxLength={200} />
        </Form.Item>
        <Space>
          <Button loading={run.isPending} onClick={() => void save().catch(() => {})}>
            保存草稿
          </Button>
          <Button
            type="primary"
            loading={run.isPending || monitored.isPending}
            onClick={() => void submit().catch(() => {})}
          >
            送审
          </Button>
        </Space>
        {monitored.modal}
      </Form>
    </Card>
  );
}
