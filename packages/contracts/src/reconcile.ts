import { z } from 'zod';
import { defineCommand } from './command';
import { bi, isoDateSchema, yuanSchema } from './common';

/**
 * 对账 (docs/design/clearing-protocol.md, DOMAIN.md §4.8): the counterpart reports finance receives,
 * the daily reconciliation run over three layers and the disposition of its differences.
 */
export const reconcileParties = ['finance', 'bank', 'pboc'] as const;
export type ReconcileParty = (typeof reconcileParties)[number];
export const reconcilePartyNames: Record<ReconcileParty, string> = {
  finance: '财政',
  bank: '代理银行',
  pboc: '人民银行国库',
};
export const reconcileLayers = ['L1', 'L2', 'L3'] as const;
export const reconcileLayerNames: Record<(typeof reconcileLayers)[number], string> = {
  L1: '凭证级 vouchers',
  L2: '清算/额度级 quotas and clearing',
  L3: '账户级 accounts',
};
/** `finance-ledger`: L3, the units' paid vouchers against the indicator ledger's paid movement. */
export const reconcilePairs = ['finance-bank', 'finance-pboc', 'bank-pboc', 'finance-ledger'] as const;
export const differenceKinds = [
  'missing',
  'duplicated',
  'amount',
  'element',
  'signature',
  'identity',
] as const;
export const differenceKindNames: Record<(typeof differenceKinds)[number], string> = {
  missing: '缺失',
  duplicated: '重复',
  amount: '金额不符',
  element: '要素不符',
  signature: '验签失败',
  identity: '恒等式不成立',
};
export const differenceStates = ['open', 'assigned', 'explained', 'resolved'] as const;
export const differenceStateNames: Record<(typeof differenceStates)[number], string> = {
  open: '待处理',
  assigned: '已分派',
  explained: '已说明',
  resolved: '已解决',
};
/** How a difference was settled: 已更正 (we corrected), 对方已更正, 在途/时间性差异, 确认无误. */
export const differenceResolutions = ['corrected', 'counterpartCorrected', 'timing', 'accepted'] as const;
export const differenceResolutionNames: Record<(typeof differenceResolutions)[number], string> = {
  corrected: '财政已更正',
  counterpartCorrected: '对方已更正',
  timing: '在途（时间性差异）',
  accepted: '确认无误',
};

/** The VtCodes stored as counterpart reports, and who sends each. */
export const reportVtCodes = ['2206', '3410', '3501', '3504', '3513'] as const;

const voucherNoSchema = z.string().regex(/^[A-Za-z0-9-]{1,42}$/);
const codeText = z.string().max(42).optional();
const optionalYuan = yuanSchema.optional();

export const reportLineSchema = z.strictObject({
  voucherNo: voucherNoSchema.optional(),
  oriVtCode: z
    .string()
    .regex(/^\d{4}$/)
    .optional(),
  supDepCode: codeText,
  agencyCode: codeText,
  expFuncCode: codeText,
  fundTypeCode: codeText,
  payTypeCode: codeText,
  payBankCode: codeText,
  amount: yuanSchema,
  /** 3501: 0 正常, 1 退回 */
  proState: z.union([z.literal(0), z.literal(1)]).optional(),
});

/**
 * 对方报表入库: a verified counterpart report (2206 bank daily report, 3410 PBOC expenditure daily,
 * 3501 PBOC voucher check list, 3513 account statement), as the inbox read it. Run by the exchange
 * agent; one report per sender and VoucherNo — a resend is a duplicate, never counted twice.
 */
export const receiveReconcileReport = defineCommand({
  type: 'reconcileReport.receive',
  permission: 'reconcile.receive',
  summary: {
    zh: '登记对方对账报表（2206 代理银行日报、3410 人行支出日报、3501 凭证对账、3504 清算信息对账〔财政核对后回复结果〕、3513 账户对账），按发送方与凭证号幂等',
    en: 'Store a counterpart report (2206 bank daily report, 3410 PBOC expenditure daily, 3501 voucher check, 3504 clearing check [answered with finance’s check result], 3513 account statement), idempotent per sender and VoucherNo',
  },
  needsOpenYear: false,
  payload: z.strictObject({
    sender: z.enum(['bank', 'pboc']),
    senderCode: z.string().min(1).max(64),
    keyId: z.string().min(1).max(64),
    vtCode: z.enum(reportVtCodes),
    voucherNo: voucherNoSchema,
    reportDate: isoDateSchema,
    amount: optionalYuan,
    posAmount: optionalYuan,
    negAmount: optionalYuan,
    fundTypeCode: codeText,
    payTypeCode: codeText,
    payBankCode: codeText,
    eVoucherType: codeText,
    account: z
      .strictObject({
        acctNo: z.string().min(1).max(42),
        acctName: z.string().max(200).optional(),
        acctKind: z.string().max(40).optional(),
        open: yuanSchema,
        debit: yuanSchema,
        credit: yuanSchema,
        close: yuanSchema,
      })
      .optional(),
    contentSha: z.string().regex(/^[0-9a-f]{64}$/),
    header: z.record(z.string(), z.string().max(2000)),
    lines: z.array(reportLineSchema).max(500_000),
  }),
});

