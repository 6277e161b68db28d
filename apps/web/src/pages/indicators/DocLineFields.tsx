import { Col, Form, Input, InputNumber, Radio, Row, Select } from 'antd';
import type { Rule } from 'antd/es/form';
import { ElementFields } from './ElementFields';
import { fundingSourceNames } from './labels';
import { plainYuan, YUAN_RE } from './payload';
import { ChildRegionSelect, CodeSelect, IndicatorSelect } from './pickers';
import type { DocType } from './types';

/** The fields of one line of a 指标单, per document type (what the contract's line holds). */

const amountRules = (required: boolean): Rule[] => [
  ...(required ? [{ required: true, message: '请输入金额' }] : []),
  {
    validator: (_r, v: string | undefined) => {
      if (!v) return Promise.resolve();
      const s = plainYuan(v);
      if (!YUAN_RE.test(s) || /^0+(\.0+)?$/.test(s))
        return Promise.reject(new Error('金额须为大于零、最多两位小数的元金额'));
      return Promise.resolve();
    },
  },
];

const need = (what: string): Rule[] => [{ required: true, message: `请选择${what}` }];

function AmountItem({
  name,
  required = true,
  label = '金额（元）',
  extra,
}: {
  name: number;
  required?: boolean;
  label?: string;
  extra?: string;
}) {
  return (
    <Form.Item name={[name, 'amount']} label={label} rules={amountRules(required)} extra={extra}>
      <Input allowClear inputMode="decimal" aria-label={label} placeholder="如 100000.00" />
    </Form.Item>
  );
}

const sourceOptions = [
  { value: '1001', label: '本级财力安排' },
  { value: '1004', label: '债务资金' },
  { value: '1009', label: '其他来源' },
];

