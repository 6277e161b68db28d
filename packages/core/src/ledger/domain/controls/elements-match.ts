import type { Violation } from '../control-types';
import type { Elements } from '../elements';
import { applicationPayment, debited, type Evaluator, indicatorLabel, violation } from './shared';

type Field = 'agencyCode' | 'projectCode' | 'fundTypeCode' | 'payTypeCode';

const FIELDS: readonly { field: Field; zh: string; en: string }[] = [
  { field: 'agencyCode', zh: '单位', en: 'agency' },
  { field: 'projectCode', zh: '项目', en: 'project' },
  { field: 'fundTypeCode', zh: '资金性质', en: 'fund type' },
  { field: 'payTypeCode', zh: '支付方式', en: 'payment type' },
];

/**
 * 要素一致: an approved application is coded within its indicator. An indicator element left
 * empty accepts any payment value. 功能/经济 levels are sanGongLevel's job.
 * Silent without payment facts (see applicationPayment).
 */
export const elementsMatch: Evaluator = (rule, ctx) => {
  const payment = applicationPayment(ctx);
  if (payment === null) return [];
  const out: Violation[] = [];
  for (const d of debited(ctx)) {
    const label = indicatorLabel(d.elements.indicatorId);
    for (const f of FIELDS) {
      const want: Elements[Field] = d.elements[f.field];
      const got: Elements[Field] = payment.elements[f.field];
      if (want === null || want === got) continue;
      out.push(
        violation(
          rule,
          {
            field: f.field,
            indicatorId: d.elements.indicatorId ?? '',
            indicatorValue: want,
            paymentValue: got ?? '',
          },
          `支付${f.zh}（${got ?? '空'}）与指标 ${label} 的${f.zh}（${want}）不一致`,
          `Payment ${f.en} (${got ?? 'empty'}) differs from indicator ${label} (${want})`,
        ),
      );
    }
  }
  return out;
};
