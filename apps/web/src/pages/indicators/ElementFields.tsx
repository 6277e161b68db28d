import { Checkbox, Col, Form, Input, Row } from 'antd';
import { flagNames, elementLabels as L } from './labels';
import { type AgencyOption, AgencySelect, CodeSelect } from './pickers';

type Path = (string | number)[];

const flagOptions = ['directReach', 'sanGong', 'salary', 'govProcurement', 'povertyRelief', 'toPeople'].map(
  (k) => ({ value: k, label: flagNames[k] ?? k }),
);

/**
 * 要素 of a new indicator (批复、分配 lines, a new 调剂 target). `name` is the path inside the
 * Form.List item, `abs` the whole path (to fill 部门 when a 预算单位 is picked).
 */
export function ElementFields({ name, abs }: { name: Path; abs: Path }) {
  const form = Form.useFormInstance();
  const col = (key: string, child: React.ReactNode, required = false) => (
    <Col xs={24} md={12} xl={6} key={key}>
      <Form.Item
        name={[...name, key]}
        label={L[key]}
        rules={required ? [{ required: true, message: `请选择${L[key]}` }] : []}
      >
        {child}
      </Form.Item>
    </Col>
  );
  return (
    <Row gutter={12}>
      {col(
        'agencyCode',
        <AgencySelect
          aria-label={L.agencyCode}
          onChange={(_v, option) => {
            // An agency belongs to one 部门: fill it so nobody types it twice.
            const o = option as AgencyOption | undefined;
            form.setFieldValue([...abs, 'deptCode'], o?.deptCode ?? undefined);
          }}
        />,
      )}
      {col('deptCode', <Input allowClear aria-label={L.deptCode} />)}
      {col('projectCode', <Input allowClear aria-label={L.projectCode} />)}
      {col('fundTypeCode', <CodeSelect set="fundType" aria-label={L.fundTypeCode} />, true)}
      {col('expFuncCode', <CodeSelect set="expFunc" aria-label={L.expFuncCode} />)}
      {col('govEcoCode', <CodeSelect set="govEco" aria-label={L.govEcoCode} />)}
      {col('depEcoCode', <CodeSelect set="depEco" aria-label={L.depEcoCode} />)}
      {col('indicatorTypeCode', <CodeSelect set="indicatorType" aria-label={L.indicatorTypeCode} />)}
      {col('sourceTypeCode', <CodeSelect set="indicatorSource" aria-label={L.sourceTypeCode} />)}
      {col('payTypeCode', <CodeSelect set="payType" aria-label={L.payTypeCode} />)}
      {col('supDocNo', <Input allowClear aria-label={L.supDocNo} />)}
      <Col xs={24} xl={12}>
        <Form.Item name={[...name, 'flags']} label="标识">
          <Checkbox.Group options={flagOptions} />
        </Form.Item>
      </Col>
    </Row>
  );
}
