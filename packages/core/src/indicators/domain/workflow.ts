import { FiscusError } from '../../kernel/errors';

/**
 * The generic document workflow of DOMAIN.md §2.4, pure: 未送审 draft → 已送审 submitted → (each
 * route step approves) → 已审核 approved (effective); 退回 return (with an opinion) sends it back to
 * its preparer, 撤销 withdraw takes it back before an approver acts, 作废 void ends a draft.
 * Approved and voided documents never change again (a correction is a new document).
 */
export type DocState = 'draft' | 'submitted' | 'approved' | 'returned' | 'voided';
export type DocAction = 'update' | 'submit' | 'approve' | 'return' | 'withdraw' | 'void';

export interface RouteStep {
  name: string;
  permission: string;
}

export interface DocSnapshot {
  docId: string;
  state: DocState;
  step: number;
  route: readonly RouteStep[];
  preparedBy: string;
  submittedBy: string | null;
  /** Who approved a step since the last submission, in order. */
  approvedBy: readonly string[];
}

export interface Acting {
  action: DocAction;
  actor: string;
  /** Permissions the actor holds in the document's region. */
  holds: (permission: string) => boolean;
  opinion?: string | undefined;
}

export interface Transition {
  state: DocState;
  step: number;
  /** The step that acted (approve/return), for the history. */
  actedStep: number | null;
  /** True when this transition makes the document effective: its ledger effect posts now. */
  effective: boolean;
}

const stateNames: Record<DocState, string> = {
  draft: '未送审 draft',
  submitted: '审核中 submitted',
  approved: '已生效 approved',
  returned: '已退回 returned',
  voided: '已作废 voided',
};

const actionNames: Record<DocAction, string> = {
  update: '修改 change',
  submit: '送审 submit',
  approve: '审核 approve',
  return: '退回 return',
  withdraw: '撤销 withdraw',
  void: '作废 void',
};

function wrongState(doc: DocSnapshot, action: DocAction): FiscusError {
  return new FiscusError('STATE_INVALID', {
    entity: '指标单 document',
    key: doc.docId,
    state: stateNames[doc.state],
    action: actionNames[action],
  });
}

const editable = (s: DocState) => s === 'draft' || s === 'returned';

/** Decide one workflow action; throws a coded refusal when it is not allowed. */
export function transition(doc: DocSnapshot, a: Acting): Transition {
  const same = { step: doc.step, actedStep: null, effective: false };
  switch (a.action) {
    case 'update':
    case 'submit':
    case 'void': {
      if (!editable(doc.state)) throw wrongState(doc, a.action);
      if (a.actor !== doc.preparedBy)
        throw new FiscusError('DOC_NOT_PREPARER', {
          preparer: doc.preparedBy,
          action: actionNames[a.action],
        });
      if (a.action === 'update') return { ...same, state: doc.state };
      if (a.action === 'void') return { ...same, state: 'voided' };
      if (doc.route.length === 0) throw new Error('a route has at least one step');
      return { state: 'submitted', step: 0, actedStep: null, effective: false };
    }
    case 'withdraw': {
      if (doc.state !== 'submitted') throw wrongState(doc, a.action);
      if (a.actor !== doc.submittedBy)
        throw new FiscusError('DOC_NOT_PREPARER', {
          preparer: doc.submittedBy ?? doc.preparedBy,
          action: actionNames.withdraw,
        });
      // Once an approver acted, the document is theirs to return, not the submitter's to take back.
      if (doc.approvedBy.length > 0) throw wrongState({ ...doc, state: 'submitted' }, a.action);
      return { state: 'draft', step: 0, actedStep: null, effective: false };
    }
    case 'approve':
    case 'return': {
      if (doc.state !== 'submitted') throw wrongState(doc, a.action);
      const step = doc.route[doc.step];
      if (!step) throw new Error(`document ${doc.docId} has no step ${doc.step}`);
      if (!a.holds(step.permission))
        throw new FiscusError('DOC_STEP_PERMISSION', { step: step.name, permission: step.permission });
      // 不相容职务分离: the preparer and submitter never approve, and one person approves one step.
      for (const [earlier, role] of [
        [doc.preparedBy, '制单 prepare'],
        [doc.submittedBy, '送审 submit'],
        ...doc.approvedBy.map((p) => [p, '审核 approve'] as const),
      ] as const) {
        if (earlier === a.actor)
          throw new FiscusError('SOD_SAME_PERSON', {
            actor: a.actor,
            firstRole: role,
            secondRole: actionNames[a.action],
          });
      }
      if (a.action === 'return') {
        if (!a.opinion?.trim())
          throw new FiscusError('VALIDATION_FAILED', { detail: '退回须填写意见 a return needs an opinion' });
        return { state: 'returned', step: 0, actedStep: doc.step, effective: false };
      }
      const last = doc.step === doc.route.length - 1;
      return last
        ? { state: 'approved', step: doc.step, actedStep: doc.step, effective: true }
        : { state: 'submitted', step: doc.step + 1, actedStep: doc.step, effective: false };
    }
  }
}

/** The default route: one approval by someone holding indicator.review (e.g. 预算科 科长). */
export const defaultRoute: readonly RouteStep[] = [{ name: '预算科审核', permission: 'indicator.review' }];
