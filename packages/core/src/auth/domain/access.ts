import { FiscusError } from '../../kernel/errors';
import { rolesByCode } from './roles';

/** A role held over a data scope: a region (and its subtree) and optionally an agency subtree. */
export interface Grant {
  role: string;
  scopeRegion: string;
  includeDescendants: boolean;
  scopeAgency: string | null;
}

export interface Actor {
  username: string;
  displayName: string;
  grants: readonly Grant[];
  /** The setup actor used by `fiscus demo load`: every fiscal and admin permission, no login. */
  setup?: boolean;
}

export const SETUP_ACTOR = 'fiscus-setup';

export function setupActor(): Actor {
  return { username: SETUP_ACTOR, displayName: '系统初始化', grants: [], setup: true };
}

/** Permissions of a grant's role. */
export function grantPermissions(g: Grant): readonly string[] {
  return rolesByCode.get(g.role)?.permissions ?? [];
}

/** Every permission the actor holds anywhere (for menus). */
export function allPermissions(actor: Actor): string[] {
  const out = new Set<string>();
  for (const g of actor.grants) for (const p of grantPermissions(g)) out.add(p);
  return [...out].sort();
}

/** Does the grant's region scope cover a region whose ancestry (root first, self last) is given? */
export function grantCoversRegion(g: Grant, regionAncestry: readonly string[]): boolean {
  const self = regionAncestry[regionAncestry.length - 1];
  if (g.scopeRegion === self) return true;
  return g.includeDescendants && regionAncestry.includes(g.scopeRegion);
}

export interface AccessDecision {
  /** True when some matching grant has no agency restriction. */
  wholeRegion: boolean;
  /** Agency subtrees allowed when not wholeRegion. */
  agencies: string[];
}

/**
 * Decide whether `actor` may use `permission` in a region. Throws PERMISSION_DENIED when no
 * grant of the actor carries the permission, SCOPE_DENIED when grants carry it elsewhere only.
 */
export function authorize(
  actor: Actor,
  permission: string,
  regionAncestry: readonly string[],
): AccessDecision {
  if (actor.setup) return { wholeRegion: true, agencies: [] };
  const withPermission = actor.grants.filter((g) => grantPermissions(g).includes(permission));
  if (withPermission.length === 0) {
    throw new FiscusError('PERMISSION_DENIED', { actor: actor.username, permission });
  }
  const covering = withPermission.filter((g) => grantCoversRegion(g, regionAncestry));
  if (covering.length === 0) {
    throw new FiscusError('SCOPE_DENIED', {
      actor: actor.username,
      scope: regionAncestry[regionAncestry.length - 1] ?? '?',
    });
  }
  const wholeRegion = covering.some((g) => g.scopeAgency === null);
  return { wholeRegion, agencies: covering.flatMap((g) => (g.scopeAgency ? [g.scopeAgency] : [])) };
}

/** Whether the actor holds a permission over a region (for workflow steps that name one). */
export function holdsPermission(
  actor: Actor,
  permission: string,
  regionAncestry: readonly string[],
): boolean {
  try {
    authorize(actor, permission, regionAncestry);
    return true;
  } catch {
    return false;
  }
}

/** Check an agency (given by its ancestry, department first) against an access decision. */
export function authorizeAgency(
  actor: Actor,
  decision: AccessDecision,
  agencyAncestry: readonly string[] | null,
): void {
  if (decision.wholeRegion) return;
  if (agencyAncestry && decision.agencies.some((a) => agencyAncestry.includes(a))) return;
  throw new FiscusError('SCOPE_DENIED', {
    actor: actor.username,
    scope: agencyAncestry ? (agencyAncestry[agencyAncestry.length - 1] ?? '?') : 'region-wide',
  });
}
