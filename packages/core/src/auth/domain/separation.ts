import { FiscusError } from '../../kernel/errors';
import { rolesByCode } from './roles';

/**
 * 不相容职务分离: the person who prepared (or approved) a document cannot take the next,
 * incompatible step on it. Later contexts call this with their own role names, e.g.
 * ('经办', '审核') for approval, ('审核', '签章') for signing a payment voucher.
 */
export function assertSeparateActors(args: {
  earlier: string | null | undefined;
  actor: string;
  earlierRole: string;
  actorRole: string;
}): void {
  if (args.earlier && args.earlier === args.actor) {
    throw new FiscusError('SOD_SAME_PERSON', {
      actor: args.actor,
      firstRole: args.earlierRole,
      secondRole: args.actorRole,
    });
  }
}

/**
 * 三员分立: an administrator role is never combined with another role on one user, and an
 * administrator cannot change their own roles.
 */
export function assertAdminSeparation(args: {
  granter: string;
  grantee: string;
  newRole: string;
  existingRoles: readonly string[];
}): void {
  if (args.granter === args.grantee) {
    throw new FiscusError('SOD_SAME_PERSON', {
      actor: args.granter,
      firstRole: '授权人',
      secondRole: '被授权人',
    });
  }
  const isAdmin = (r: string) => (rolesByCode.get(r)?.adminKind ?? null) !== null;
  for (const other of args.existingRoles) {
    if (other === args.newRole) continue;
    if (isAdmin(args.newRole) || isAdmin(other)) {
      const role = isAdmin(args.newRole) ? args.newRole : other;
      throw new FiscusError('SOD_ADMIN_ROLE_CONFLICT', {
        role,
        other: role === other ? args.newRole : other,
      });
    }
  }
}