/** One line: `name` is the Form.List field name (index). */
export function DocLineFields({ docType, name }: { docType: DocType; name: number }) {
  const form = Form.useFormInstance();
  const toNew = Form.useWatch(['lines', name, 'toNew'], form) as boolean | undefined;
  const mode = Form.useWatch(['lines', name, 'mode'], form) as 'amount' | 'percent' | undefined;
  const abs = ['lines', name];
  const half = { xs: 24, md: 12, xl: 6 };

  switch (docType) {
    case 'approve':
      return (
        <>
          <Row gutter={12}>
            <Col {...half}>
              <Form.Item name={[name, 'indicatorId']} label="指标编号" extra="不填则按单号自动编号">
                <Input allowClear aria-label="指标编号" />
              </Form.Item>
            </Col>
            <Col {...half}>
              <Form.Item name={[name, 'pool']} label="指标类别" rules={need('指标类别')}>
                <Radio.Group
                  options={[
                    { value: 'unallocated', label: '待分' },
                    { value: 'executable', label: '可执行' },
                  ]}
                />
              </Form.Item>
            </Col>
            <Col {...half}>
              <Form.Item name={[name, 'source']} label="资金来源">
                <Select aria-label="资金来源" options={sourceOptions} />
              </Form.Item>
            </Col>
            <Col {...half}>
              <AmountItem name={name} />
            </Col>
          </Row>
          <ElementFields name={[name, 'elements']} abs={[...abs, 'elements']} />
        </>
      );
    case 'allocate':
      return (
        <>
          <Row gutter={12}>
            <Col {...half}>
              <Form.Item name={[name, 'indicatorId']} label="指标编号" extra="不填则按单号自动编号">
                <Input allowClear aria-label="指标编号" />
              </Form.Item>
            </Col>
            <Col {...half}>
              <AmountItem name={name} />
            </Col>
          </Row>
          <ElementFields name={[name, 'elements']} abs={[...abs, 'elements']} />
        </>
      );
    case 'issue':
    case 'advanceIssue':
      return (
        <Row gutter={12}>
          <Col {...half}>
            <Form.Item name={[name, 'region']} label="下级区划" rules={need('下级区划')}>
              <ChildRegionSelect aria-label="下级区划" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <AmountItem name={name} />
          </Col>
          <Col {...half}>
            <Form.Item name={[name, 'tpFuncCode']} label="转移支付功能分类" extra="不填则沿用来源指标">
              <CodeSelect set="expFunc" aria-label="转移支付功能分类" />
            </Form.Item>
          </Col>
          {docType === 'issue' && (
            <Col {...half}>
              <Form.Item name={[name, 'offsetsAdvance']} label="核销提前下达" extra="提前下达的消息编号">
                <Input allowClear aria-label="核销提前下达" />
              </Form.Item>
            </Col>
          )}
        </Row>
      );
    case 'adjust':
      return (
        <Row gutter={12}>
          <Col xs={24} xl={12}>
            <Form.Item name={[name, 'indicatorId']} label="指标" rules={need('指标')}>
              <IndicatorSelect aria-label="指标" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name={[name, 'direction']} label="调整方向" rules={need('调整方向')}>
              <Radio.Group
                options={[
                  { value: 'increase', label: '追加' },
                  { value: 'decrease', label: '追减' },
                ]}
              />
            </Form.Item>
          </Col>
          <Col {...half}>
            <AmountItem name={name} />
          </Col>
          <Col {...half}>
            <Form.Item name={[name, 'fundingSource']} label="资金来源" rules={need('资金来源')}>
              <Select
                aria-label="资金来源"
                options={Object.entries(fundingSourceNames).map(([value, label]) => ({ value, label }))}
              />
            </Form.Item>
          </Col>
        </Row>
      );
    case 'transfer':
      return (
        <>
          <Row gutter={12}>
            <Col xs={24} xl={12}>
              <Form.Item name={[name, 'fromIndicatorId']} label="调出指标" rules={need('调出指标')}>
                <IndicatorSelect pool="executable" aria-label="调出指标" />
              </Form.Item>
            </Col>
            <Col {...half}>
              <AmountItem name={name} />
            </Col>
            <Col {...half}>
              <Form.Item name={[name, 'toNew']} label="调入">
                <Radio.Group
                  options={[
                    { value: false, label: '已有指标' },
                    { value: true, label: '新建指标' },
                  ]}
                />
              </Form.Item>
            </Col>
            <Col xs={24} xl={12}>
              {toNew ? (
                <Form.Item name={[name, 'toIndicatorId']} label="新指标编号" extra="不填则按单号自动编号">
                  <Input allowClear aria-label="新指标编号" />
                </Form.Item>
              ) : (
                <Form.Item name={[name, 'toIndicatorId']} label="调入指标" rules={need('调入指标')}>
                  <IndicatorSelect pool="executable" aria-label="调入指标" />
                </Form.Item>
              )}
            </Col>
          </Row>
          {toNew && <ElementFields name={[name, 'toElements']} abs={[...abs, 'toElements']} />}
        </>
      );
    case 'freeze':
    case 'unfreeze':
      return (
        <Row gutter={12}>
          <Col xs={24} xl={12}>
            <Form.Item name={[name, 'indicatorId']} label="指标" rules={need('指标')}>
              <IndicatorSelect aria-label="指标" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name={[name, 'mode']} label="方式">
              <Radio.Group
                options={[
                  { value: 'amount', label: '按金额' },
                  { value: 'percent', label: '按比例' },
                ]}
              />
            </Form.Item>
          </Col>
          <Col {...half}>
            {mode === 'percent' ? (
              <Form.Item
                name={[name, 'percent']}
                label="比例（%）"
                rules={[{ required: true, message: '请输入比例' }]}
                extra={docType === 'freeze' ? '按审核时可用金额计算' : '按审核时冻结金额计算'}
              >
                <InputNumber min={0.01} max={100} step={1} aria-label="比例" style={{ width: '100%' }} />
              </Form.Item>
            ) : (
              <AmountItem name={name} />
            )}
          </Col>
        </Row>
      );
    case 'recall':
      return (
        <Row gutter={12}>
          <Col xs={24} xl={12}>
            <Form.Item name={[name, 'indicatorId']} label="收回指标" rules={need('收回指标')}>
              <IndicatorSelect pool="executable" aria-label="收回指标" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <AmountItem name={name} required={false} extra="不填则收回审核时全部可用金额" />
          </Col>
          <Col xs={24} xl={12}>
            <Form.Item name={[name, 'toPoolIndicatorId']} label="收回至待分指标" extra="不填则注销">
              <IndicatorSelect pool="unallocated" aria-label="收回至待分指标" />
            </Form.Item>
          </Col>
        </Row>
      );
  }
}
