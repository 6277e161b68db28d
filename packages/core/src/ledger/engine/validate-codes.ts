import type { Kysely } from 'kysely';
import { FiscusError } from '../../kernel/errors';
import type { DB } from '../../platform/db/schema';
import type { Elements } from '../domain/elements';
import type { Posting } from '../domain/posting';

const coded: readonly [keyof Elements, string][] = [
  ['expFuncCode', 'expFunc'],
  ['tpFuncCode', 'expFunc'],
  ['govEcoCode', 'govEco'],
  ['depEcoCode', 'depEco'],
  ['fundTypeCode', 'fundType'],
  ['sourceTypeCode', 'indicatorSource'],
  ['indicatorTypeCode', 'indicatorType'],
  ['payTypeCode', 'payType'],
];

/**
 * Element codes must exist in that year's code sets and agencies in that year's agency list.
 * Loads everything a batch names in two queries; returns a checker per posting.
 */
export async function codeChecker(trx: Kysely<DB>, region: string, postings: readonly Posting[]) {
  const years = [...new Set(postings.map((p) => p.year))];
  const codes = new Set<string>();
  const agencies = new Set<string>();
  for (const p of postings)
    for (const l of p.lines) {
      for (const [f, set] of coded) {
        const v = l.elements[f];
        if (typeof v === 'string') codes.add(`${p.year}|${set}|${v}`);
      }
      if (l.elements.agencyCode) agencies.add(`${p.year}|${l.elements.agencyCode}`);
      if (l.elements.deptCode) agencies.add(`${p.year}|${l.elements.deptCode}`);
    }
  const knownCodes = new Set<string>();
  const knownAgencies = new Set<string>();
  if (codes.size > 0) {
    const rows = await trx
      .selectFrom('basedata.code_item')
      .select(['fiscal_year', 'set_code', 'code'])
      .where('region_code', '=', region)
      .where('fiscal_year', 'in', years)
      .where('enabled', '=', true)
      .where('code', 'in', [...new Set([...codes].map((c) => c.split('|')[2]!))])
      .execute();
    for (const r of rows) knownCodes.add(`${r.fiscal_year}|${r.set_code}|${r.code}`);
  }
  if (agencies.size > 0) {
    const rows = await trx
      .selectFrom('basedata.agency')
      .select(['fiscal_year', 'code'])
      .where('region_code', '=', region)
      .where('fiscal_year', 'in', years)
      .where('code', 'in', [...new Set([...agencies].map((a) => a.split('|')[1]!))])
      .execute();
    for (const r of rows) knownAgencies.add(`${r.fiscal_year}|${r.code}`);
  }
  return (p: Posting): void => {
    for (const l of p.lines) {
      for (const [f, set] of coded) {
        const v = l.elements[f];
        if (typeof v === 'string' && !knownCodes.has(`${p.year}|${set}|${v}`)) {
          throw new FiscusError('CODE_UNKNOWN', { year: p.year, set, code: v });
        }
      }
      for (const a of [l.elements.agencyCode, l.elements.deptCode]) {
        if (a && !knownAgencies.has(`${p.year}|${a}`)) throw new FiscusError('AGENCY_UNKNOWN', { agency: a });
      }
    }
  };
}
