import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type CodeSet, loadCodeSets, saveCodeItem, saveEconomicMapping } from '@fiscus/contracts';
import type { Kysely } from 'kysely';
import { defineHandler } from '../../commands/handler';
import { FiscusError } from '../../kernel/errors';
import type { DB } from '../../platform/db/schema';
import { fixturesRoot, readCodeSetVersion } from '../fixtures/load';
import { hierarchicalCodeLengths } from '../fixtures/schema';
import { requireYear } from './agencies';

/** Level of a code: by its length for 类/款/项 sets, else one below its parent. */
export function codeLevel(set: CodeSet, code: string, parentLevel: number | null): number | null {
  const lengths = hierarchicalCodeLengths[set];
  if (lengths) {
    const i = lengths.indexOf(code.length);
    return i < 0 ? null : i + 1;
  }
  return parentLevel === null ? 1 : parentLevel + 1;
}

async function findCode(trx: Kysely<DB>, region: string, year: number, set: string, code: string) {
  return trx
    .selectFrom('basedata.code_item')
    .selectAll()
    .where('region_code', '=', region)
    .where('fiscal_year', '=', year)
    .where('set_code', '=', set)
    .where('code', '=', code)
    .executeTakeFirst();
}

export const loadCodeSetsHandler = defineHandler({
  def: loadCodeSets,
  async handle({ trx, payload, region, year, changes }) {
    await requireYear(trx, region, year);
    if (!existsSync(join(fixturesRoot(), 'fixtures', 'codesets', `${payload.version}.json`))) {
      throw new FiscusError('CODESET_VERSION_UNKNOWN', { version: payload.version });
    }
    const file = readCodeSetVersion(payload.version);
    const counts: Record<string, number> = {};
    for (const [set, items] of Object.entries(file.sets) as [CodeSet, typeof file.sets.expFunc][]) {
      // Parents first, so the self-referencing foreign key holds row by row.
      const levels = new Map<string, number>();
      const ordered: { code: string; name: string; parentCode: string | null; level: number }[] = [];
      const pending = [...items];
      while (pending.length > 0) {
        const before = pending.length;
        for (let i = pending.length - 1; i >= 0; i--) {
          const it = pending[i]!;
          const pl = it.parentCode === null ? null : levels.get(it.parentCode);
          if (pl === undefined) continue;
          const level = codeLevel(set, it.code, pl) ?? 1;
          levels.set(it.code, level);
          ordered.push({ ...it, level });
          pending.splice(i, 1);
        }
        if (pending.length === before) {
          throw new FiscusError('CODE_UNKNOWN', { year, set, code: pending[0]?.parentCode ?? '?' });
        }
      }
      ordered.sort((a, b) => a.level - b.level);
      const rows = ordered.map((it) => ({
        region_code: region,
        fiscal_year: year,
        set_code: set,
        code: it.code,
        name: it.name,
        parent_code: it.parentCode,
        level: it.level,
        enabled: true,
        version: file.version,
      }));
      for (let i = 0; i < rows.length; i += 500) {
        await trx
          .insertInto('basedata.code_item')
          .values(rows.slice(i, i + 500))
          .onConflict((oc) =>
            oc.columns(['region_code', 'fiscal_year', 'set_code', 'code']).doUpdateSet((eb) => ({
              name: eb.ref('excluded.name'),
              parent_code: eb.ref('excluded.parent_code'),
              level: eb.ref('excluded.level'),
              version: eb.ref('excluded.version'),
              enabled: true,
              updated_at: new Date(),
            })),
          )
          .execute();
      }
      counts[set] = rows.length;
    }
    for (const m of file.economicMappings) {
      await trx
        .insertInto('basedata.economic_mapping')
        .values({
          region_code: region,
          fiscal_year: year,
          dep_eco_code: m.depEcoCode,
          agency_kind: m.agencyKind,
          gov_eco_code: m.govEcoCode,
        })
        .onConflict((oc) =>
          oc
            .columns(['region_code', 'fiscal_year', 'dep_eco_code', 'agency_kind'])
            .doUpdateSet({ gov_eco_code: m.govEcoCode }),
        )
        .execute();
    }
    counts.economicMappings = file.economicMappings.length;
    changes.push({
      entity: 'codeSet',
      key: `${year}`,
      before: null,
      after: { version: file.version, counts },
    });
    return { version: file.version, counts };
  },
});

export const saveCodeItemHandler = defineHandler({
  def: saveCodeItem,
  async handle({ trx, payload: p, region, year, changes }) {
    await requireYear(trx, region, year);
    let parentLevel: number | null = null;
    if (p.parentCode) {
      const parent = await findCode(trx, region, year, p.set, p.parentCode);
      if (!parent) throw new FiscusError('CODE_UNKNOWN', { year, set: p.set, code: p.parentCode });
      if (hierarchicalCodeLengths[p.set] && !p.code.startsWith(p.parentCode)) {
        throw new FiscusError('VALIDATION_FAILED', {
          detail: `code ${p.code} must start with its parent ${p.parentCode}`,
        });
      }
      parentLevel = parent.level;
    }
    const level = codeLevel(p.set, p.code, parentLevel);
    if (
      level === null ||
      (parentLevel !== null && level !== parentLevel + 1) ||
      (parentLevel === null && level !== 1)
    ) {
      throw new FiscusError('VALIDATION_FAILED', {
        detail: `code ${p.code} does not fit the levels of ${p.set}`,
      });
    }
    const before = await findCode(trx, region, year, p.set, p.code);
    const row = {
      region_code: region,
      fiscal_year: year,
      set_code: p.set,
      code: p.code,
      name: p.name,
      parent_code: p.parentCode,
      level,
      enabled: p.enabled,
      version: null,
    };
    await trx
      .insertInto('basedata.code_item')
      .values(row)
      .onConflict((oc) =>
        oc
          .columns(['region_code', 'fiscal_year', 'set_code', 'code'])
          .doUpdateSet({ ...row, updated_at: new Date() }),
      )
      .execute();
    changes.push({
      entity: 'codeItem',
      key: `${year}/${p.set}/${p.code}`,
      before: before ?? null,
      after: row,
    });
    return { set: p.set, code: p.code, level, created: !before };
  },
});

export const saveEconomicMappingHandler = defineHandler({
  def: saveEconomicMapping,
  async handle({ trx, payload: p, region, year, changes }) {
    for (const [set, code] of [
      ['depEco', p.depEcoCode],
      ['govEco', p.govEcoCode],
    ] as const) {
      if (!(await findCode(trx, region, year, set, code)))
        throw new FiscusError('CODE_UNKNOWN', { year, set, code });
    }
    const row = {
      region_code: region,
      fiscal_year: year,
      dep_eco_code: p.depEcoCode,
      agency_kind: p.agencyKind,
      gov_eco_code: p.govEcoCode,
    };
    await trx
      .insertInto('basedata.economic_mapping')
      .values(row)
      .onConflict((oc) =>
        oc
          .columns(['region_code', 'fiscal_year', 'dep_eco_code', 'agency_kind'])
          .doUpdateSet({ gov_eco_code: p.govEcoCode }),
      )
      .execute();
    changes.push({
      entity: 'economicMapping',
      key: `${year}/${p.depEcoCode}/${p.agencyKind}`,
      before: null,
      after: row,
    });
    return row;
  },
});
