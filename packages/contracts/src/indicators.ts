import { z } from 'zod';
import { defineCommand } from './command';
import { bi, codeSchema, regionCodeSchema, yuanSchema } from './common';
import { elementsSchema } from './ledger';

/** 指标主键 as the wire carries it. */
export const indicatorIdSchema = z
  .string()
  .regex(
    /^[0-9A-Za-z_-]{1,38}$/,
    bi('指标编号为 1 至 38 位字母、数字、- 或 _', 'indicator id is 1-38 of A-Z 0-9 - _'),
  );
/** 指标单号. */
export const docIdSchema = z
  .string()
  .regex(
    /^[0-9A-Za-z_-]{1,40}$/,
    bi('单据编号为 1 至 40 位字母、数字、- 或 _', 'document id is 1-40 of A-Z 0-9 - _'),
  );

const amount = yuanSchema.refine((s) => !s.startsWith('-') && !/^0+(\.0+)?$/.test(s), {
  message: bi('金额须大于零', 'amount must be greater than zero'),
});
/** A new indicator's 要素: everything but the id, which the document line carries. */
const newElements = elementsSchema.omit({ indicatorId: true, originIndicatorId: true });
const percent = z
  .number()
  .gt(0, bi('比例须大于 0', 'percent must be greater than 0'))
  .max(100, bi('比例不超过 100', 'percent is at most 100'));

/** 批复: new indicators from the budget, executable (到单位) or unallocated (待分). */
const approveLines = z.strictObject({
  docType: z.literal('approve'),
  lines: z
    .array(
      z.strictObject({
        indicatorId: indicatorIdSchema.optional(),
        elements: newElements,
        amount,
        pool: z.enum(['executable', 'unallocated']),
        source: z.enum(['1001', '1004', '1009']).default('1001'),
      }),
    )
    .min(1)
    .max(2000),
});

/** 分配 / 下达到单位: from an unallocated indicator to new executable indicators. */
const allocateLines = z.strictObject({
  docType: z.literal('allocate'),
  fromIndicatorId: indicatorIdSchema,
  lines: z
    .array(z.strictObject({ indicatorId: indicatorIdSchema.optional(), elements: newElements, amount }))
    .min(1)
    .max(2000),
});

/** 下达下级 (转移支付): from an indicator of this region to lower regions. */
const issueLines = z.strictObject({
  docType: z.literal('issue'),
  fromIndicatorId: indicatorIdSchema,
  lines: z
    .array(
      z.strictObject({
        region: regionCodeSchema,
        amount,
        /** What the lower level should book it under (转移支付功能科目 …); defaults to the source's. */
        tpFuncCode: codeSchema.optional(),
        /**
         * 核销: the 提前下达 message this formal issue offsets; only the difference (formal − advance)
         * moves, and the lower level adds it to the indicator the advance created.
         */
        offsetsAdvance: z
          .string()
          .regex(/^[0-9A-Za-z_.:-]{8,80}$/)
          .optional(),
      }),
    )
    .min(1)
    .max(500),
});

/** 提前下达: next year's transfer estimate to lower regions (the document's year is that next year). */
const advanceIssueLines = issueLines.extend({ docType: z.literal('advanceIssue') });

/** 追加 / 追减 with the funding source. */
export const fundingSources = {
  ownFinance: '1001',
  upperSubsidy: '1002',
  debt: '1004',
  reserve: '1009',
  surplus: '1009',
  other: '1009',
} as const;
const adjustLines = z.strictObject({
  docType: z.literal('adjust'),
  lines: z
    .array(
      z.strictObject({
        indicatorId: indicatorIdSchema,
        direction: z.enum(['increase', 'decrease']),
        amount,
        fundingSource: z.enum(['ownFinance', 'upperSubsidy', 'debt', 'reserve', 'surplus', 'other']),
      }),
    )
    .min(1)
    .max(2000),
});

/** 调剂: from one executable line to another (existing, or a new one), total unchanged. */
const transferLines = z.strictObject({
  docType: z.literal('transfer'),
  lines: z
    .array(
      z.strictObject({
        fromIndicatorId: indicatorIdSchema,
        toIndicatorId: indicatorIdSchema.optional(),
        /** A new target: its 要素 (the id is toIndicatorId or generated). */
        toElements: newElements.optional(),
        amount,
      }),
    )
    .min(1)
    .max(2000),
});

