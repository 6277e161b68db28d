import { z } from 'zod';
import { accountNoSchema } from './basedata';
import { defineCommand } from './command';
import { bi, codeSchema, nameSchema, yuanSchema } from './common';
import { indicatorIdSchema } from './indicators';

/** 支付申请编号 (pay_app_no), unique per region and year. */
export const applicationIdSchema = z
  .string()
  .regex(
    /^[0-9A-Za-z_-]{1,40}$/,
    bi('申请编号为 1 至 40 位字母、数字、- 或 _', 'application id is 1-40 of A-Z 0-9 - _'),
  );

const positiveYuan = yuanSchema.refine((s) => !s.startsWith('-') && !/^0+(\.0+)?$/.test(s), {
  message: bi('金额须大于零', 'amount must be greater than zero'),
});

/** The states of a payment application (DOMAIN.md §2.9); core's state machine moves between them. */
export const paymentStates = [
  'draft',
  'submitted',
  'unitApproved',
  'approved',
  /** 动态监控拦截或冻结: waits for a monitoring reviewer (放行 / 改正 / 禁止). */
  'held',
  'voucherSigned',
  'paid',
  'bankReturned',
  'refunded',
  'returned',
  'refused',
  'voided',
] as const;
export type PaymentState = (typeof paymentStates)[number];

/** 支付方式: 财政直接支付, 财政授权支付, 实拨. */
export const payTypes = ['direct', 'authorized', 'allocation'] as const;
export const payTypeNames: Record<(typeof payTypes)[number], string> = {
  direct: '财政直接支付',
  authorized: '财政授权支付',
  allocation: '实拨',
};

/** A payee: picked from the registry by code, or entered (and checked) on the application. */
export const payeeSchema = z.union([
  z.strictObject({ payeeCode: codeSchema }),
  z.strictObject({
    name: nameSchema,
    accountNo: accountNoSchema,
    accountName: nameSchema.optional(),
    bankName: nameSchema,
    /** 个人 or 单位; monitoring treats transfers to persons apart. */
    kind: z.enum(['organization', 'person']).default('organization'),
    /** 收款行行号 (CNAPS), 12 digits. */
    bankNo: z.string().regex(/^\d{12}$/, bi('收款行行号为 12 位数字', 'payee bank number is 12 digits')),
  }),
]);

/** 惠企利民 beneficiary records of direct-reach funds. */
const beneficiarySchema = z.strictObject({
  /** 个人 (身份证号) or 企业 (统一社会信用代码); the check digit is verified against the kind. */
  kind: z.enum(['person', 'enterprise']).default('person'),
  name: nameSchema,
  /** 统一社会信用代码 (18) or 身份证号 (18). */
  idNo: z
    .string()
    .regex(/^[0-9A-Z]{18}$/, bi('证件号为 18 位数字或大写字母', 'id number is 18 digits or capital letters')),
  amount: positiveYuan,
  /** 发放月份 YYYY-MM. */
  payMonth: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, bi('发放月份格式为 YYYY-MM', 'pay month is YYYY-MM'))
    .optional(),
  /** 乡镇 and 村 codes (统计用区划代码, 9 and 12 digits). */
  townCode: z
    .string()
    .regex(/^\d{9}$/, bi('乡镇代码为 9 位数字', 'town code is 9 digits'))
    .optional(),
  villageCode: z
    .string()
    .regex(/^\d{12}$/, bi('村代码为 12 位数字', 'village code is 12 digits'))
    .optional(),
});

/** What monitoring asks of the person submitting or approving: the 预警说明 for warnings that need one. */
const explanation = z.string().trim().min(1).max(1000).optional();

/**
 * Every payment command names the agency it concerns: unit staff are authorized per agency,
 * and the handler checks that the application belongs to it.
 */
const agencyCode = codeSchema;

export const draftPayment = defineCommand({
  type: 'payment.draft',
  permission: 'payment.prepare',
  summary: {
    zh: '新建或修改支付申请（草稿或被退回的申请，仅限制单人）',
    en: 'Create or change a payment application (a draft or a returned one; its preparer only)',
  },
  needsOpenYear: true,
  payload: z.strictObject({
    applicationId: applicationIdSchema.optional(),
    agencyCode,
    payType: z.enum(payTypes),
    indicatorId: indicatorIdSchema,
    amount: positiveYuan,
    /** 用途. */
    purpose: z.string().trim().min(1).max(200),
    /** 结算方式 (code set settlementMode). */
    settlementMode: codeSchema,
    payee: payeeSchema,
    payeeAccountKind: z.enum(['payroll', 'other']).default('other'),
    contractNo: z.string().trim().min(1).max(60).optional(),
    beneficiaries: z.array(beneficiarySchema).max(5000).default([]),
  }),
});

