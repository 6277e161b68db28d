import type { PaymentState } from '@fiscus/contracts';
import { FiscusError } from '../../kernel/errors';

/**
 * The payment application's life (DOMAIN.md §2.9), pure: 单位录入 → 送审 (the indicator is
 * reserved: 已申请未支付) → 单位审核 → 支付中心审核 → 已审未支付. A return, a refusal or a withdrawal
 * releases the reservation. `sign` turns an approved application into a signed payment voucher
 * (生成并签章支付凭证, still reserved); bank and receipts continue from `voucherSigned` elsewhere.
 */
export type { PaymentState };
export type PaymentAction =
  | 'update'
  | 'cosign'
  | 'submit'
  | 'withdraw'
  | 'unitApprove'
  | 'approve'
  | 'return'
  | 'refuse'
  | 'void'
  | 'sign'
  | 'bankPaid'
  | 'bankReturn'
  | 'bankRefund'
  | 'release'
  | 'correct'
  | 'forbid';

export interface PaymentSnapshot {
  applicationId: string;
  state: PaymentState;
  preparedBy: string;
  submittedBy: string | null;
  cosignedBy: string | null;
  unitApprovedBy: string | null;
  /** The payment center reviewer of the last decision (approve, return or refuse). */
  reviewedBy: string | null;
  /** While held by monitoring: the step that was stopped, and who took it. */
  heldAction?: 'submit' | 'approve' | null;
  heldBy?: string | null;
}

export interface PaymentTransition {
  state: PaymentState;
  /**
   * The ledger effect of the step: reserve (scenario 12), release (scenario 14), pay (scenario 13:
   * the reservation becomes paid), refund (scenario 15: a bounced payment restores the indicator)
   * or none.
   */
  ledger: 'reserve' | 'release' | 'pay' | 'refund' | null;
}

const stateNames: Record<PaymentState, string> = {
  draft: '未送审 draft',
  submitted: '已送审 submitted',
  unitApproved: '单位已审 unit-approved',
  approved: '已审未支付 approved',
  held: '监控拦截 held by monitoring',
  voucherSigned: '凭证已签章 voucher signed',
  paid: '已支付 paid',
  bankReturned: '银行退回 returned by the bank',
  refunded: '已退票 refunded after payment',
  returned: '已退回 returned',
  refused: '已拒绝 refused',
  voided: '已作废 voided',
};
const actionNames: Record<PaymentAction, string> = {
  update: '修改 change',
  cosign: '加签 co-sign',
  submit: '送审 submit',
  withdraw: '撤回 withdraw',
  unitApprove: '单位审核 unit approval',
  approve: '审核通过 approve',
  return: '退回 return',
  refuse: '拒绝 refuse',
  void: '作废 void',
  sign: '凭证签章 sign the voucher',
  bankPaid: '银行回单 bank receipt',
  bankReturn: '银行退回 bank return',
  bankRefund: '退票 refund after payment',
  release: '监控放行 release',
  correct: '监控改正（退回修改） send back for correction',
  forbid: '监控禁止 forbid',
};

function wrong(app: PaymentSnapshot, action: PaymentAction): FiscusError {
  return new FiscusError('STATE_INVALID', {
    entity: '支付申请 payment application',
    key: app.applicationId,
    state: stateNames[app.state],
    action: actionNames[action],
  });
}

/**
 * 不相容职务分离: nobody acts twice on one application in different roles. The reviewer counts
 * for signing only: a reviewer who returned an application may review its next round.
 */
function separate(app: PaymentSnapshot, actor: string, action: PaymentAction): void {
  const earlier: [string | null, string][] = [
    [app.preparedBy, '制单 prepare'],
    [app.submittedBy, '送审 submit'],
    [app.cosignedBy, '加签 co-sign'],
    [app.unitApprovedBy, '单位审核 unit approval'],
  ];
  if (action === 'sign') earlier.push([app.reviewedBy, '支付中心审核 review']);
  for (const [who, role] of earlier)
    if (who === actor)
      throw new FiscusError('SOD_SAME_PERSON', { actor, firstRole: role, secondRole: actionNames[action] });
}

