import { type ReactNode, useMemo, useState } from 'react';
import type { Me } from '../api/types';
import { ScopeContext } from './scope-context';

export function ScopeProvider({ me, children }: { me: Me; children: ReactNode }) {
  const [region, setRegion] = useState(me.defaultRegion);
  const [year, setYear] = useState(me.defaultYear);
  const scope = useMemo(() => ({ region, year, setRegion, setYear }), [region, year]);
  return <ScopeContext value={scope}>{children}</ScopeContext>;
}