const ref = z.strictObject({ applicationId: applicationIdSchema, agencyCode });
const withOpinion = ref.extend({ opinion: z.string().trim().max(500).optional() });

export const cosignPayment = defineCommand({
  type: 'payment.cosign',
  permission: 'payment.cosign',
  summary: {
    zh: '大额支付加签（送审前，须为制单人以外的人）',
    en: 'Co-sign a large payment before it is submitted (someone other than the preparer)',
  },
  needsOpenYear: true,
  payload: withOpinion,
});

export const submitPayment = defineCommand({
  type: 'payment.submit',
  permission: 'payment.prepare',
  summary: {
    zh: '送审支付申请：校验并占用指标（已申请未支付）',
    en: 'Submit a payment application: checks and reserves the indicator (in payment)',
  },
  needsOpenYear: true,
  payload: ref.extend({ explanation }),
});

export const withdrawPayment = defineCommand({
  type: 'payment.withdraw',
  permission: 'payment.prepare',
  summary: {
    zh: '撤回送审（单位审核前，仅限送审人）；释放占用',
    en: 'Withdraw a submitted application before the unit head acts (its submitter only); releases it',
  },
  needsOpenYear: true,
  payload: ref,
});

export const unitApprovePayment = defineCommand({
  type: 'payment.unitApprove',
  permission: 'payment.unitApprove',
  summary: { zh: '单位负责人审核通过', en: 'The unit head approves the application' },
  needsOpenYear: true,
  payload: withOpinion,
});

export const reviewPayment = defineCommand({
  type: 'payment.review',
  permission: 'payment.review',
  summary: {
    zh: '支付中心审核：通过、退回（须意见，释放占用）或拒绝（终止，释放占用）',
    en: 'Payment center review: approve, return (with an opinion; releases) or refuse (final; releases)',
  },
  needsOpenYear: true,
  payload: ref.extend({
    decision: z.enum(['approve', 'return', 'refuse']),
    opinion: z.string().trim().max(500).optional(),
    explanation,
  }),
});

export const voidPayment = defineCommand({
  type: 'payment.void',
  permission: 'payment.prepare',
  summary: { zh: '作废草稿或被退回的支付申请', en: 'Void a draft or returned application' },
  needsOpenYear: true,
  payload: ref.extend({ reason: z.string().trim().min(1).max(200) }),
});

export const signPaymentVoucher = defineCommand({
  type: 'payment.signVoucher',
  permission: 'payment.sign',
  summary: {
    zh: '生成并签章支付凭证（5201 直接支付、8202 授权支付、5207 实拨；已审未支付的申请，签章人须为前序经办人以外的人）',
    en: 'Generate and sign the payment voucher (5201 direct, 8202 authorized, 5207 allocation) of an approved application; the signer must not have acted on it before',
  },
  needsOpenYear: true,
  payload: ref,
});

const planId = z
  .string()
  .regex(
    /^[0-9A-Za-z_-]{1,40}$/,
    bi('计划编号为 1 至 40 位字母、数字、- 或 _', 'plan id is 1-40 of A-Z 0-9 - _'),
  );
const planRef = z.strictObject({ planId, agencyCode });

export const draftUsePlan = defineCommand({
  type: 'usePlan.draft',
  permission: 'usePlan.prepare',
  summary: {
    zh: '新建或修改用款计划（按月或按季，每行一个指标）',
    en: 'Create or change a use plan (a month or a quarter, one indicator per line)',
  },
  needsOpenYear: true,
  payload: z.strictObject({
    planId: planId.optional(),
    agencyCode,
    /** 2026-03 (monthly) or 2026-Q2 (quarterly). */
    period: z
      .string()
      .regex(
        /^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/,
        bi('期间为 YYYY-MM 或 YYYY-Qn', 'period is YYYY-MM or YYYY-Qn'),
      ),
    lines: z
      .array(z.strictObject({ indicatorId: indicatorIdSchema, amount: positiveYuan }))
      .min(1)
      .max(2000),
  }),
});

export const submitUsePlan = defineCommand({
  type: 'usePlan.submit',
  permission: 'usePlan.prepare',
  summary: { zh: '送审用款计划', en: 'Submit a use plan' },
  needsOpenYear: true,
  payload: planRef,
});

export const approveUsePlan = defineCommand({
  type: 'usePlan.approve',
  permission: 'usePlan.approve',
  summary: {
    zh: '国库处批复用款计划（生效：指标转入计划额度）',
    en: 'The treasury division approves a use plan (effective: the amounts move into the plan)',
  },
  needsOpenYear: true,
  payload: planRef.extend({ opinion: z.string().trim().max(500).optional() }),
});

