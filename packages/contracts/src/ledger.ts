import { z } from 'zod';
import { defineCommand } from './command';
import { codeSchema, regionCodeSchema, yuanSchema } from './common';

const optCode = codeSchema.nullable().optional();
const docNo = z.string().min(1).max(100).nullable().optional();
const indicatorId = z
  .string()
  .regex(/^[0-9A-Za-z_-]{1,38}$/)
  .nullable()
  .optional();

/** 要素 on the wire: every dimension optional except 资金性质; flags default to false. */
export const elementsSchema = z.strictObject({
  indicatorId,
  originIndicatorId: indicatorId,
  agencyCode: optCode,
  deptCode: optCode,
  projectCode: optCode,
  expFuncCode: optCode,
  tpFuncCode: optCode,
  govEcoCode: optCode,
  depEcoCode: optCode,
  fundTypeCode: codeSchema,
  sourceTypeCode: optCode,
  indicatorTypeCode: optCode,
  payTypeCode: optCode,
  manageDivCode: optCode,
  docNo,
  supDocNo: docNo,
  receivingRegion: regionCodeSchema.nullable().optional(),
  trackProjectCode: optCode,
  flags: z
    .strictObject({
      directReach: z.boolean().optional(),
      sanGong: z.boolean().optional(),
      salary: z.boolean().optional(),
      govProcurement: z.boolean().optional(),
      unionFee: z.boolean().optional(),
      povertyRelief: z.boolean().optional(),
      toPeople: z.boolean().optional(),
    })
    .optional(),
});
export type ElementsInput = z.infer<typeof elementsSchema>;

const pool = z.enum(['unallocated', 'executable']);
const source = z.enum(['1001', '1002', '1003', '1004', '1009']);
const amount = yuanSchema;

export const paymentFactsSchema = z.strictObject({
  elements: elementsSchema,
  contractNo: z.string().max(60).nullable().default(null),
  payeeAccountKind: z.enum(['payroll', 'other']).nullable().default(null),
  beneficiaryCount: z.number().int().min(0).default(0),
  extraApproval: z.boolean().default(false),
});

/** One business scenario of DOMAIN.md §3.5, amounts in yuan strings. */
export const scenarioSchema = z.discriminatedUnion('scenario', [
  z.strictObject({
    scenario: z.literal('approve'),
    amount,
    to: elementsSchema,
    pool,
    source: source.default('1001'),
  }),
  z.strictObject({ scenario: z.literal('allocate'), amount, from: elementsSchema, to: elementsSchema }),
  z.strictObject({ scenario: z.literal('upperReceipt'), amount, to: elementsSchema, pool }),
  z.strictObject({
    scenario: z.literal('issueToLower'),
    amount,
    from: elementsSchema,
    pool,
    receivingRegion: regionCodeSchema,
  }),
  z.strictObject({ scenario: z.literal('advanceIssue'), amount, to: elementsSchema }),
  z.strictObject({
    scenario: z.literal('adjust'),
    amount,
    target: elementsSchema,
    pool,
    source: source.default('1001'),
  }),
  z.strictObject({ scenario: z.literal('transfer'), amount, from: elementsSchema, to: elementsSchema }),
  z.strictObject({ scenario: z.literal('freeze'), amount, target: elementsSchema, pool }),
  z.strictObject({ scenario: z.literal('unfreeze'), amount, target: elementsSchema, pool }),
  z.strictObject({
    scenario: z.literal('recall'),
    amount,
    from: elementsSchema,
    to: elementsSchema,
    retire: z.boolean(),
  }),
  z.strictObject({ scenario: z.literal('usePlan'), amount, indicator: elementsSchema }),
  z.strictObject({
    scenario: z.literal('applicationApproved'),
    amount,
    indicator: elementsSchema,
    fromPlan: z.boolean().default(false),
    payment: paymentFactsSchema.nullable().default(null),
  }),
  z.strictObject({ scenario: z.literal('bankPaid'), amount, indicator: elementsSchema }),
  z.strictObject({
    scenario: z.literal('voucherReturned'),
    amount,
    indicator: elementsSchema,
    toPlan: z.boolean().default(false),
  }),
  z.strictObject({ scenario: z.literal('refund'), amount, indicator: elementsSchema }),
  z.strictObject({ scenario: z.literal('correction'), amount, wrong: elementsSchema, right: elementsSchema }),
  z.strictObject({
    scenario: z.literal('carryForward'),
    amount,
    from: elementsSchema,
    nextYear: elementsSchema,
  }),
  z.strictObject({ scenario: z.literal('lapse'), amount, from: elementsSchema }),
]);
export type ScenarioPayload = z.infer<typeof scenarioSchema>;