/** 冻结 / 解冻 by amount or by percent (of the available, resp. frozen, amount at approval). */
const freezeLine = z
  .strictObject({ indicatorId: indicatorIdSchema, amount: amount.optional(), percent: percent.optional() })
  .refine((l) => (l.amount === undefined) !== (l.percent === undefined), {
    message: bi('金额与比例二选一', 'give either an amount or a percent'),
  });
const freezeLines = z.strictObject({
  docType: z.literal('freeze'),
  lines: z.array(freezeLine).min(1).max(2000),
});
const unfreezeLines = z.strictObject({
  docType: z.literal('unfreeze'),
  lines: z.array(freezeLine).min(1).max(2000),
});

/** 收回: an executable indicator's amount back to a finance pool indicator, or retired. */
const recallLines = z.strictObject({
  docType: z.literal('recall'),
  lines: z
    .array(
      z.strictObject({
        indicatorId: indicatorIdSchema,
        /** Omitted: everything available at approval. */
        amount: amount.optional(),
        toPoolIndicatorId: indicatorIdSchema.optional(),
      }),
    )
    .min(1)
    .max(2000),
});

export const documentBodySchema = z.discriminatedUnion('docType', [
  approveLines,
  allocateLines,
  issueLines,
  advanceIssueLines,
  adjustLines,
  transferLines,
  freezeLines,
  unfreezeLines,
  recallLines,
]);
export type DocumentBody = z.infer<typeof documentBodySchema>;
export type DocType = DocumentBody['docType'];
export const docTypes = [
  'approve',
  'allocate',
  'issue',
  'advanceIssue',
  'adjust',
  'transfer',
  'freeze',
  'unfreeze',
  'recall',
] as const satisfies readonly DocType[];

export const docTypeNames: Record<DocType, string> = {
  approve: '指标批复单',
  allocate: '指标分配单',
  issue: '转移支付下达单',
  advanceIssue: '提前下达单',
  adjust: '指标调整单',
  transfer: '指标调剂单',
  freeze: '指标冻结单',
  unfreeze: '指标解冻单',
  recall: '指标收回单',
};

const header = {
  /** Omitted on a new document: the system numbers it. */
  docId: docIdSchema.optional(),
  /** 文号. */
  docNo: z.string().trim().min(1).max(100),
  title: z.string().trim().min(1).max(200),
  summary: z.string().trim().max(500).optional(),
};

export const draftDocument = defineCommand({
  type: 'indicatorDoc.draft',
  permission: 'indicator.prepare',
  summary: {
    zh: '新建或修改指标单（草稿或被退回的单据，仅限制单人）',
    en: 'Create or change an indicator document (a draft or a returned one; its preparer only)',
  },
  needsOpenYear: true,
  payload: z.strictObject({ ...header, body: documentBodySchema }),
});

const docRef = z.strictObject({ docId: docIdSchema });

export const submitDocument = defineCommand({
  type: 'indicatorDoc.submit',
  permission: 'indicator.prepare',
  summary: { zh: '送审指标单', en: 'Submit an indicator document for approval' },
  needsOpenYear: true,
  payload: docRef,
});

export const approveDocument = defineCommand({
  type: 'indicatorDoc.approve',
  permission: 'indicator.review',
  summary: {
    zh: '审核通过当前审批环节；终审时生效并记账',
    en: 'Approve the current step; the final step makes the document effective and posts it',
  },
  needsOpenYear: true,
  payload: docRef.extend({ opinion: z.string().trim().max(500).optional() }),
});

export const returnDocument = defineCommand({
  type: 'indicatorDoc.return',
  permission: 'indicator.review',
  summary: { zh: '退回指标单（须填写意见）', en: 'Return a document to its preparer, with an opinion' },
  needsOpenYear: true,
  payload: docRef.extend({ opinion: z.string().trim().min(1).max(500) }),
});

export const withdrawDocument = defineCommand({
  type: 'indicatorDoc.withdraw',
  permission: 'indicator.prepare',
  summary: {
    zh: '撤销送审（审批人尚未处理时，仅限送审人）',
    en: 'Withdraw a submitted document before an approver acts (its submitter only)',
  },
  needsOpenYear: true,
  payload: docRef,
});

export const voidDocument = defineCommand({
  type: 'indicatorDoc.void',
  permission: 'indicator.prepare',
  summary: { zh: '作废草稿或被退回的指标单', en: 'Void a draft or returned document' },
  needsOpenYear: true,
  payload: docRef.extend({ reason: z.string().trim().min(1).max(200) }),
});

