import { Collapse, Typography } from 'antd';
import { languageHelp } from './labels';

const Section = ({ rows }: { rows: readonly (readonly [string, string])[] }) => (
  <table style={{ borderCollapse: 'collapse', width: '100%', tableLayout: 'fixed', fontSize: 12 }}>
    <tbody>
      {rows.map(([k, v]) => (
        <tr key={k} style={{ borderBottom: '1px solid rgba(5,5,5,0.06)' }}>
          <td
            style={{ padding: '3px 8px 3px 0', width: '45%', verticalAlign: 'top', wordBreak: 'break-word' }}
          >
            <Typography.Text code className="fiscus-mono">
              {k}
            </Typography.Text>
          </td>
          <td style={{ padding: '3px 0', wordBreak: 'break-word' }}>{v}</td>
        </tr>
      ))}
    </tbody>
  </table>
);

/** The condition language at a glance: what a rule can read, the operators and the functions. */
export function ConditionHelp() {
  return (
    <Collapse
      size="small"
      data-testid="condition-help"
      defaultActiveKey={['lang']}
      items={[
        {
          key: 'lang',
          label: '条件表达式说明（字段、运算符、函数）',
          children: (
            <>
              <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
                条件为真时预警。例：
                <Typography.Text code className="fiscus-mono">
                  payee.accountKind = 'personal' and payment.amount &gt;= params.threshold
                </Typography.Text>
              </Typography.Paragraph>
              <Typography.Text strong>字段</Typography.Text>
              <Section rows={languageHelp.fields} />
              <Typography.Text strong style={{ display: 'block', marginTop: 8 }}>
                运算符与字面量
              </Typography.Text>
              <Section rows={languageHelp.operators} />
              <Typography.Text strong style={{ display: 'block', marginTop: 8 }}>
                函数
              </Typography.Text>
              <Section rows={languageHelp.functions} />
            </>
          ),
        },
      ]}
    />
  );
}
