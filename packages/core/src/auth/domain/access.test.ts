import { describe, expect, it } from 'vitest';
import { isFiscusError } from '../../kernel/errors';
import { type Actor, authorize, authorizeAgency, setupActor } from './access';
import { assertAdminSeparation, assertSeparateActors } from './separation';

const lijiang = ['530000000', '530700000'];
const gucheng = ['530000000', '530700000', '530702000'];

function actor(grants: Actor['grants']): Actor {
  return { username: 'u', displayName: 'U', grants };
}

function codeOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    return isFiscusError(e) ? e.code : 'OTHER';
  }
}

describe('authorize', () => {
  const budget = actor([
    { role: 'budgetOfficer', scopeRegion: '530700000', includeDescendants: true, scopeAgency: null },
  ]);
  it('grants a permission of the role over the region and its subtree', () => {
    expect(authorize(budget, 'basedata.agency.manage', lijiang).wholeRegion).toBe(true);
    expect(authorize(budget, 'basedata.agency.manage', gucheng).wholeRegion).toBe(true);
  });
  it('refuses a permission the roles do not carry', () => {
    expect(codeOf(() => authorize(budget, 'basedata.account.approve', lijiang))).toBe('PERMISSION_DENIED');
  });
  it('refuses a region above or beside the scope', () => {
    expect(codeOf(() => authorize(budget, 'basedata.agency.manage', ['530000000']))).toBe('SCOPE_DENIED');
    expect(codeOf(() => authorize(budget, 'basedata.agency.manage', ['530000000', '530100000']))).toBe(
      'SCOPE_DENIED',
    );
  });
  it('keeps a grant without descendants to its own region', () => {
    const own = actor([
      { role: 'budgetOfficer', scopeRegion: '530700000', includeDescendants: false, scopeAgency: null },
    ]);
    expect(authorize(own, 'basedata.read', lijiang).wholeRegion).toBe(true);
    expect(codeOf(() => authorize(own, 'basedata.read', gucheng))).toBe('SCOPE_DENIED');
  });
  it('narrows agency-scoped grants to the agency subtree', () => {
    const clerk = actor([
      { role: 'unitClerk', scopeRegion: '530700000', includeDescendants: false, scopeAgency: '205002' },
    ]);
    const d = authorize(clerk, 'basedata.account.prepare', lijiang);
    expect(d).toEqual({ wholeRegion: false, agencies: ['205002'] });
    expect(codeOf(() => authorizeAgency(clerk, d, ['205', '205002']))).toBeNull();
    expect(codeOf(() => authorizeAgency(clerk, d, ['205', '205001']))).toBe('SCOPE_DENIED');
    expect(codeOf(() => authorizeAgency(clerk, d, null))).toBe('SCOPE_DENIED');
  });
  it('lets the setup actor do anything (CLI bootstrap only)', () => {
    expect(authorize(setupActor(), 'basedata.region.manage', ['530000000']).wholeRegion).toBe(true);
  });
});

describe('separation of duties', () => {
  it('refuses the same person for two incompatible steps', () => {
    expect(
      codeOf(() =>
        assertSeparateActors({ earlier: 'a', actor: 'a', earlierRole: '经办人', actorRole: '审核人' }),
      ),
    ).toBe('SOD_SAME_PERSON');
    expect(
      codeOf(() =>
        assertSeparateActors({ earlier: 'a', actor: 'b', earlierRole: '经办人', actorRole: '审核人' }),
      ),
    ).toBeNull();
    expect(
      codeOf(() =>
        assertSeparateActors({ earlier: null, actor: 'b', earlierRole: '经办人', actorRole: '审核人' }),
      ),
    ).toBeNull();
  });
  it('never combines an administrator role with another role', () => {
    const grant = (newRole: string, existingRoles: string[]) =>
      codeOf(() => assertAdminSeparation({ granter: 'sec', grantee: 'x', newRole, existingRoles }));
    expect(grant('auditAdmin', ['budgetOfficer'])).toBe('SOD_ADMIN_ROLE_CONFLICT');
    expect(grant('budgetOfficer', ['sysAdmin'])).toBe('SOD_ADMIN_ROLE_CONFLICT');
    expect(grant('secAdmin', ['sysAdmin'])).toBe('SOD_ADMIN_ROLE_CONFLICT');
    expect(grant('treasuryOfficer', ['budgetOfficer'])).toBeNull();
    expect(grant('sysAdmin', ['sysAdmin'])).toBeNull();
  });
  it('refuses an administrator granting to themselves', () => {
    expect(
      codeOf(() =>
        assertAdminSeparation({
          granter: 'sec',
          grantee: 'sec',
          newRole: 'budgetOfficer',
          existingRoles: [],
        }),
      ),
    ).toBe('SOD_SAME_PERSON');
  });
});
