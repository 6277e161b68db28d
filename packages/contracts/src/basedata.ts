import { z } from 'zod';
import { defineCommand } from './command';
import { admDivCodeSchema, bi, codeSchema, isoDateSchema, nameSchema, regionCodeSchema } from './common';

/** 预算级次 of a region. */
export const regionLevels = ['province', 'city', 'county', 'township'] as const;
export const regionLevelSchema = z.enum(regionLevels);

export const saveRegion = defineCommand({
  type: 'region.save',
  permission: 'basedata.region.manage',
  summary: { zh: '新增或修改财政区划', en: 'Create or update a fiscal region' },
  needsOpenYear: false,
  payload: z.strictObject({
    code: regionCodeSchema,
    admDivCode: admDivCodeSchema,
    name: nameSchema,
    level: regionLevelSchema,
    parentCode: regionCodeSchema.nullable(),
  }),
});

export const openFiscalYear = defineCommand({
  type: 'fiscalYear.open',
  permission: 'basedata.fiscalYear.manage',
  summary: { zh: '开启预算年度', en: 'Open a fiscal year for the region' },
  needsOpenYear: false,
  payload: z.strictObject({}),
});

export const closeFiscalYear = defineCommand({
  type: 'fiscalYear.close',
  permission: 'basedata.fiscalYear.manage',
  summary: { zh: '关闭预算年度', en: 'Close a fiscal year of the region' },
  needsOpenYear: false,
  payload: z.strictObject({}),
});

/** 单位性质. */
export const agencyKinds = ['行政', '参公', '事业', '企业', '其他'] as const;
export const agencyKindSchema = z.enum(agencyKinds);

export const saveAgency = defineCommand({
  type: 'agency.save',
  permission: 'basedata.agency.manage',
  summary: {
    zh: '新增或修改预算单位（主管部门为无上级的单位）',
    en: 'Create or update an agency (a department is an agency with no parent)',
  },
  needsOpenYear: false,
  payload: z.strictObject({
    code: codeSchema,
    name: nameSchema,
    kind: agencyKindSchema,
    parentCode: codeSchema.nullable(),
    enabled: z.boolean().default(true),
  }),
});

/** The code sets of 政府收支分类 and friends, each per region and fiscal year. */
export const codeSets = [
  'expFunc',
  'depEco',
  'govEco',
  'fundType',
  'indicatorSource',
  'indicatorType',
  'payType',
  'settlementMode',
] as const;
export const codeSetSchema = z.enum(codeSets);
export type CodeSet = z.infer<typeof codeSetSchema>;
export const codeSetNames: Record<CodeSet, { zh: string; en: string }> = {
  expFunc: { zh: '支出功能分类', en: 'Functional classification' },
  depEco: { zh: '部门预算支出经济分类', en: 'Departmental economic classification' },
  govEco: { zh: '政府预算支出经济分类', en: 'Government economic classification' },
  fundType: { zh: '资金性质', en: 'Fund type' },
  indicatorSource: { zh: '指标来源', en: 'Indicator source' },
  indicatorType: { zh: '指标类型', en: 'Indicator type' },
  payType: { zh: '支付方式', en: 'Payment type' },
  settlementMode: { zh: '结算方式', en: 'Settlement mode' },
};

export const loadCodeSets = defineCommand({
  type: 'codeSet.load',
  permission: 'basedata.codeSet.manage',
  summary: {
    zh: '将某一版本的代码集装入本区划本年度（已有代码按版本更新）',
    en: 'Load a shipped code-set version into the region and year (existing codes are updated)',
  },
  needsOpenYear: false,
  payload: z.strictObject({ version: z.string().regex(/^\d{4}\.\d+$/) }),
});

export const saveCodeItem = defineCommand({
  type: 'codeItem.save',
  permission: 'basedata.codeSet.manage',
  summary: { zh: '新增或修改一个代码', en: 'Create or update one code of a code set' },
  needsOpenYear: false,
  payload: z.strictObject({
    set: codeSetSchema,
    code: codeSchema,
    name: nameSchema,
    parentCode: codeSchema.nullable(),
    enabled: z.boolean().default(true),
  }),
});

