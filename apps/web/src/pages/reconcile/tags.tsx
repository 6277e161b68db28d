import { Tag } from 'antd';
import { type DifferenceKind, type DifferenceState, kindNames, stateNames } from './labels';

/** 差异类型 as a coloured tag. */
export function KindTag({ kind }: { kind: string }) {
  const k = kindNames[kind as DifferenceKind];
  return (
    <Tag color={k?.color} data-kind={kind}>
      {k?.text ?? kind}
    </Tag>
  );
}

/** 处理状态 as a tag. */
export function DiffStateTag({ state }: { state: string }) {
  const s = stateNames[state as DifferenceState];
  return (
    <Tag color={s?.color} data-state={state}>
      {s?.text ?? state}
    </Tag>
  );
}
