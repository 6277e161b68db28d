import { createContext, useContext } from 'react';
import type { Me } from '../api/types';

export interface Session {
  me: Me;
  can(permission: string): boolean;
}

export const SessionContext = createContext<Session | null>(null);

/** The signed-in user; only inside RequireAuth. */
export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside RequireAuth');
  return s;
}

export function sessionOf(me: Me): Session {
  const held = new Set(me.permissions);
  return { me, can: (p) => held.has(p) };
}
