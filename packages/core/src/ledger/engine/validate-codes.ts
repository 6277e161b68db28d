import { FiscusError } from '../../kernel/errors';
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

/** The codes and agencies a batch names, to ask the database about in one go. */
export function namedCodes(postings: readonly Posting[]): { codes: string[]; agencies: string[] } {
  const codes = new Set<string>();
  const agencies = new Set<string>();
  for (const p of postings)
    for (const l of p.lines) {
      for (const [f] of coded) {
        const v = l.elements[f];
        if (typeof v === 'string') codes.add(v);
      }
      if (l.elements.agencyCode) agencies.add(l.elements.agencyCode);
      if (l.elements.deptCode) agencies.add(l.elements.deptCode);
    }
  return { codes: [...codes], agencies: [...agencies] };
}

/**
 * Element codes must exist in that year's code sets and agencies in that year's agency list;
 * `known` holds what exists of the codes `namedCodes` listed.
 */
export function codeChecker(known: { knownCodes: Set<string>; knownAgencies: Set<string> }) {
  return (p: Posting): void => {
    for (const l of p.lines) {
      for (const [f, set] of coded) {
        const v = l.elements[f];
        if (typeof v === 'string' && !known.knownCodes.has(`${p.year}|${set}|${v}`)) {
          throw new FiscusError('CODE_UNKNOWN', { year: p.year, set, code: v });
        }
      }
      for (const a of [l.elements.agencyCode, l.elements.deptCode]) {
        if (a && !known.knownAgencies.has(`${p.year}|${a}`))
          throw new FiscusError('AGENCY_UNKNOWN', { agency: a });
      }
    }
  };
}
