import { FiscusError } from '../../kernel/errors';

/**
 * 对账差异处理 (difference disposition), pure: 待处理 open → 已分派 assigned (a person is named; may be
 * re-assigned while nobody explained it) → 已说明 explained (by the assignee) → 已解决 resolved (by
 * someone else than the one who explained: 不相容职务分离).
 */
export const differenceStates = ['open', 'assigned', 'explained', 'resolved'] as const;
export type DifferenceState = (typeof differenceStates)[number];
export type DifferenceAction = 'assign' | 'explain' | 'resolve';

const stateNames: Record<DifferenceState, { zh: string; en: string }> = {
  open: { zh: '待处理', en: 'open' },
  assigned: { zh: '已分派', en: 'assigned' },
  explained: { zh: '已说明', en: 'explained' },
  resolved: { zh: '已解决', en: 'resolved' },
};
const actionNames: Record<DifferenceAction, { zh: string; en: string }> = {
  assign: { zh: '分派', en: 'assign it' },
  explain: { zh: '说明原因', en: 'explain it' },
  resolve: { zh: '确认解决', en: 'resolve it' },
};

/** The legal moves: from which states each action may be taken, and where it leads. */
const moves: Record<DifferenceAction, { from: readonly DifferenceState[]; to: DifferenceState }> = {
  assign: { from: ['open', 'assigned'], to: 'assigned' },
  explain: { from: ['assigned'], to: 'explained' },
  resolve: { from: ['explained'], to: 'resolved' },
};

export interface DifferenceSnapshot {
  differenceId: string;
  state: DifferenceState;
  assignee: string | null;
  explainedBy: string | null;
}

export type DifferenceInput =
  | { action: 'assign'; actor: string; assignee: string }
  | { action: 'explain'; actor: string; explanation: string }
  | { action: 'resolve'; actor: string; resolution: string; note: string };

export interface DifferenceStep {
  from: DifferenceState;
  to: DifferenceState;
  /** Columns to set on the difference. */
  sets: {
    assignee?: string;
    assignedBy?: string;
    explanation?: string;
    explainedBy?: string;
    resolution?: string;
    note?: string;
    resolvedBy?: string;
  };
  /** What the trail keeps for this step. */
  text: string;
}

const invalid = (zh: string, en: string) => new FiscusError('VALIDATION_FAILED', { detail: `${zh} ${en}` });
const both = (n: { zh: string; en: string }) => `${n.zh} ${n.en}`;

export function differenceStep(d: DifferenceSnapshot, input: DifferenceInput): DifferenceStep {
  const move = moves[input.action];
  if (!move.from.includes(d.state))
    throw new FiscusError('STATE_INVALID', {
      entity: '对账差异 difference',
      key: d.differenceId,
      state: both(stateNames[d.state]),
      action: both(actionNames[input.action]),
    });
  if (input.actor.trim() === '') throw invalid('操作人不能为空', 'actor is required');
  switch (input.action) {
    case 'assign': {
      const assignee = input.assignee.trim();
      if (assignee === '') throw invalid('须指定经办人', 'an assignee is required');
      return {
        from: d.state,
        to: move.to,
        sets: { assignee, assignedBy: input.actor },
        text: assignee,
      };
    }
    case 'explain': {
      if (d.assignee !== input.actor)
        throw new FiscusError('RECONCILE_NOT_ASSIGNEE', { key: d.differenceId, assignee: d.assignee ?? '—' });
      const explanation = input.explanation.trim();
      if (explanation === '') throw invalid('须填写差异原因说明', 'an explanation is required');
      return {
        from: d.state,
        to: move.to,
        sets: { explanation, explainedBy: input.actor },
        text: explanation,
      };
    }
    case 'resolve': {
      if (d.explainedBy === input.actor)
        throw new FiscusError('SOD_SAME_PERSON', {
          actor: input.actor,
          firstRole: '差异说明人 the one who explained',
          secondRole: '确认解决人 the one who resolves',
        });
      const note = input.note.trim();
      if (note === '') throw invalid('须填写解决说明', 'a note is required');
      if (input.resolution.trim() === '') throw invalid('须选择解决方式', 'a resolution is required');
      return {
        from: d.state,
        to: move.to,
        sets: { resolution: input.resolution, note, resolvedBy: input.actor },
        text: `${input.resolution}: ${note}`,
      };
    }
  }
}
