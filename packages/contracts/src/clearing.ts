import { z } from 'zod';
import { defineCommand } from './command';
import { bi, codeSchema, isoDateSchema } from './common';
import { indicatorIdSchema } from './indicators';
import { applicationIdSchema } from './payments';

/**
 * Clearing (清算) on the finance side (docs/design/clearing-protocol.md): the day's quota notices
 * to the PBOC and the agent banks (5108 直接支付 / 5106 授权支付 清算额度通知单), corrections of paid
 * vouchers (5253 / 5351 更正), the cross-year refund policy, and the sender's delivery records.
 */

const voucherNoSchema = z.string().regex(/^[A-Za-z0-9-]{1,42}$/);

/** What happens to a 2203 refund that arrives in a later fiscal year than the payment. */
export const crossYearRefundPolicies = ['restoreToCarriedIndicator', 'toRevenue', 'refuse'] as const;
export type CrossYearRefundPolicy = (typeof crossYearRefundPolicies)[number];
export const crossYearRefundPolicyNames: Record<CrossYearRefundPolicy, string> = {
  restoreToCarriedIndicator: '恢复至结转指标',
  toRevenue: '缴入国库（作收入）',
  refuse: '拒绝受理',
};

export const clearingPolicySchema = z.strictObject({
  crossYearRefund: z.enum(crossYearRefundPolicies),
});
export type ClearingPolicy = z.infer<typeof clearingPolicySchema>;

/** The default until a region saves its own: a cross-year refund waits for a decision (refused). */
export const defaultClearingPolicy: ClearingPolicy = { crossYearRefund: 'refuse' };

export const saveClearingPolicy = defineCommand({
  type: 'clearing.savePolicy',
  permission: 'clearing.policy',
  summary: {
    zh: '保存本区划的清算政策（跨年度退款：恢复至结转指标、缴入国库或拒绝）',
    en: "Save the region's clearing policy (cross-year refunds: restore to the carried indicator, to revenue, or refuse)",
  },
  needsOpenYear: false,
  payload: clearingPolicySchema,
});

export const issueQuotas = defineCommand({
  type: 'clearing.issueQuotas',
  permission: 'clearing.issue',
  summary: {
    zh: '生成并签章当日清算额度通知单（5108 直接支付、5106 授权支付，按代理银行；每笔已支付凭证一行，支付后退款为负数行，更正为零金额行），发送人民银行和代理银行；重复执行不重复发送',
    en: 'Issue and sign the day’s clearing quota notices (5108 direct, 5106 authorized, per agent bank; a line per paid voucher, negative lines for refunds, zero lines for corrections) to the PBOC and the bank; issuing again sends nothing new',
  },
  needsOpenYear: true,
  payload: z.strictObject({
    /** The pay date (回单 XPayDate) whose vouchers the notices cover. */
    date: isoDateSchema,
  }),
});

export const prepareCorrection = defineCommand({
  type: 'payment.correct',
  permission: 'payment.correct',
  summary: {
    zh: '支付更正（国库处制单）：已支付的申请改记到另一指标（单位、科目、项目），不动资金，待另一人审核',
    en: 'Prepare a payment correction (treasury division): re-code a paid application to another indicator (agency, classification, project) without moving money; another person approves',
  },
  needsOpenYear: true,
  payload: z.strictObject({
    applicationId: applicationIdSchema,
    agencyCode: codeSchema,
    to: z.strictObject({ indicatorId: indicatorIdSchema }),
    reason: z.string().trim().min(1).max(500),
  }),
});

const correctionIdSchema = z
  .string()
  .regex(
    /^[0-9A-Za-z_-]{1,60}$/,
    bi('更正编号为 1 至 60 位字母、数字、- 或 _', 'correction id is 1-60 of A-Z 0-9 - _'),
  );

export const approveCorrection = defineCommand({
  type: 'payment.approveCorrection',
  permission: 'payment.approveCorrection',
  summary: {
    zh: '审核支付更正（须为制单人以外的人）：记账（场景16，新指标须通过控制规则），生成并签章 5253/5351 更正凭证发送银行和人民银行',
    en: 'Approve a payment correction (not its preparer): posts scenario 16 (the new indicator must pass the control rules) and signs the 5253/5351 correction voucher for the bank and the PBOC',
  },
  needsOpenYear: true,
  payload: z.strictObject({
    correctionId: correctionIdSchema,
    agencyCode: codeSchema,
    opinion: z.string().trim().max(500).optional(),
  }),
});

export const clearingDestinations = ['pboc', 'bank'] as const;
export type ClearingDestination = (typeof clearingDestinations)[number];

/**
 * The sender's record of one send of clearing vouchers (quota notices, corrections, and the PBOC's
 * copies of 5201/8202): what the receiving library answered, or that it could not be reached.
 */
export const recordClearingSend = defineCommand({
  type: 'clearing.recordSend',
  permission: 'payment.send',
  summary: {
    zh: '登记清算凭证（额度通知单、更正凭证、支付凭证人行副本）发送结果',
    en: 'Record what a library answered to a send of clearing vouchers (quota notices, corrections, PBOC copies of payment vouchers)',
  },
  needsOpenYear: false,
  payload: z.strictObject({
    deliveries: z
      .array(
        z.strictObject({
          vtCode: z.enum(['5201', '8202', '5106', '5108', '5253', '5351']),
          voucherNo: voucherNoSchema,
          destination: z.enum(clearingDestinations),
          attempt: z.number().int().min(1),
          outcome: z.enum(['received', 'receiveFailed', 'unreachable']),
          reason: z.string().max(500).optional(),
          retryInMs: z.number().int().min(0).max(86_400_000).optional(),
        }),
      )
      .min(1)
      .max(1000),
  }),
});

/** A receipt (回单) of a quota notice or correction voucher by the PBOC or the bank. */
export const receiveClearingReceipt = defineCommand({
  type: 'clearing.receipt',
  permission: 'payment.receive',
  summary: {
    zh: '登记人民银行或代理银行对清算额度通知单、更正凭证的回单',
    en: 'Book the receipt of a quota notice or correction voucher by the PBOC or the bank',
  },
  needsOpenYear: false,
  payload: z.strictObject({
    vtCode: z.enum(['5106', '5108', '5253', '5351']),
    voucherNo: voucherNoSchema,
    party: z.enum(clearingDestinations),
    checkResult: z.string().max(20).optional(),
    addWord: z.string().max(500).optional(),
  }),
});

export const clearingCommands = [
  saveClearingPolicy,
  issueQuotas,
  prepareCorrection,
  approveCorrection,
  recordClearingSend,
  receiveClearingReceipt,
] as const;
