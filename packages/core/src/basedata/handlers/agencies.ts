import { saveAgency } from '@fiscus/contracts';
import type { Kysely } from 'kysely';
import { defineHandler } from '../../commands/handler';
import { FiscusError } from '../../kernel/errors';
import type { DB } from '../../platform/db/schema';

export async function requireYear(trx: Kysely<DB>, region: string, year: number): Promise<void> {
  const y = await trx
    .selectFrom('basedata.fiscal_year')
    .select('state')
    .where('region_code', '=', region)
    .where('fiscal_year', '=', year)
    .executeTakeFirst();
  if (!y) throw new FiscusError('FISCAL_YEAR_NOT_OPEN', { region, year });
}

export const saveAgencyHandler = defineHandler({
  def: saveAgency,
  agencyOf: (p) => p.parentCode ?? p.code,
  async handle({ trx, payload: p, region, year, changes }) {
    await requireYear(trx, region, year);
    let path = p.code;
    if (p.parentCode) {
      const parent = await trx
        .selectFrom('basedata.agency')
        .select(['path'])
        .where('region_code', '=', region)
        .where('fiscal_year', '=', year)
        .where('code', '=', p.parentCode)
        .executeTakeFirst();
      if (!parent)
        throw new FiscusError('AGENCY_PARENT_INVALID', {
          agency: p.code,
          parent: p.parentCode,
          reason: '上级单位不存在 parent does not exist',
        });
      if (parent.path.split('/').includes(p.code)) {
        throw new FiscusError('AGENCY_PARENT_INVALID', {
          agency: p.code,
          parent: p.parentCode,
          reason: '形成循环 cycle',
        });
      }
      path = `${parent.path}/${p.code}`;
    }
    const before = await trx
      .selectFrom('basedata.agency')
      .selectAll()
      .where('region_code', '=', region)
      .where('fiscal_year', '=', year)
      .where('code', '=', p.code)
      .executeTakeFirst();
    if (before && before.parent_code !== p.parentCode) {
      const child = await trx
        .selectFrom('basedata.agency')
        .select('code')
        .where('region_code', '=', region)
        .where('fiscal_year', '=', year)
        .where('parent_code', '=', p.code)
        .executeTakeFirst();
      if (child) {
        throw new FiscusError('STATE_INVALID', {
          entity: '预算单位 agency',
          key: p.code,
          state: '有下级 has children',
          action: '变更上级 move',
        });
      }
    }
    const row = {
      region_code: region,
      fiscal_year: year,
      code: p.code,
      name: p.name,
      kind: p.kind,
      parent_code: p.parentCode,
      dept_code: path.split('/')[0] ?? p.code,
      path,
      enabled: p.enabled,
    };
    await trx
      .insertInto('basedata.agency')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['region_code', 'fiscal_year', 'code']).doUpdateSet({ ...row, updated_at: new Date() }),
      )
      .execute();
    changes.push({ entity: 'agency', key: `${year}/${p.code}`, before: before ?? null, after: row });
    return { code: p.code, deptCode: row.dept_code, created: !before };
  },
});
