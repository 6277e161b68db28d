/**
 * The role catalogue seeded into auth.role. Permissions are strings `<area>.<thing>.<verb>`.
 * 三员分立: the three administrators hold only system.*, security.* or audit.* permissions,
 * and no fiscal role holds any of those.
 */
export interface RoleDef {
  code: string;
  nameZh: string;
  nameEn: string;
  adminKind: 'system' | 'security' | 'audit' | null;
  permissions: readonly string[];
}

export const roleCatalog: readonly RoleDef[] = [
  {
    code: 'sysAdmin',
    nameZh: '系统管理员',
    nameEn: 'System administrator',
    adminKind: 'system',
    permissions: ['system.user.manage', 'system.user.read'],
  },
  {
    code: 'secAdmin',
    nameZh: '安全管理员',
    nameEn: 'Security administrator',
    adminKind: 'security',
    permissions: ['security.role.grant', 'system.user.read'],
  },
  {
    code: 'auditAdmin',
    nameZh: '安全审计员',
    nameEn: 'Audit administrator',
    adminKind: 'audit',
    permissions: ['audit.read', 'audit.verify'],
  },
  {
    code: 'budgetOfficer',
    nameZh: '预算处经办',
    nameEn: 'Budget division officer',
    adminKind: null,
    permissions: [
      'basedata.read',
      'basedata.region.manage',
      'basedata.fiscalYear.manage',
      'basedata.agency.manage',
      'basedata.codeSet.manage',
      'ledger.read',
      'ledger.post',
      'ledger.chart.manage',
      'indicator.read',
      'indicator.prepare',
      'indicator.review',
    ],
  },
  {
    code: 'budgetChief',
    nameZh: '预算科负责人',
    nameEn: 'Head of the budget division',
    adminKind: null,
    permissions: [
      'basedata.read',
      'ledger.read',
      'indicator.read',
      'indicator.review',
      'indicator.approve',
      'indicator.route.manage',
      'indicator.yearend',
    ],
  },
  {
    code: 'exchangeAgent',
    nameZh: '上下级交换代理（系统）',
    nameEn: 'Inter-level exchange agent (system)',
    adminKind: null,
    permissions: [
      'basedata.read',
      'indicator.read',
      'indicator.receive',
      'payment.read',
      'payment.receive',
      'payment.send',
      'reconcile.receive',
      'reconcile.read',
      'reconcile.run',
    ],
  },
  {
    code: 'treasuryOfficer',
    nameZh: '国库处经办',
    nameEn: 'Treasury division officer',
    adminKind: null,
    permissions: [
      'basedata.read',
      'basedata.account.manage',
      'basedata.account.prepare',
      'basedata.account.approve',
      'basedata.payee.manage',
      'ledger.read',
      'ledger.post',
      'ledger.rule.manage',
      'indicator.read',
      'payment.read',
      'usePlan.approve',
      'clearing.read',
      'clearing.issue',
      'clearing.policy',
      'payment.correct',
      'payment.approveCorrection',
      'reconcile.read',
      'reconcile.run',
      'reconcile.assign',
      'reconcile.explain',
      'reconcile.resolve',
    ],
  },
  {
    code: 'paymentReviewer',
    nameZh: '支付中心审核',
    nameEn: 'Payment center reviewer',
    adminKind: null,
    // A held payment's reviewer decides it (放行/改正/禁止); SoD keeps the one who was held from releasing.
    permissions: [
      'basedata.read',
      'ledger.read',
      'indicator.read',
      'payment.read',
      'payment.review',
      'payment.approveCorrection',
      'clearing.read',
      'monitor.read',
      'monitor.release',
    ],
  },
  {
    code: 'paymentSigner',
    nameZh: '支付中心签章岗',
    nameEn: 'Payment center voucher signer',
    adminKind: null,
    permissions: ['basedata.read', 'indicator.read', 'payment.read', 'payment.sign'],
  },
  {
    code: 'unitClerk',
    nameZh: '单位报账员',
    nameEn: 'Unit reimbursement clerk',
    adminKind: null,
    permissions: [
      'basedata.read',
      'basedata.account.prepare',
      'basedata.payee.manage',
      'indicator.read',
      'payment.read',
      'payment.prepare',
      'usePlan.prepare',
      'monitor.read',
      'monitor.respond',
    ],
  },
  {
    code: 'unitHead',
    nameZh: '单位负责人',
    nameEn: 'Unit head',
    adminKind: null,
    permissions: [
      'basedata.read',
      'indicator.read',
      'payment.read',
      'payment.unitApprove',
      'payment.cosign',
      'monitor.read',
      'monitor.respond',
    ],
  },
  {
    code: 'monitorOfficer',
    nameZh: '动态监控岗',
    nameEn: 'Payment monitoring officer',
    adminKind: null,
    permissions: [
      'basedata.read',
      'indicator.read',
      'payment.read',
      'monitor.read',
      'monitor.rule.manage',
      'monitor.release',
      'monitor.dispose',
    ],
  },
  {
    code: 'migrator',
    nameZh: '数据迁移员',
    nameEn: 'Data migration operator',
    adminKind: null,
    permissions: ['basedata.read', 'ledger.read', 'ledger.migrate'],
  },
];

export const rolesByCode: ReadonlyMap<string, RoleDef> = new Map(roleCatalog.map((r) => [r.code, r]));

/** Permissions only an administrator may hold. */
export function isAdminPermission(p: string): boolean {
  return p.startsWith('system.') || p.startsWith('security.') || p.startsWith('audit.');
}
