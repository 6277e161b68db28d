import { closeFiscalYear, openFiscalYear, regionLevels, saveRegion } from '@fiscus/contracts';
import { defineHandler } from '../../commands/handler';
import { FiscusError } from '../../kernel/errors';

const depth = (level: (typeof regionLevels)[number]) => regionLevels.indexOf(level);

export const saveRegionHandler = defineHandler({
  def: saveRegion,
  // A new region is authorized by its parent's scope; a root needs scope over itself.
  scopeRegion: (p) => p.parentCode ?? p.code,
  scopeMayBeNew: (p) => p.parentCode === null,
  async handle({ trx, payload: p, region, changes }) {
    if (region !== p.code) {
      throw new FiscusError('VALIDATION_FAILED', {
        detail: `envelope region ${region} must be the region saved (${p.code})`,
      });
    }
    if (p.admDivCode !== p.code.slice(0, 6)) {
      throw new FiscusError('VALIDATION_FAILED', {
        detail: `admDivCode ${p.admDivCode} must be the first 6 digits of ${p.code}`,
      });
    }
    let path = p.code;
    if (p.parentCode) {
      const parent = await trx
        .selectFrom('basedata.region')
        .select(['path', 'level'])
        .where('region_code', '=', p.parentCode)
        .executeTakeFirst();
      if (!parent)
        throw new FiscusError('REGION_PARENT_INVALID', {
          region: p.code,
          parent: p.parentCode,
          reason: '上级不存在 parent does not exist',
        });
      if (depth(parent.level) >= depth(p.level)) {
        throw new FiscusError('REGION_PARENT_INVALID', {
          region: p.code,
          parent: p.parentCode,
          reason: `级次 ${parent.level} 不高于 ${p.level}`,
        });
      }
      if (parent.path.split('/').includes(p.code)) {
        throw new FiscusError('REGION_PARENT_INVALID', {
          region: p.code,
          parent: p.parentCode,
          reason: '形成循环 cycle',
        });
      }
      path = `${parent.path}/${p.code}`;
    } else if (p.level !== 'province') {
      throw new FiscusError('REGION_PARENT_INVALID', {
        region: p.code,
        parent: 'null',
        reason: '只有省级可以没有上级 only a province has no parent',
      });
    }
    const before = await trx
      .selectFrom('basedata.region')
      .selectAll()
      .where('region_code', '=', p.code)
      .executeTakeFirst();
    if (before && before.parent_code !== p.parentCode) {
      const child = await trx
        .selectFrom('basedata.region')
        .select('region_code')
        .where('parent_code', '=', p.code)
        .executeTakeFirst();
      if (child) {
        throw new FiscusError('STATE_INVALID', {
          entity: '财政区划 region',
          key: p.code,
          state: '有下级 has children',
          action: '变更上级 move',
        });
      }
    }
    const row = {
      region_code: p.code,
      adm_div_code: p.admDivCode,
      name: p.name,
      level: p.level,
      parent_code: p.parentCode,
      path,
    };
    await trx
      .insertInto('basedata.region')
      .values(row)
      .onConflict((oc) => oc.column('region_code').doUpdateSet({ ...row, updated_at: new Date() }))
      .execute();
    changes.push({ entity: 'region', key: p.code, before: before ?? null, after: row });
    return { code: p.code, created: !before };
  },
});

export const openFiscalYearHandler = defineHandler({
  def: openFiscalYear,
  async handle({ trx, region, year, changes }) {
    const before = await trx
      .selectFrom('basedata.fiscal_year')
      .selectAll()
      .where('region_code', '=', region)
      .where('fiscal_year', '=', year)
      .executeTakeFirst();
    if (before) throw new FiscusError('FISCAL_YEAR_STATE', { region, year, state: before.state });
    await trx
      .insertInto('basedata.fiscal_year')
      .values({ region_code: region, fiscal_year: year, state: 'open' })
      .execute();
    changes.push({ entity: 'fiscalYear', key: `${region}/${year}`, before: null, after: { state: 'open' } });
    return { region, year, state: 'open' };
  },
});

export const closeFiscalYearHandler = defineHandler({
  def: closeFiscalYear,
  async handle({ trx, region, year, now, changes }) {
    const row = await trx
      .updateTable('basedata.fiscal_year')
      .set({ state: 'closed', closed_at: now })
      .where('region_code', '=', region)
      .where('fiscal_year', '=', year)
      .where('state', '=', 'open')
      .returning('state')
      .executeTakeFirst();
    if (!row) {
      const cur = await trx
        .selectFrom('basedata.fiscal_year')
        .select('state')
        .where('region_code', '=', region)
        .where('fiscal_year', '=', year)
        .executeTakeFirst();
      throw new FiscusError('FISCAL_YEAR_STATE', { region, year, state: cur?.state ?? 'missing' });
    }
    changes.push({
      entity: 'fiscalYear',
      key: `${region}/${year}`,
      before: { state: 'open' },
      after: { state: 'closed' },
    });
    return { region, year, state: 'closed' };
  },
});
