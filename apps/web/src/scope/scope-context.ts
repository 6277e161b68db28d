import { createContext, useContext } from 'react';

/** The region and fiscal year every list and query works in (header selectors). */
export interface Scope {
  region: string;
  year: number;
  setRegion(region: string): void;
  setYear(year: number): void;
}

export const ScopeContext = createContext<Scope | null>(null);

export function useScope(): Scope {
  const s = useContext(ScopeContext);
  if (!s) throw new Error('useScope outside ScopeProvider');
  return s;
}
