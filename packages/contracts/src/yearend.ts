import { z } from 'zod';
import { defineCommand } from './command';
import { bi } from './common';

/** 年终结转 run id: also the stem of its chunk command ids (`<runId>:c<n>`, `<runId>:r<n>`). */
export const yearendRunIdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9._-]{6,48}$/,
    bi('结转批次号为 6 至 48 位字母、数字或 . _ -', 'run id is 6-48 of A-Z 0-9 . _ -'),
  );

const prefix = z.string().regex(/^[0-9A-Za-z]{1,21}$/, bi('代码前缀为字母或数字', 'a code prefix'));

/**
 * One rule of a region's year-end policy: the first rule whose every given condition holds
 * decides. Codes match by prefix (`2` matches indicator type 21); conditions left out match all.
 */
export const yearendRuleSchema = z.strictObject({
  pool: z.enum(['executable', 'unallocated']).optional(),
  fundTypeCode: prefix.optional(),
  indicatorTypeCode: prefix.optional(),
  sourceTypeCode: prefix.optional(),
  directReach: z.boolean().optional(),
  action: z.enum(['carry', 'lapse']),
  note: z.string().max(200).optional(),
});
export type YearendRule = z.infer<typeof yearendRuleSchema>;

/** 结转结余政策: ordered rules, then what happens to a balance no rule matches. */
export const yearendPolicySchema = z.strictObject({
  rules: z.array(yearendRuleSchema).max(100),
  otherwise: z.enum(['carry', 'lapse']),
});
export type YearendPolicy = z.infer<typeof yearendPolicySchema>;

/**
 * The default: 直达资金 always carries; project (指标类型 2x) and transfer-payment (3x) funds
 * carry; basic expenditure (1x) lapses, and so does whatever no rule names.
 */
export const defaultYearendPolicy: YearendPolicy = {
  rules: [
    { directReach: true, action: 'carry', note: '直达资金结转 direct-reach funds carry' },
    { indicatorTypeCode: '2', action: 'carry', note: '项目支出结转 project funds carry' },
    { indicatorTypeCode: '3', action: 'carry', note: '转移支付结转 transfer payments carry' },
    { indicatorTypeCode: '1', action: 'lapse', note: '基本支出结余收回 basic expenditure lapses' },
  ],
  otherwise: 'lapse',
};

export const saveYearendPolicy = defineCommand({
  type: 'yearend.savePolicy',
  permission: 'indicator.yearend',
  summary: {
    zh: '保存本区划的年终结转结余政策（按顺序匹配的规则）',
    en: "Save the region's year-end carry/lapse policy (rules matched in order)",
  },
  needsOpenYear: false,
  payload: yearendPolicySchema,
});

export const startYearend = defineCommand({
  type: 'yearend.start',
  permission: 'indicator.yearend',
  summary: {
    zh: '开始年终结转：检查下年度已开启，复制缺少的预算单位，记录政策快照和待处理总额',
    en: 'Start a year-end run: the next year must be open; missing agencies are copied; the policy and totals are recorded',
  },
  needsOpenYear: false,
  payload: z.strictObject({
    runId: yearendRunIdSchema,
    chunkSize: z.number().int().min(1).max(100_000).default(20_000),
  }),
});

export const runYearendChunk = defineCommand({
  type: 'yearend.chunk',
  permission: 'indicator.yearend',
  summary: {
    zh: '年终结转的一批：结转或结余收回下一批余额，并在同一事务中记录进度',
    en: 'One chunk of a year-end run: carry or lapse the next balances and record progress in the same transaction',
  },
  needsOpenYear: false,
  payload: z.strictObject({
    runId: yearendRunIdSchema,
    chunk: z.number().int().min(0),
    size: z.number().int().min(1).max(100_000),
  }),
});

export const reverseYearendChunk = defineCommand({
  type: 'yearend.reverse',
  permission: 'indicator.yearend',
  summary: {
    zh: '红字冲销年终结转的一批分录；最后一批后该批次标记为已冲销',
    en: 'Reverse (红字冲销) the entries of one chunk of a year-end run; after the last the run is reversed',
  },
  needsOpenYear: false,
  payload: z.strictObject({ runId: yearendRunIdSchema, chunk: z.number().int().min(0) }),
});

export const yearendCommands = [
  saveYearendPolicy,
  startYearend,
  runYearendChunk,
  reverseYearendChunk,
] as const;
