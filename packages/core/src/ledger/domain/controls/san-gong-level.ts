import type { Violation } from '../control-types';
import {
  applicationPayment,
  debited,
  digitsParam,
  type Evaluator,
  indicatorLabel,
  stringListParam,
  violation,
} from './shared';

/** 三公: 因公出国（境）费用, 公务接待费, 公务用车运行维护费, 公务用车购置 (DOMAIN.md §3.6). */
export const sanGongDefaults = {
  sanGongCodes: ['30212', '30217', '30231', '31013'],
  /** 功能分类到项 (类 3 + 款 2 + 项 2). */
  sanGongFuncDigits: 7,
  /** 功能分类到款. */
  otherFuncDigits: 5,
  /** 部门经济分类到款. */
  ecoDigits: 5,
};

/**
 * Does a payment code fall within the indicator's code at `digits`? An indicator coded more
 * coarsely than `digits` is compared at its own length (a 款-level indicator covers all its 项);
 * an empty indicator code covers everything. The payment must be coded at least as finely.
 */
export function withinCode(
  indicatorCode: string | null,
  paymentCode: string | null,
  digits: number,
): boolean {
  if (indicatorCode === null || indicatorCode === '') return true;
  const n = Math.min(digits, indicatorCode.length);
  return paymentCode !== null && paymentCode.slice(0, n) === indicatorCode.slice(0, n);
}

/**
 * "三公"经费控制 and the 功能/经济 part of 要素一致: 三公 items only from 三公 indicators with the
 * same 经济分类款 and 功能分类项; everything else must match 功能到款 and 经济到款.
 * Silent without payment facts (see applicationPayment).
 */
export const sanGongLevel: Evaluator = (rule, ctx) => {
  const payment = applicationPayment(ctx);
  if (payment === null) return [];
  const codes = stringListParam(rule, 'sanGongCodes', sanGongDefaults.sanGongCodes);
  const ecoDigits = digitsParam(rule, 'ecoDigits', sanGongDefaults.ecoDigits);
  const eco = payment.elements.depEcoCode;
  const func = payment.elements.expFuncCode;
  const sanGong = eco !== null && codes.some((c) => eco.startsWith(c));
  const funcDigits = sanGong
    ? digitsParam(rule, 'sanGongFuncDigits', sanGongDefaults.sanGongFuncDigits)
    : digitsParam(rule, 'otherFuncDigits', sanGongDefaults.otherFuncDigits);
  const out: Violation[] = [];
  for (const d of debited(ctx)) {
    const ind = d.elements;
    const label = indicatorLabel(ind.indicatorId);
    const base = {
      indicatorId: ind.indicatorId ?? '',
      paymentEcoCode: eco ?? '',
      paymentFuncCode: func ?? '',
      indicatorEcoCode: ind.depEcoCode ?? '',
      indicatorFuncCode: ind.expFuncCode ?? '',
    };
    if (sanGong && !ind.flags.sanGong) {
      out.push(
        violation(
          rule,
          { ...base, reason: 'notSanGongIndicator' },
          `"三公"经费（经济分类 ${eco}）只能使用"三公"指标，指标 ${label} 未标识"三公"`,
          `"Three public expenses" item ${eco} may only be paid from a flagged indicator; ${label} is not`,
        ),
      );
    }
    if (!withinCode(ind.expFuncCode, func, funcDigits)) {
      out.push(
        violation(
          rule,
          { ...base, reason: 'funcMismatch', digits: String(funcDigits) },
          `支付功能分类 ${func ?? '空'} 与指标 ${label} 的功能分类 ${ind.expFuncCode} 前 ${funcDigits} 位不一致`,
          `Payment function code ${func ?? 'empty'} differs from indicator ${label} (${ind.expFuncCode}) at ${funcDigits} digits`,
        ),
      );
    }
    if (!withinCode(ind.depEcoCode, eco, ecoDigits)) {
      out.push(
        violation(
          rule,
          { ...base, reason: 'ecoMismatch', digits: String(ecoDigits) },
          `支付经济分类 ${eco ?? '空'} 与指标 ${label} 的经济分类 ${ind.depEcoCode} 前 ${ecoDigits} 位不一致`,
          `Payment economic code ${eco ?? 'empty'} differs from indicator ${label} (${ind.depEcoCode}) at ${ecoDigits} digits`,
        ),
      );
    }
  }
  return out;
};
