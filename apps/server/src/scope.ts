import { type Actor, authorize, FiscusError, regionAncestry } from '@fiscus/core';
import type { AppDeps } from './deps';

/** Authorize a read of `permission` over `region`; returns the decision. */
export async function authorizeRead(deps: AppDeps, actor: Actor, permission: string, region: string) {
  const ancestry = await regionAncestry(deps.db, region);
  if (!ancestry) throw new FiscusError('REGION_UNKNOWN', { region });
  return authorize(actor, permission, ancestry);
}