export const returnUsePlan = defineCommand({
  type: 'usePlan.return',
  permission: 'usePlan.approve',
  summary: { zh: '退回用款计划（须意见）', en: 'Return a use plan with an opinion' },
  needsOpenYear: true,
  payload: planRef.extend({ opinion: z.string().trim().min(1).max(500) }),
});

export const voidUsePlan = defineCommand({
  type: 'usePlan.void',
  permission: 'usePlan.prepare',
  summary: { zh: '作废草稿或被退回的用款计划', en: 'Void a draft or returned use plan' },
  needsOpenYear: true,
  payload: planRef.extend({ reason: z.string().trim().min(1).max(200) }),
});

/**
 * 银行回单 / 退回 of a payment voucher, as verified from the agent bank's signed message (the
 * exchange agent runs it; the voucher library endpoint checks the signature before anything).
 */
export const receivePaymentReceipt = defineCommand({
  type: 'payment.receipt',
  permission: 'payment.receive',
  summary: {
    zh: '登记代理银行回单（已支付）或退回（恢复指标），按凭证号幂等',
    en: "Book the agent bank's receipt (paid) or return (restores the indicator), idempotent by voucher",
  },
  needsOpenYear: true,
  payload: z.strictObject({
    vtCode: z.enum(['5201', '8202', '5207']),
    voucherNo: z.string().regex(/^[A-Za-z0-9-]{1,42}$/),
    outcome: z.enum(['paid', 'returned']),
    xPayDate: z
      .string()
      .regex(/^\d{8}$/)
      .optional(),
    xPayAmt: yuanSchema.optional(),
    xAgentBusinessNo: z.string().max(64).optional(),
    returnReason: z.string().max(500).optional(),
  }),
});

const voucherNoSchema = z.string().regex(/^[A-Za-z0-9-]{1,42}$/);

/**
 * The sender's record of one send of vouchers to the voucher library (发送): what the receiving
 * library answered per voucher (已接收 / 接收失败) or that it could not be reached. Run by the
 * exchange agent's sender loop; the id names the message and attempt, so a repeat is harmless.
 */
export const recordVoucherSend = defineCommand({
  type: 'payment.recordSend',
  permission: 'payment.send',
  summary: {
    zh: '登记凭证发送结果（已接收 / 接收失败 / 未送达，按退避重发）',
    en: 'Record what the voucher library answered to a send (received / failed / unreachable; retried with backoff)',
  },
  needsOpenYear: false,
  payload: z.strictObject({
    vouchers: z
      .array(
        z.strictObject({
          vtCode: z.enum(['5201', '8202', '5207']),
          voucherNo: voucherNoSchema,
          attempt: z.number().int().min(1),
          outcome: z.enum(['received', 'receiveFailed', 'unreachable']),
          reason: z.string().max(500).optional(),
          /** When not received: wait this long before the next send (the sender's backoff). */
          retryInMs: z.number().int().min(0).max(86_400_000).optional(),
        }),
      )
      .min(1)
      .max(1000),
  }),
});

/**
 * 退票 after payment: the agent bank's 2203 财政直接支付退款通知书 says the money of a paid voucher came
 * back from the payee's bank. Scenario 15 restores the indicator; a voucher is refunded at most once
 * and only in full (the amount must equal the original).
 */
export const refundPayment = defineCommand({
  type: 'payment.refund',
  permission: 'payment.receive',
  summary: {
    zh: '登记代理银行退款通知书（2203 财政直接支付退款通知书或 2252 收款银行退款通知，支付后退票，恢复指标），一笔凭证只能退一次',
    en: "Book the agent bank's refund notice (2203, or 2252 from the payee bank: bounced after payment; restores the indicator), once per voucher",
  },
  needsOpenYear: true,
  payload: z.strictObject({
    vtCode: z.enum(['2203', '2252']),
    voucherNo: voucherNoSchema,
    oriVtCode: z.enum(['5201', '8202']),
    oriVoucherNo: voucherNoSchema,
    amount: positiveYuan,
    agentBusinessNo: z.string().min(1).max(64),
    payDate: z.string().regex(/^\d{8}$/),
    reason: z.string().max(500).optional(),
  }),
});

export const paymentCommands = [
  receivePaymentReceipt,
  recordVoucherSend,
  refundPayment,
  draftUsePlan,
  submitUsePlan,
  approveUsePlan,
  returnUsePlan,
  voidUsePlan,
  draftPayment,
  cosignPayment,
  submitPayment,
  withdrawPayment,
  unitApprovePayment,
  reviewPayment,
  voidPayment,
  signPaymentVoucher,
] as const;