export const postLedger = defineCommand({
  type: 'ledger.post',
  permission: 'ledger.post',
  summary: {
    zh: '按业务场景记账（指标核算），经控制规则校验',
    en: 'Post a business scenario to the indicator ledger, checked by the control rules',
  },
  needsOpenYear: true,
  payload: scenarioSchema,
});

export const postOpening = defineCommand({
  type: 'ledger.postOpening',
  permission: 'ledger.migrate',
  summary: {
    zh: '迁移期初余额（双轨运行，限数据迁移角色）',
    en: 'Post an opening balance migrated from a legacy system (migration role only)',
  },
  needsOpenYear: true,
  payload: z.strictObject({
    account: z.string().regex(/^\d{4}$/),
    amount,
    to: elementsSchema,
    source: source.default('1001'),
  }),
});

export const reverseEntry = defineCommand({
  type: 'ledger.reverse',
  permission: 'ledger.post',
  summary: { zh: '红字冲销一笔分录', en: 'Reverse an entry with a new, opposite entry' },
  needsOpenYear: true,
  payload: z.strictObject({ entryId: z.string().regex(/^\d{1,18}$/), reason: z.string().min(1).max(200) }),
});

export const saveLedgerAccount = defineCommand({
  type: 'ledger.saveAccount',
  permission: 'ledger.chart.manage',
  summary: { zh: '新增或修改指标核算科目', en: 'Add or rename an indicator-ledger account' },
  needsOpenYear: false,
  payload: z.strictObject({
    code: z.string().regex(/^\d{4,8}$/),
    name: z.string().min(1).max(100),
    normalSide: z.enum(['debit', 'credit']),
    accountClass: z.enum(['source', 'holding']),
    allowNegative: z.boolean().default(false),
    enabled: z.boolean().default(true),
  }),
});

export const controlKinds = [
  'availableNonNegative',
  'executableOnly',
  'elementsMatch',
  'sanGongLevel',
  'spendWithinReceipts',
  'usePlanCeiling',
  'govProcurementContract',
  'salaryPayroll',
  'directReachBeneficiaries',
  'largePayment',
  'periodCutoff',
] as const;

export const saveControlRule = defineCommand({
  type: 'ledger.saveRule',
  permission: 'ledger.rule.manage',
  summary: {
    zh: '新增或修改控制规则（每次修改生成新版本）',
    en: 'Add or change a control rule (every change is a new version)',
  },
  needsOpenYear: false,
  payload: z.strictObject({
    code: z.string().regex(/^[A-Z][A-Z0-9_]{2,40}$/),
    kind: z.enum(controlKinds),
    nameZh: z.string().min(1).max(100),
    nameEn: z.string().min(1).max(100),
    scope: z
      .strictObject({
        regions: z.array(regionCodeSchema).nullable().default(null),
        fundTypes: z.array(codeSchema).nullable().default(null),
        accounts: z
          .array(z.string().regex(/^\d{4,8}$/))
          .nullable()
          .default(null),
      })
      .default({ regions: null, fundTypes: null, accounts: null }),
    action: z.enum(['block', 'warn']),
    tolerance: z
      .strictObject({
        kind: z.enum(['percent', 'absolute']),
        value: z.string().regex(/^\d{1,15}(\.\d{1,4})?$/),
      })
      .nullable()
      .default(null),
    params: z.record(z.string(), z.unknown()).default({}),
    enabled: z.boolean().default(true),
  }),
});

export const saveLedgerSettings = defineCommand({
  type: 'ledger.saveSettings',
  permission: 'ledger.rule.manage',
  summary: { zh: '设置本区划是否启用用款计划控制', en: 'Switch use-plan control on or off for the region' },
  needsOpenYear: false,
  payload: z.strictObject({ usePlans: z.boolean() }),
});

export const creditReceipts = defineCommand({
  type: 'ledger.creditReceipts',
  permission: 'ledger.post',
  summary: { zh: '登记以收定支的入库收入', en: 'Record receipts credited for spend-within-receipts funds' },
  needsOpenYear: true,
  payload: z.strictObject({
    fundTypeCode: codeSchema,
    agencyCode: codeSchema.nullable().default(null),
    amount,
  }),
});

export const ledgerCommands = [
  postLedger,
  postOpening,
  reverseEntry,
  saveLedgerAccount,
  saveControlRule,
  saveLedgerSettings,
  creditReceipts,
] as const;
