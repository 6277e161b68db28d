/**
 * Upper/lower reconciliation (DOMAIN.md §3.7 (4): upper 2201 = lower 1002 by 文号), pure: what the
 * upper level issued, message by message, against what each lower level received and booked.
 */
export interface IssuedRecord {
  messageId: string;
  toRegion: string;
  docId: string;
  docNo: string;
  amountFen: bigint;
  /** The issuing entry's amount in the upper ledger (0 when missing or reversed). */
  ledgerFen: bigint;
  fundTypeCode: string;
  /** Flags and classifications that must arrive intact, as one comparable text. */
  elementsDigest: string;
}

export interface ReceivedRecord {
  messageId: string;
  region: string;
  fromRegion: string;
  docNo: string;
  amountFen: bigint;
  /** Net 1002 debit of the received indicator in the lower ledger. */
  ledgerFen: bigint;
  fundTypeCode: string;
  elementsDigest: string;
}

export type LevelDifferenceKind =
  | 'missing'
  | 'unexpected'
  | 'duplicated'
  | 'amountMismatch'
  | 'ledgerMismatch'
  | 'elementMismatch';

export interface LevelDifference {
  kind: LevelDifferenceKind;
  messageId: string;
  region: string;
  docNo: string;
  detail: string;
}

const yuan = (f: bigint) => {
  const neg = f < 0n;
  const a = neg ? -f : f;
  return `${neg ? '-' : ''}${a / 100n}.${(a % 100n).toString().padStart(2, '0')}`;
};

/** Every difference, named; an empty list means the levels agree document by document. */
export function compareLevels(
  issued: readonly IssuedRecord[],
  received: readonly ReceivedRecord[],
): LevelDifference[] {
  const out: LevelDifference[] = [];
  const got = new Map<string, ReceivedRecord[]>();
  for (const r of received) got.set(r.messageId, [...(got.get(r.messageId) ?? []), r]);
  const byDoc = new Map<string, ReceivedRecord[]>();
  for (const r of received) {
    const k = `${r.region}|${r.fromRegion}|${r.docNo}`;
    byDoc.set(k, [...(byDoc.get(k) ?? []), r]);
  }
  for (const i of issued) {
    const base = { messageId: i.messageId, region: i.toRegion, docNo: i.docNo };
    if (i.ledgerFen !== i.amountFen)
      out.push({
        ...base,
        kind: 'ledgerMismatch',
        detail: `上级账 upper ledger ${yuan(i.ledgerFen)} ≠ 下达 issued ${yuan(i.amountFen)}`,
      });
    const rs = got.get(i.messageId) ?? [];
    if (rs.length === 0) {
      out.push({ ...base, kind: 'missing', detail: `下级未收到 not received: ${yuan(i.amountFen)}` });
      continue;
    }
    const r = rs[0]!;
    if (r.amountFen !== i.amountFen)
      out.push({
        ...base,
        kind: 'amountMismatch',
        detail: `下达 issued ${yuan(i.amountFen)} ≠ 收到 received ${yuan(r.amountFen)}`,
      });
    if (r.ledgerFen === 2n * r.amountFen || rs.length > 1 || (r.ledgerFen > r.amountFen && r.amountFen > 0n))
      out.push({
        ...base,
        kind: 'duplicated',
        detail: `下级入账 lower ledger ${yuan(r.ledgerFen)} for ${yuan(r.amountFen)} received`,
      });
    else if (r.ledgerFen !== r.amountFen)
      out.push({
        ...base,
        kind: 'ledgerMismatch',
        detail: `下级账 lower ledger ${yuan(r.ledgerFen)} ≠ 收到 received ${yuan(r.amountFen)}`,
      });
    if (r.fundTypeCode !== i.fundTypeCode || r.elementsDigest !== i.elementsDigest)
      out.push({
        ...base,
        kind: 'elementMismatch',
        detail: `要素不一致 elements differ: ${i.fundTypeCode} ${i.elementsDigest} ≠ ${r.fundTypeCode} ${r.elementsDigest}`,
      });
  }
  const issuedIds = new Set(issued.map((i) => i.messageId));
  for (const r of received) {
    if (issuedIds.has(r.messageId)) continue;
    const sameDoc = byDoc.get(`${r.region}|${r.fromRegion}|${r.docNo}`) ?? [];
    out.push({
      messageId: r.messageId,
      region: r.region,
      docNo: r.docNo,
      kind: sameDoc.some((x) => issuedIds.has(x.messageId)) ? 'duplicated' : 'unexpected',
      detail: `上级无此下达 no such issue above: ${yuan(r.amountFen)}`,
    });
  }
  return out;
}

/** The parts of an element set that must cross levels unchanged. */
export function elementsDigest(e: {
  supDocNo?: string | null | undefined;
  tpFuncCode?: string | null | undefined;
  expFuncCode?: string | null | undefined;
  flags?: object | null | undefined;
}): string {
  const flags = Object.entries((e.flags ?? {}) as Record<string, unknown>)
    .filter(([, v]) => v)
    .map(([k]) => k)
    .sort()
    .join(',');
  return `${e.supDocNo ?? ''}|${e.tpFuncCode ?? ''}|${e.expFuncCode ?? ''}|${flags}`;
}
