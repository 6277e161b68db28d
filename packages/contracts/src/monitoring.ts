import { z } from 'zod';
import { defineCommand } from './command';
import { bi, isoDateSchema, nameSchema, yuanSchema } from './common';
import { applicationIdSchema } from './payments';

/** 预警级别 and 处理方式, stored by meaning (DOMAIN.md §5.1), never by the source systems' ordinals. */
export const warningLevels = ['yellow', 'orange', 'red', 'grey', 'blue'] as const;
export const warningLevelNames: Record<(typeof warningLevels)[number], string> = {
  yellow: '黄色预警',
  orange: '橙色预警',
  red: '红色预警',
  grey: '灰色预警',
  blue: '蓝色预警',
};
export const ruleActions = ['warn', 'warnExplain', 'hold', 'freeze', 'forbid', 'record'] as const;
export const ruleActionNames: Record<(typeof ruleActions)[number], string> = {
  warn: '预警',
  warnExplain: '预警（需说明）',
  hold: '拦截',
  freeze: '冻结',
  forbid: '禁止',
  record: '记录',
};
export const ruleTriggers = ['submit', 'approve', 'scheduled'] as const;
export const ruleTriggerNames: Record<(typeof ruleTriggers)[number], string> = {
  submit: '事中（送审时）',
  approve: '事中（支付审核时）',
  scheduled: '定时',
};

const ruleCodeSchema = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]{1,47}$/, bi('规则编码为大写字母、数字和下划线', 'rule code is UPPER_SNAKE'));

/**
 * A rule parameter on the wire: a number, text, a yes/no, a list of codes, or money as
 * `{ "yuan": "5000.00" }` (money is never a JSON number).
 */
export const ruleParamSchema = z.union([
  z.number().finite(),
  z.string().max(200),
  z.boolean(),
  z.array(z.string().max(60)).max(200),
  z.strictObject({ yuan: yuanSchema }),
]);

/** One version of a 监控规则 as the editor saves it; the server numbers the version. */
export const ruleDefinitionSchema = z.strictObject({
  code: ruleCodeSchema,
  name: nameSchema,
  theme: z.string().trim().min(1).max(40),
  basis: z.string().trim().max(500).default(''),
  trigger: z.enum(ruleTriggers),
  scope: z.strictObject({
    regions: z
      .array(z.string().regex(/^\d{0,9}$/))
      .min(1)
      .max(50),
    level: z.enum(['system', 'finance', 'department']),
  }),
  condition: z.string().min(1).max(2000),
  params: z.record(z.string(), ruleParamSchema).default({}),
  warningLevel: z.enum(warningLevels),
  action: z.enum(ruleActions),
  prompt: z.strictObject({
    'zh-CN': z.string().trim().min(1).max(200),
    en: z.string().trim().min(1).max(200),
  }),
  effectiveFrom: isoDateSchema,
  effectiveTo: isoDateSchema.optional(),
  enabled: z.boolean(),
});
export type RuleDefinition = z.infer<typeof ruleDefinitionSchema>;

export const saveMonitorRule = defineCommand({
  type: 'monitorRule.save',
  permission: 'monitor.rule.manage',
  summary: {
    zh: '保存监控规则（每次保存为新版本，条件表达式在保存时校验）',
    en: 'Save a monitoring rule (each save is a new version; the condition is checked on save)',
  },
  needsOpenYear: false,
  payload: z.strictObject({
    rule: ruleDefinitionSchema,
    /** The version the editor started from; a stale editor is refused instead of overwriting. */
    baseVersion: z.number().int().min(0).optional(),
  }),
});

export const installMonitorCatalogue = defineCommand({
  type: 'monitorRule.install',
  permission: 'monitor.rule.manage',
  summary: {
    zh: '安装内置监控规则目录（已有的规则编码不覆盖）',
    en: 'Install the built-in rule catalogue (codes the region already has are left alone)',
  },
  needsOpenYear: false,
  payload: z.strictObject({ enabled: z.boolean().default(true), codes: z.array(ruleCodeSchema).optional() }),
});

/** 审核人对拦截/冻结支付的处理: 放行, 改正（退回修改）, 禁止. */
export const holdDecisions = ['release', 'correct', 'forbid'] as const;
export const decideMonitorHold = defineCommand({
  type: 'monitorHold.decide',
  permission: 'monitor.release',
  summary: {
    zh: '处理被动态监控拦截或冻结的支付：放行、改正（退回单位修改）或禁止',
    en: 'Decide a payment held or frozen by monitoring: release, send back for correction, or forbid',
  },
  needsOpenYear: true,
  payload: z.strictObject({
    applicationId: applicationIdSchema,
    decision: z.enum(holdDecisions),
    opinion: z.string().trim().min(1).max(500),
  }),
});

export const warningIdSchema = z.string().regex(/^YJ\d{4}\d{8,}$/, bi('预警编号格式有误', 'bad warning id'));
const attachmentSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  /** SHA-256 of the file as uploaded, hex; the file itself is kept by the document store. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/, bi('附件摘要应为 64 位十六进制', 'attachment digest is 64 hex')),
});

export const monitorDispositionActions = [
  'identifyNormal',
  'identifySuspect',
  'issueInquiry',
  'verifyOk',
  'confirmViolation',
  'sendBackFeedback',
  'acceptRectification',
  'rejectRectification',
] as const;
export const disposeWarning = defineCommand({
  type: 'monitorWarning.dispose',
  permission: 'monitor.dispose',
  summary: {
    zh: '监控岗处理预警：认定、问询、核实、认定违规、审核整改',
    en: 'Monitoring officer disposes of a warning: identify, inquire, verify, confirm, review rectification',
  },
  needsOpenYear: false,
  payload: z.strictObject({
    warningId: warningIdSchema,
    action: z.enum(monitorDispositionActions),
    opinion: z.string().trim().max(1000).optional(),
    deadline: isoDateSchema.optional(),
  }),
});

export const respondWarning = defineCommand({
  type: 'monitorWarning.respond',
  permission: 'monitor.respond',
  summary: {
    zh: '单位答复问询单或报送整改情况（附件）',
    en: 'The unit answers an inquiry or reports its rectification (with attachments)',
  },
  needsOpenYear: false,
  payload: z.strictObject({
    warningId: warningIdSchema,
    agencyCode: z.string().min(1).max(40),
    action: z.enum(['feedback', 'reportRectified']),
    opinion: z.string().trim().max(1000).optional(),
    attachments: z.array(attachmentSchema).max(20).default([]),
  }),
});

export const escalateWarnings = defineCommand({
  type: 'monitorWarning.escalate',
  permission: 'monitor.dispose',
  summary: {
    zh: '督办：对逾期未办结的预警升级督办级别（每日定时或手动）',
    en: 'Escalate (督办) overdue open warnings as of the business date (daily job or by hand)',
  },
  needsOpenYear: false,
  payload: z.strictObject({}),
});

export const runScheduledMonitor = defineCommand({
  type: 'monitorScheduled.run',
  permission: 'monitor.dispose',
  summary: {
    zh: '运行定时监控规则（如支出进度慢），对本区划的可执行指标生成预警；同一日重复运行不重复预警',
    en: 'Run the scheduled rules (e.g. slow execution) over the region’s executable indicators; a rerun on the same day raises nothing twice',
  },
  needsOpenYear: true,
  payload: z.strictObject({}),
});

export const monitorCommands = [
  saveMonitorRule,
  installMonitorCatalogue,
  decideMonitorHold,
  disposeWarning,
  respondWarning,
  escalateWarnings,
  runScheduledMonitor,
] as const;
