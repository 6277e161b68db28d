import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema';
import { roleCatalog } from '../domain/roles';

/** Bring auth.role in line with the catalogue (run after migrations, idempotent). */
export async function seedRoles(db: Kysely<DB>): Promise<void> {
  for (const r of roleCatalog) {
    await db
      .insertInto('auth.role')
      .values({
        code: r.code,
        name_zh: r.nameZh,
        name_en: r.nameEn,
        admin_kind: r.adminKind,
        permissions: [...r.permissions],
      })
      .onConflict((oc) =>
        oc.column('code').doUpdateSet({
          name_zh: r.nameZh,
          name_en: r.nameEn,
          admin_kind: r.adminKind,
          permissions: [...r.permissions],
        }),
      )
      .execute();
  }
}
