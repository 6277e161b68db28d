import { TreeSelect } from 'antd';
import { useMemo } from 'react';
import { zhCN } from '../locales/zh-CN';
import { regionTree } from '../scope/region-tree';
import { useScope } from '../scope/scope-context';
import { useSession } from '../session/session-context';

export function RegionSelect() {
  const { me } = useSession();
  const { region, setRegion } = useScope();
  const tree = useMemo(() => regionTree(me.regions), [me.regions]);
  return (
    <TreeSelect
      data-testid="region-select"
      aria-label={zhCN.header.region}
      size="small"
      style={{ width: 180 }}
      value={region}
      treeData={tree}
      treeDefaultExpandAll
      showSearch
      treeNodeFilterProp="title"
      popupMatchSelectWidth={240}
      onChange={(v: string) => setRegion(v)}
    />
  );
}
