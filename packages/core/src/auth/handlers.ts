import { createUser, disableUser, grantRole, revokeRole } from '@fiscus/contracts';
import { regionAncestry } from '../basedata/store/scope';
import { defineHandler } from '../commands/handler';
import { FiscusError } from '../kernel/errors';
import { rolesByCode } from './domain/roles';
import { assertAdminSeparation } from './domain/separation';
import { hashPassword } from './store/password';

const createUserHandler = defineHandler({
  def: createUser,
  async handle({ trx, payload, changes }) {
    const exists = await trx
      .selectFrom('auth.app_user')
      .select('username')
      .where('username', '=', payload.username)
      .executeTakeFirst();
    if (exists) throw new FiscusError('ALREADY_EXISTS', { entity: '用户 user', key: payload.username });
    await trx
      .insertInto('auth.app_user')
      .values({
        username: payload.username,
        display_name: payload.displayName,
        password_hash: await hashPassword(payload.password),
        agency_code: payload.agencyCode,
      })
      .execute();
    const after = {
      username: payload.username,
      displayName: payload.displayName,
      agencyCode: payload.agencyCode,
    };
    changes.push({ entity: 'user', key: payload.username, before: null, after });
    return after;
  },
});

const disableUserHandler = defineHandler({
  def: disableUser,
  async handle({ trx, payload, actor, changes }) {
    if (payload.username === actor.username) {
      throw new FiscusError('SOD_SAME_PERSON', {
        actor: actor.username,
        firstRole: '管理员',
        secondRole: '被停用人',
      });
    }
    const row = await trx
      .updateTable('auth.app_user')
      .set({ enabled: false })
      .where('username', '=', payload.username)
      .returning('username')
      .executeTakeFirst();
    if (!row) throw new FiscusError('NOT_FOUND', { entity: '用户 user', key: payload.username });
    await trx.deleteFrom('auth.session').where('username', '=', payload.username).execute();
    changes.push({
      entity: 'user',
      key: payload.username,
      before: { enabled: true },
      after: { enabled: false },
    });
    return { username: payload.username, enabled: false };
  },
});

const grantRoleHandler = defineHandler({
  def: grantRole,
  scopeRegion: (p) => p.scopeRegion,
  async handle({ trx, payload, actor, changes }) {
    if (!rolesByCode.has(payload.role))
      throw new FiscusError('NOT_FOUND', { entity: '角色 role', key: payload.role });
    const user = await trx
      .selectFrom('auth.app_user')
      .select('username')
      .where('username', '=', payload.username)
      .executeTakeFirst();
    if (!user) throw new FiscusError('NOT_FOUND', { entity: '用户 user', key: payload.username });
    if (!(await regionAncestry(trx, payload.scopeRegion))) {
      throw new FiscusError('REGION_UNKNOWN', { region: payload.scopeRegion });
    }
    const existing = await trx
      .selectFrom('auth.user_role')
      .select('role')
      .where('username', '=', payload.username)
      .execute();
    assertAdminSeparation({
      granter: actor.username,
      grantee: payload.username,
      newRole: payload.role,
      existingRoles: existing.map((r) => r.role),
    });
    const values = {
      username: payload.username,
      role: payload.role,
      scope_region: payload.scopeRegion,
      include_descendants: payload.includeDescendants,
      scope_agency: payload.scopeAgency,
      granted_by: actor.username,
    };
    await trx
      .insertInto('auth.user_role')
      .values(values)
      .onConflict((oc) =>
        oc.columns(['username', 'role', 'scope_region']).doUpdateSet({
          include_descendants: payload.includeDescendants,
          scope_agency: payload.scopeAgency,
          granted_by: actor.username,
        }),
      )
      .execute();
    changes.push({
      entity: 'userRole',
      key: `${payload.username}/${payload.role}/${payload.scopeRegion}`,
      before: null,
      after: values,
    });
    return { username: payload.username, role: payload.role, scopeRegion: payload.scopeRegion };
  },
});

const revokeRoleHandler = defineHandler({
  def: revokeRole,
  scopeRegion: (p) => p.scopeRegion,
  async handle({ trx, payload, actor, changes }) {
    if (payload.username === actor.username) {
      throw new FiscusError('SOD_SAME_PERSON', {
        actor: actor.username,
        firstRole: '授权人',
        secondRole: '被授权人',
      });
    }
    const row = await trx
      .deleteFrom('auth.user_role')
      .where('username', '=', payload.username)
      .where('role', '=', payload.role)
      .where('scope_region', '=', payload.scopeRegion)
      .returningAll()
      .executeTakeFirst();
    if (!row)
      throw new FiscusError('NOT_FOUND', {
        entity: '授权 grant',
        key: `${payload.username}/${payload.role}`,
      });
    changes.push({
      entity: 'userRole',
      key: `${payload.username}/${payload.role}/${payload.scopeRegion}`,
      before: row,
      after: null,
    });
    return { username: payload.username, role: payload.role, revoked: true };
  },
});

export const authHandlers = [createUserHandler, disableUserHandler, grantRoleHandler, revokeRoleHandler];
