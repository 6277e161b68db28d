import { allCommands } from '@fiscus/contracts';
import { describe, expect, it } from 'vitest';
import { isAdminPermission, roleCatalog } from './roles';

describe('role catalogue', () => {
  it('gives administrators only administrative permissions and fiscal roles none of them (三员分立)', () => {
    for (const r of roleCatalog) {
      for (const p of r.permissions)
        expect([r.code, isAdminPermission(p)]).toEqual([r.code, r.adminKind !== null]);
    }
  });
  it('has a role for every command permission', () => {
    const held = new Set(roleCatalog.flatMap((r) => r.permissions));
    for (const c of allCommands) expect([c.type, held.has(c.permission)]).toEqual([c.type, true]);
  });
  it('keeps the three administrators disjoint', () => {
    const admins = roleCatalog.filter((r) => r.adminKind);
    expect(admins.map((r) => r.adminKind).sort()).toEqual(['audit', 'security', 'system']);
    const byAdmin = admins.map((r) => new Set(r.permissions.filter((p) => !p.endsWith('.read'))));
    for (let i = 0; i < byAdmin.length; i++)
      for (let j = i + 1; j < byAdmin.length; j++)
        for (const p of byAdmin[i]!) expect(byAdmin[j]!.has(p)).toBe(false);
  });
});
