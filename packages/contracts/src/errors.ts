/**
 * Stable error codes. A code never changes meaning once shipped; messages may improve.
 * `{name}` placeholders are filled from the error's params at the edge.
 * http: 422 validation, 403 authorization, 409 a rule or state that says no, 404 unknown thing.
 */
export const errorCatalog = {
  COMMAND_MALFORMED: { http: 422, zh: '命令格式错误：{detail}', en: 'Malformed command: {detail}' },
  COMMAND_TYPE_UNKNOWN: { http: 422, zh: '未知的命令类型：{type}', en: 'Unknown command type: {type}' },
  VALIDATION_FAILED: { http: 422, zh: '数据校验未通过：{detail}', en: 'Validation failed: {detail}' },
  COMMAND_ID_REUSED: {
    http: 409,
    zh: '请求编号 {id} 已被另一条内容不同的命令使用',
    en: 'Request id {id} was already used by a different command',
  },
  UNAUTHENTICATED: { http: 401, zh: '未登录或会话已过期', en: 'Not signed in or session expired' },
  LOGIN_FAILED: { http: 401, zh: '用户名或密码错误', en: 'Wrong username or password' },
  LOGIN_LOCKED: {
    http: 429,
    zh: '登录失败次数过多，请 {minutes} 分钟后再试',
    en: 'Too many failed sign-ins; try again in {minutes} minutes',
  },
  PERMISSION_DENIED: {
    http: 403,
    zh: '用户 {actor} 无权执行 {permission}',
    en: 'User {actor} lacks permission {permission}',
  },
  SCOPE_DENIED: {
    http: 403,
    zh: '用户 {actor} 的数据范围不包含 {scope}',
    en: 'User {actor} has no data scope over {scope}',
  },
  ACTOR_UNKNOWN: {
    http: 403,
    zh: '操作人 {actor} 不存在或已停用',
    en: 'Actor {actor} is unknown or disabled',
  },
  SOD_SAME_PERSON: {
    http: 409,
    zh: '不相容职务分离：{actor} 已作为{firstRole}处理该单据，不能再作为{secondRole}',
    en: 'Separation of duties: {actor} already acted as {firstRole} and cannot act as {secondRole}',
  },
  SOD_ADMIN_ROLE_CONFLICT: {
    http: 409,
    zh: '三员分立：管理员角色 {role} 不能与角色 {other} 同时授予',
    en: 'Separate administrators: role {role} cannot be combined with {other}',
  },
  NOT_FOUND: { http: 404, zh: '{entity} {key} 不存在', en: '{entity} {key} not found' },
  ALREADY_EXISTS: { http: 409, zh: '{entity} {key} 已存在', en: '{entity} {key} already exists' },
  CODE_UNKNOWN: {
    http: 409,
    zh: '{year} 年度代码集 {set} 中不存在代码 {code}',
    en: 'Code {code} is not in code set {set} for {year}',
  },
  REGION_UNKNOWN: { http: 409, zh: '财政区划 {region} 不存在', en: 'Fiscal region {region} does not exist' },
  REGION_PARENT_INVALID: {
    http: 409,
    zh: '财政区划 {region} 的上级 {parent} 无效：{reason}',
    en: 'Parent {parent} of region {region} is invalid: {reason}',
  },
  FISCAL_YEAR_NOT_OPEN: {
    http: 409,
    zh: '{region} 的 {year} 预算年度未开启或已关闭',
    en: 'Fiscal year {year} of {region} is not open',
  },
  FISCAL_YEAR_STATE: {
    http: 409,
    zh: '{region} 的 {year} 预算年度当前状态为 {state}，不能执行该操作',
    en: 'Fiscal year {year} of {region} is {state}; the operation is not allowed',
  },
  AGENCY_PARENT_INVALID: {
    http: 409,
    zh: '预算单位 {agency} 的上级 {parent} 无效：{reason}',
    en: 'Parent {parent} of agency {agency} is invalid: {reason}',
  },
  STATE_INVALID: {
    http: 409,
    zh: '{entity} {key} 当前状态为 {state}，不能{action}',
    en: '{entity} {key} is {state}; cannot {action}',
  },
  ACCOUNT_NO_INVALID: {
    http: 422,
    zh: '账号 {accountNo} 格式不正确：{reason}',
    en: 'Account number {accountNo} is invalid: {reason}',
  },
  BANK_UNKNOWN: { http: 409, zh: '代理银行 {bank} 不存在', en: 'Agent bank {bank} does not exist' },
  AGENCY_UNKNOWN: { http: 409, zh: '预算单位 {agency} 不存在', en: 'Agency {agency} does not exist' },
  CODESET_VERSION_UNKNOWN: {
    http: 409,
    zh: '代码集版本 {version} 不存在',
    en: 'Code set version {version} does not exist',
  },
  IMPORT_FILE_INVALID: {
    http: 422,
    zh: '导入文件无法读取：{detail}',
    en: 'Import file cannot be read: {detail}',
  },
  IMPORT_HAS_ERRORS: {
    http: 422,
    zh: '导入文件有 {count} 处错误，未导入任何数据',
    en: 'The import file has {count} errors; nothing was imported',
  },
  IMPORT_COLUMN_MISSING: { http: 422, zh: '缺少必填列：{column}', en: 'Required column missing: {column}' },
  IMPORT_VALUE_REQUIRED: { http: 422, zh: '{column} 不能为空', en: '{column} must not be empty' },
  IMPORT_VALUE_INVALID: {
    http: 422,
    zh: '{column} 的值 {value} 无效',
    en: 'Value {value} of {column} is invalid',
  },
  EXPORT_TOO_LARGE: {
    http: 422,
    zh: '导出 {count} 行超过上限 {limit} 行，请缩小筛选范围',
    en: 'Export of {count} rows exceeds the limit of {limit}; narrow the filters',
  },
  LEDGER_UNBALANCED: {
    http: 409,
    zh: '分录借贷不平衡：借方 {debit}，贷方 {credit}',
    en: 'Entry does not balance: debit {debit}, credit {credit}',
  },
  LEDGER_ACCOUNT_UNKNOWN: {
    http: 409,
    zh: '科目 {account} 不存在或已停用',
    en: 'Account {account} does not exist or is disabled',
  },
  CONTROL_RULE_VIOLATED: {
    http: 409,
    zh: '未通过控制规则：{rules}',
    en: 'Stopped by control rules: {rules}',
  },
  DOC_NOT_PREPARER: {
    http: 403,
    zh: '只有制单人 {preparer} 可以{action}',
    en: 'Only the preparer {preparer} may {action}',
  },
  DOC_STEP_PERMISSION: {
    http: 403,
    zh: '当前审批环节“{step}”需要权限 {permission}',
    en: 'The current approval step "{step}" needs permission {permission}',
  },
  FUND_TYPE_MISMATCH: {
    http: 409,
    zh: '不能跨资金性质：{from} → {to}',
    en: 'Cannot move funds across fund types: {from} → {to}',
  },
  REGION_NOT_CHILD: {
    http: 409,
    zh: '{region} 不是 {issuer} 的直接下级财政区划',
    en: '{region} is not a direct lower region of {issuer}',
  },
  INDICATOR_POOL_INVALID: {
    http: 409,
    zh: '指标 {indicator} 为{pool}指标，不能{action}',
    en: 'Indicator {indicator} is {pool}; cannot {action}',
  },
  AMOUNT_EXCEEDS_AVAILABLE: {
    http: 409,
    zh: '指标 {indicator} 可用 {available} 元，不足 {amount} 元',
    en: 'Indicator {indicator} has {available} yuan available, less than {amount}',
  },
  YEAREND_NEXT_YEAR_NOT_OPEN: {
    http: 409,
    zh: '{region} 的 {nextYear} 预算年度未开启，不能将 {year} 年度结转过去',
    en: 'Fiscal year {nextYear} of {region} is not open; {year} cannot be carried forward into it',
  },
  YEAREND_NEXT_YEAR_INCOMPLETE: {
    http: 409,
    zh: '{nextYear} 年度缺少结转所需的代码：{missing}（请先装入 {nextYear} 年度代码集）',
    en: 'Year {nextYear} lacks codes the carry-forward needs: {missing} (load the {nextYear} code sets first)',
  },
  YEAREND_RUN_UNFINISHED: {
    http: 409,
    zh: '{region} 的 {year} 年度已有未完成的年终结转 {runId}，请继续该批次',
    en: 'Year-end run {runId} of {region} {year} is unfinished; resume it',
  },
  YEAREND_RUN_STATE: {
    http: 409,
    zh: '年终结转 {runId} 当前状态为 {state}，不能{action}',
    en: 'Year-end run {runId} is {state}; cannot {action}',
  },
  MONITOR_BLOCKED: {
    http: 409,
    zh: '动态监控拦截：{rules}',
    en: 'Stopped by payment monitoring: {rules}',
  },
  PAYER_ACCOUNT_MISSING: {
    http: 409,
    zh: '{owner} 没有已启用的{kind}，不能生成{voucher}',
    en: '{owner} has no active {kind}; cannot create the {voucher}',
  },
  RECEIPT_AMOUNT_MISMATCH: {
    http: 409,
    zh: '回单金额 {paid} 元与凭证金额 {amount} 元不符',
    en: 'The receipt says {paid} paid; the voucher is for {amount}',
  },
  REFUND_AMOUNT_MISMATCH: {
    http: 409,
    zh: '退款金额 {refund} 元须等于原凭证金额 {amount} 元',
    en: 'The refund of {refund} must equal the original voucher amount {amount}',
  },
  REFUND_DUPLICATE: {
    http: 409,
    zh: '凭证 {voucher} 已由退款通知书 {refundNo} 退款，不能重复退款',
    en: 'Voucher {voucher} was already refunded by notice {refundNo}; it cannot be refunded twice',
  },
  REFUND_CROSS_YEAR_REFUSED: {
    http: 409,
    zh: '凭证 {voucher} 为 {paidYear} 年度支付，{year} 年度的退款按本区划清算政策不予受理',
    en: 'Voucher {voucher} was paid in {paidYear}; refunds in {year} are refused by the region’s clearing policy',
  },
  REFUND_CARRIED_INDICATOR_MISSING: {
    http: 409,
    zh: '凭证 {voucher} 的原指标 {indicator} 在 {year} 年度没有结转指标 {carried}，不能恢复至结转指标',
    en: 'Indicator {indicator} of voucher {voucher} has no carried indicator {carried} in {year}; the refund cannot restore it',
  },
  CORRECTION_SAME_CODING: {
    http: 409,
    zh: '更正后的指标 {indicator} 与原指标 {original} 的单位、科目、项目编码相同，无需更正',
    en: 'Indicator {indicator} has the same agency, classification and project coding as {original}; nothing to correct',
  },
  CORRECTION_PENDING: {
    http: 409,
    zh: '支付申请 {applicationId} 已有待审核的更正 {correctionId}',
    en: 'Payment application {applicationId} already has correction {correctionId} awaiting approval',
  },
  MONITOR_EXPRESSION_INVALID: {
    http: 422,
    zh: '监控规则条件表达式有误：{detail}',
    en: 'The monitoring rule condition is invalid: {detail}',
  },
  MONITOR_EXPRESSION_FAILED: {
    http: 422,
    zh: '监控规则 {rule} 执行出错：{detail}',
    en: 'Monitoring rule {rule} failed to evaluate: {detail}',
  },
  MONITOR_RULE_INVALID: {
    http: 422,
    zh: '监控规则定义有误：{detail}',
    en: 'The monitoring rule is invalid: {detail}',
  },
  MONITOR_EXPLANATION_REQUIRED: {
    http: 409,
    zh: '动态监控预警须填写说明后才能继续：{rules}',
    en: 'Monitoring warnings need an explanation before this can go on: {rules}',
  },
  MONITOR_FREEZE_OPEN: {
    http: 409,
    zh: '支付申请 {key} 被冻结，须先将预警 {warning} 认定正常或核实无误才能放行',
    en: 'Payment {key} is frozen; warning {warning} must be concluded normal or verified before release',
  },
  BENEFICIARY_REQUIRED: {
    http: 422,
    zh: '直达资金指标 {indicator} 的支付须填写受益对象（惠企利民）明细',
    en: 'Payments from direct-reach indicator {indicator} must carry beneficiary records',
  },
  BENEFICIARY_ID_INVALID: {
    http: 422,
    zh: '受益对象 {name} 的证件号 {idNo} 无效：{reason}',
    en: 'Beneficiary {name} has an invalid id number {idNo}: {reason}',
  },
  MESSAGE_SIGNATURE_INVALID: {
    http: 401,
    zh: '报文签名验证失败：{detail}',
    en: 'Message signature does not verify: {detail}',
  },
  PDF_FONT_MISSING: {
    http: 503,
    zh: '找不到中文字体，无法生成 PDF（{hint}）',
    en: 'No CJK font to render the PDF ({hint})',
  },
  INTERNAL_ERROR: { http: 500, zh: '系统内部错误（{ref}）', en: 'Internal error ({ref})' },
  RECONCILE_NOT_ASSIGNEE: {
    http: 409,
    zh: '对账差异 {key} 已分派给 {assignee}，只有经办人可以说明',
    en: 'Difference {key} is assigned to {assignee}; only the assignee may explain it',
  },
  RECONCILE_RUN_SUPERSEDED: {
    http: 409,
    zh: '对账差异 {key} 属于已被 {supersededBy} 取代的对账批次 {runId}，请处理最新批次的差异',
    en: 'Difference {key} belongs to run {runId}, superseded by {supersededBy}; act on the current run',
  },
  RECONCILE_DATE_IN_FUTURE: {
    http: 409,
    zh: '对账日期 {date} 晚于业务日期 {on}',
    en: 'The reconciliation date {date} is after the business date {on}',
  },
} as const satisfies Record<string, { http: number; zh: string; en: string }>;

export type ErrorCode = keyof typeof errorCatalog;
export type ErrorParams = Record<string, string | number | boolean | null>;

/** One field-level problem (a zod issue, or an import cell). */
export interface FieldIssue {
  path: string;
  code: string;
  /** English. */
  message: string;
  messageZh: string;
}

/** The wire form of a refusal. */
export interface ErrorBody {
  code: ErrorCode;
  params: ErrorParams;
  message: { 'zh-CN': string; en: string };
  issues?: FieldIssue[];
}

export function formatMessage(template: string, params: ErrorParams): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

/** `zhParams` overrides params in the Chinese message only (e.g. a detail text in Chinese). */
export function errorBody(
  code: ErrorCode,
  params: ErrorParams = {},
  issues?: FieldIssue[],
  zhParams?: ErrorParams,
): ErrorBody {
  const entry = errorCatalog[code];
  const body: ErrorBody = {
    code,
    params,
    message: {
      'zh-CN': formatMessage(entry.zh, { ...params, ...zhParams }),
      en: formatMessage(entry.en, params),
    },
  };
  if (issues && issues.length > 0) body.issues = issues;
  return body;
}

export function httpStatusOf(code: ErrorCode): number {
  return errorCatalog[code].http;
}