const editable = (s: PaymentState) => s === 'draft' || s === 'returned';

export function paymentTransition(
  app: PaymentSnapshot,
  action: PaymentAction,
  actor: string,
  opinion?: string,
): PaymentTransition {
  switch (action) {
    case 'update':
    case 'submit':
    case 'void':
      if (!editable(app.state)) throw wrong(app, action);
      if (actor !== app.preparedBy)
        throw new FiscusError('DOC_NOT_PREPARER', { preparer: app.preparedBy, action: actionNames[action] });
      if (action === 'submit') return { state: 'submitted', ledger: 'reserve' };
      return { state: action === 'void' ? 'voided' : app.state, ledger: null };
    case 'cosign':
      if (!editable(app.state)) throw wrong(app, action);
      separate(app, actor, action);
      return { state: app.state, ledger: null };
    case 'withdraw':
      if (app.state !== 'submitted') throw wrong(app, action);
      if (actor !== app.submittedBy)
        throw new FiscusError('DOC_NOT_PREPARER', {
          preparer: app.submittedBy ?? app.preparedBy,
          action: actionNames.withdraw,
        });
      return { state: 'draft', ledger: 'release' };
    case 'unitApprove':
      if (app.state !== 'submitted') throw wrong(app, action);
      separate(app, actor, action);
      return { state: 'unitApproved', ledger: null };
    case 'approve':
    case 'return':
    case 'refuse':
      if (app.state !== 'unitApproved') throw wrong(app, action);
      separate(app, actor, action);
      if (action === 'approve') return { state: 'approved', ledger: null };
      if (!opinion?.trim())
        throw new FiscusError('VALIDATION_FAILED', {
          detail: `${actionNames[action]}须填写意见 needs an opinion`,
        });
      return { state: action === 'return' ? 'returned' : 'refused', ledger: 'release' };
    case 'sign':
      // The reservation stays: the voucher pays it (or its return releases it).
      if (app.state !== 'approved') throw wrong(app, action);
      separate(app, actor, action);
      return { state: 'voucherSigned', ledger: null };
    case 'bankPaid':
    case 'bankReturn':
      // The agent bank's signed receipt (回单) or return (退回) of the voucher.
      if (app.state !== 'voucherSigned') throw wrong(app, action);
      return action === 'bankPaid'
        ? { state: 'paid', ledger: 'pay' }
        : { state: 'bankReturned', ledger: 'release' };
    case 'bankRefund':
      // 退票: the payee's bank sent the money back (2203); only a paid application can bounce.
      if (app.state !== 'paid') throw wrong(app, action);
      return { state: 'refunded', ledger: 'refund' };
    case 'release':
    case 'correct':
    case 'forbid': {
      // The monitoring reviewer's decision on a held payment: nobody who acted on it, nor the one
      // whose step was stopped, decides on it.
      if (app.state !== 'held' || !app.heldAction) throw wrong(app, action);
      separate(app, actor, action);
      if (app.heldBy === actor || app.reviewedBy === actor)
        throw new FiscusError('SOD_SAME_PERSON', {
          actor,
          firstRole: app.heldAction === 'submit' ? actionNames.submit : actionNames.approve,
          secondRole: actionNames[action],
        });
      if (action === 'release')
        return { state: app.heldAction === 'submit' ? 'submitted' : 'approved', ledger: null };
      return { state: action === 'correct' ? 'returned' : 'refused', ledger: 'release' };
    }
  }
}

/**
 * What monitoring makes of a submit or approve step: 禁止 refuses it (giving back what submit
 * would have reserved or approval held), 拦截/冻结 parks it as `held` with the reservation kept,
 * anything weaker lets it through.
 */
export function monitoredTransition(
  t: PaymentTransition,
  step: 'submit' | 'approve',
  decision: 'warn' | 'warnExplain' | 'hold' | 'freeze' | 'forbid' | 'record' | 'pass',
): PaymentTransition {
  if (decision === 'forbid') return { state: 'refused', ledger: step === 'submit' ? null : 'release' };
  if (decision === 'hold' || decision === 'freeze') return { state: 'held', ledger: t.ledger };
  return t;
}