export const saveEconomicMapping = defineCommand({
  type: 'economicMapping.save',
  permission: 'basedata.codeSet.manage',
  summary: {
    zh: '设置部门经济分类到政府经济分类的对应关系',
    en: 'Map a departmental economic code to a government economic code',
  },
  needsOpenYear: false,
  payload: z.strictObject({
    depEcoCode: codeSchema,
    agencyKind: z.enum(['行政', '事业', '*']).default('*'),
    govEcoCode: codeSchema,
  }),
});

export const saveAgentBank = defineCommand({
  type: 'agentBank.save',
  permission: 'basedata.account.manage',
  summary: { zh: '新增或修改代理银行', en: 'Create or update an agent bank' },
  needsOpenYear: false,
  payload: z.strictObject({
    code: codeSchema,
    name: nameSchema,
    /** 支付系统行号, 12 digits (PayBankNo). */
    bankNo: z.string().regex(/^\d{12}$/, bi('行号为 12 位数字', 'bank number is 12 digits')),
    enabled: z.boolean().default(true),
  }),
});

/** 账户类型 of the treasury single account system. */
export const bankAccountKinds = [
  'treasurySingle',
  'financeZeroBalance',
  'unitZeroBalance',
  'fiscalSpecial',
  'unitOwn',
] as const;
export const bankAccountKindSchema = z.enum(bankAccountKinds);
export const bankAccountKindNames: Record<(typeof bankAccountKinds)[number], string> = {
  treasurySingle: '国库单一账户',
  financeZeroBalance: '财政零余额账户',
  unitZeroBalance: '单位零余额账户',
  fiscalSpecial: '财政专户',
  unitOwn: '单位实有资金账户',
};

export const accountNoSchema = z
  .string()
  .regex(/^\d{8,32}$/, bi('账号为 8 至 32 位数字', 'account number is 8-32 digits'));

export const registerBankAccount = defineCommand({
  type: 'bankAccount.register',
  permission: 'basedata.account.prepare',
  summary: {
    zh: '登记银行账户（待审核，审核人须为他人）',
    en: 'Register a bank account (pending until someone else approves it)',
  },
  needsOpenYear: false,
  payload: z.strictObject({
    accountNo: accountNoSchema,
    accountName: nameSchema,
    kind: bankAccountKindSchema,
    /** Owner agency for unit accounts; null for the finance bureau's own accounts. */
    agencyCode: codeSchema.nullable(),
    /** The agent bank holding the account; the PBOC for the treasury single account. */
    bankCode: codeSchema.nullable(),
    bankName: nameSchema,
    openedOn: isoDateSchema,
  }),
});

export const approveBankAccount = defineCommand({
  type: 'bankAccount.approve',
  permission: 'basedata.account.approve',
  summary: { zh: '审核通过银行账户', en: 'Approve a registered bank account' },
  needsOpenYear: false,
  payload: z.strictObject({ accountNo: accountNoSchema }),
});

export const closeBankAccount = defineCommand({
  type: 'bankAccount.close',
  permission: 'basedata.account.approve',
  summary: { zh: '撤销（关闭）银行账户', en: 'Close a bank account' },
  needsOpenYear: false,
  payload: z.strictObject({ accountNo: accountNoSchema, reason: z.string().min(1).max(200) }),
});

export const payeeKinds = ['organization', 'person'] as const;

export const savePayee = defineCommand({
  type: 'payee.save',
  permission: 'basedata.payee.manage',
  summary: { zh: '新增或修改收款人', en: 'Create or update a payee' },
  needsOpenYear: false,
  payload: z.strictObject({
    code: codeSchema,
    name: nameSchema,
    kind: z.enum(payeeKinds),
    accountNo: accountNoSchema,
    accountName: nameSchema,
    bankName: nameSchema,
    bankNo: z
      .string()
      .regex(/^\d{12}$/, bi('行号为 12 位数字', 'bank number is 12 digits'))
      .nullable(),
    enabled: z.boolean().default(true),
  }),
});

export const basedataCommands = [
  saveRegion,
  openFiscalYear,
  closeFiscalYear,
  saveAgency,
  loadCodeSets,
  saveCodeItem,
  saveEconomicMapping,
  saveAgentBank,
  registerBankAccount,
  approveBankAccount,
  closeBankAccount,
  savePayee,
] as const;