/**
 * 验签失败登记: a message the inbox refused because a signature did not verify, kept so that the
 * day's reconciliation names a `signature` difference. Run by the exchange agent.
 */
export const recordRejectedMessage = defineCommand({
  type: 'reconcileReport.reject',
  permission: 'reconcile.receive',
  summary: {
    zh: '登记验签失败被拒收的报文（对账时列为验签失败差异）',
    en: 'Record a message refused for a bad signature (reconciliation lists it as a signature difference)',
  },
  needsOpenYear: false,
  payload: z.strictObject({
    sender: z.enum(['bank', 'pboc']),
    keyId: z.string().max(64).optional(),
    vtCode: z.string().regex(/^\d{4}$/),
    voucherNo: z.string().min(1).max(64),
    messageDate: isoDateSchema,
    reason: z.string().min(1).max(1000),
  }),
});

/**
 * 对账: reconcile date D over the three layers (vouchers, quotas and clearing, accounts) between
 * the parties given (default all three). A rerun of D supersedes the earlier run (kept for history)
 * and carries the dispositions of differences that did not change.
 */
export const runReconcile = defineCommand({
  type: 'reconcile.run',
  permission: 'reconcile.run',
  summary: {
    zh: '按日对账：凭证级、清算/额度级、账户级三层，财政—代理银行—人民银行；重跑取代上次结果并沿用未变差异的处理',
    en: 'Reconcile a date over three layers (vouchers, quotas and clearing, accounts) between finance, bank and PBOC; a rerun supersedes the last and keeps dispositions of unchanged differences',
  },
  needsOpenYear: false,
  payload: z.strictObject({
    date: isoDateSchema,
    parties: z
      .array(z.enum(reconcileParties))
      .min(2, bi('至少两方参与对账', 'at least two parties reconcile'))
      .max(3)
      .refine((ps) => new Set(ps).size === ps.length, bi('参与方不能重复', 'parties must not repeat'))
      .optional(),
  }),
});

export const differenceIdSchema = z
  .string()
  .regex(/^RD\d{10,}$/, bi('差异编号格式有误', 'bad difference id'));

export const assignDifference = defineCommand({
  type: 'reconcileDiff.assign',
  permission: 'reconcile.assign',
  summary: { zh: '分派对账差异给经办人', en: 'Assign a reconciliation difference to a person' },
  needsOpenYear: false,
  payload: z.strictObject({
    differenceId: differenceIdSchema,
    assignee: z.string().trim().min(1).max(64),
  }),
});

export const explainDifference = defineCommand({
  type: 'reconcileDiff.explain',
  permission: 'reconcile.explain',
  summary: {
    zh: '经办人说明对账差异的原因',
    en: 'The assignee explains a reconciliation difference',
  },
  needsOpenYear: false,
  payload: z.strictObject({
    differenceId: differenceIdSchema,
    explanation: z.string().trim().min(1).max(2000),
  }),
});

export const resolveDifference = defineCommand({
  type: 'reconcileDiff.resolve',
  permission: 'reconcile.resolve',
  summary: {
    zh: '确认解决对账差异（说明人不能自行确认）',
    en: 'Resolve a reconciliation difference (not by the one who explained it)',
  },
  needsOpenYear: false,
  payload: z.strictObject({
    differenceId: differenceIdSchema,
    resolution: z.enum(differenceResolutions),
    note: z.string().trim().min(1).max(2000),
  }),
});

export const reconcileCommands = [
  receiveReconcileReport,
  recordRejectedMessage,
  runReconcile,
  assignDifference,
  explainDifference,
  resolveDifference,
] as const;