export const saveRoute = defineCommand({
  type: 'indicatorDoc.saveRoute',
  permission: 'indicator.route.manage',
  summary: {
    zh: '配置某类指标单的审批环节（每步所需权限）',
    en: 'Configure the approval steps of a document type (the permission each step needs)',
  },
  needsOpenYear: false,
  payload: z.strictObject({
    docType: z.enum(docTypes),
    steps: z
      .array(
        z.strictObject({
          name: z.string().trim().min(1).max(50),
          permission: z.enum(['indicator.review', 'indicator.approve']),
        }),
      )
      .min(1)
      .max(5),
  }),
});

/** What travels between levels: the upper document's facts, enough to book it below. */
export const transferMessageSchema = z.strictObject({
  messageId: z.string().regex(/^[0-9A-Za-z_.:-]{8,80}$/),
  kind: z.enum(['issue', 'advanceIssue']),
  fromRegion: regionCodeSchema,
  toRegion: regionCodeSchema,
  fiscalYear: z.number().int().min(2000).max(2099),
  docId: docIdSchema,
  /** The upper document number: the lower level's 上级指标文号. */
  docNo: z.string().min(1).max(100),
  title: z.string().min(1).max(200),
  amount: yuanSchema,
  sourceIndicatorId: indicatorIdSchema,
  elements: elementsSchema,
  /** 核销: the advance message this one offsets; `amount` is then the difference, `grossAmount` the formal figure. */
  offsetsMessageId: z
    .string()
    .regex(/^[0-9A-Za-z_.:-]{8,80}$/)
    .optional(),
  grossAmount: yuanSchema.optional(),
});
export type TransferMessage = z.infer<typeof transferMessageSchema>;

export const receiveTransfer = defineCommand({
  type: 'transfer.receive',
  permission: 'indicator.receive',
  summary: {
    zh: '接收上级下达的转移支付（生成本级待分指标，按消息编号幂等）',
    en: 'Receive a transfer from the upper level as a new unallocated indicator (idempotent by message id)',
  },
  needsOpenYear: true,
  payload: transferMessageSchema,
});

export const acknowledgeTransfer = defineCommand({
  type: 'transfer.acknowledge',
  permission: 'indicator.prepare',
  summary: { zh: '确认收到上级转移支付', en: 'Acknowledge a received transfer' },
  needsOpenYear: true,
  payload: z.strictObject({ messageId: transferMessageSchema.shape.messageId }),
});

export const returnTransfer = defineCommand({
  type: 'transfer.return',
  permission: 'indicator.prepare',
  summary: {
    zh: '退回上级转移支付（冲回本级指标并通知上级）',
    en: 'Return a received transfer to the upper level (reverses it here and tells the upper level)',
  },
  needsOpenYear: true,
  payload: z.strictObject({
    messageId: transferMessageSchema.shape.messageId,
    reason: z.string().trim().min(1).max(200),
  }),
});

export const receiveReturn = defineCommand({
  type: 'transfer.receiveReturn',
  permission: 'indicator.receive',
  summary: {
    zh: '接收下级退回的转移支付（恢复本级指标）',
    en: 'Receive a transfer the lower level returned (restores the upper indicator)',
  },
  needsOpenYear: true,
  payload: z.strictObject({
    messageId: transferMessageSchema.shape.messageId,
    returnedBy: regionCodeSchema,
    reason: z.string().min(1).max(200),
  }),
});

export const markDelivered = defineCommand({
  type: 'transfer.markDelivered',
  permission: 'indicator.receive',
  summary: {
    zh: '记录转移支付消息的投递结果（交换代理）',
    en: 'Record the outcome of delivering a transfer message (exchange agent)',
  },
  needsOpenYear: false,
  payload: z.strictObject({
    messageId: transferMessageSchema.shape.messageId,
    delivered: z.boolean(),
    error: z.string().max(500).optional(),
  }),
});

export const markReturnDelivered = defineCommand({
  type: 'transfer.markReturnDelivered',
  permission: 'indicator.receive',
  summary: {
    zh: '记录退回已被上级入账（交换代理）',
    en: 'Record that the upper level booked a returned transfer (exchange agent)',
  },
  needsOpenYear: false,
  payload: z.strictObject({ messageId: transferMessageSchema.shape.messageId }),
});

export const indicatorCommands = [
  draftDocument,
  submitDocument,
  approveDocument,
  returnDocument,
  withdrawDocument,
  voidDocument,
  saveRoute,
  receiveTransfer,
  acknowledgeTransfer,
  returnTransfer,
  receiveReturn,
  markDelivered,
  markReturnDelivered,
] as const;
