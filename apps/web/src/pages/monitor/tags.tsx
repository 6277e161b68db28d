import { Tag, Tooltip } from 'antd';
import { escalationNames, levelNames, statusNames, type WarningLevel, type WarningStatus } from './labels';

/** 预警级别 as a coloured tag. */
export function LevelTag({ level }: { level: string }) {
  const l = levelNames[level as WarningLevel];
  return (
    <Tag color={l?.color} data-level={level}>
      {l?.text ?? level}
    </Tag>
  );
}

/** 处置状态 as a tag. */
export function WarningStatusTag({ status }: { status: string }) {
  const s = statusNames[status as WarningStatus];
  return (
    <Tag color={s?.color} data-status={status}>
      {s?.text ?? status}
    </Tag>
  );
}

/** 逾期 and 督办 marks of an open warning (nothing when it is on time). */
export function OverdueMarks({
  overdue,
  escalation,
  deadline,
}: {
  overdue: boolean;
  escalation: number;
  deadline: string | null;
}) {
  return (
    <>
      {overdue ? (
        <Tooltip title={deadline ? `期限 ${deadline}` : undefined}>
          <Tag color="red" data-testid="overdue-mark">
            逾期
          </Tag>
        </Tooltip>
      ) : null}
      {escalation > 0 ? (
        <Tag color="magenta" data-testid="escalation-mark">
          {escalationNames[escalation] ?? `督办${escalation}级`}
        </Tag>
      ) : null}
    </>
  );
}
