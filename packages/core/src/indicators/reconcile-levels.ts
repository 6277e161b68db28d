import type { TransferMessage } from '@fiscus/contracts';
import { type Kysely, sql } from 'kysely';
import type { Elements } from '../ledger/domain/elements';
import type { DB } from '../platform/db/schema';
import {
  compareLevels,
  elementsDigest,
  type IssuedRecord,
  type LevelDifference,
  type ReceivedRecord,
} from './domain/levels';

/** What a region issued to its lower levels in a year (returned transfers excepted). */
export async function issuedBy(db: Kysely<DB>, region: string, year: number): Promise<IssuedRecord[]> {
  const r = await sql<{
    message_id: string;
    to_region: string;
    doc_id: string;
    doc_no: string;
    amount_fen: string;
    message: TransferMessage;
    ledger_fen: string | null;
  }>`
    select o.message_id, o.to_region, o.doc_id, o.doc_no, o.amount_fen::text, o.message,
      (select sum(l.amount_fen)::text from ledger.line l
        where l.region_code = o.region_code and l.fiscal_year = o.fiscal_year and l.entry_id = o.entry_id
          and l.account = '2201' and l.side = 'credit'
          and not exists (select 1 from ledger.entry x where x.region_code = o.region_code
                            and x.fiscal_year = o.fiscal_year and x.reverses_entry_id = o.entry_id)) as ledger_fen
    from indicators.transfer_out o
    where o.region_code = ${region} and o.fiscal_year = ${year} and o.state <> 'returned'
    order by o.message_id`.execute(db);
  return r.rows.map((x) => ({
    messageId: x.message_id,
    toRegion: x.to_region,
    docId: x.doc_id,
    docNo: x.doc_no,
    amountFen: BigInt(x.amount_fen),
    ledgerFen: BigInt(x.ledger_fen ?? 0),
    fundTypeCode: x.message.elements.fundTypeCode,
    elementsDigest: elementsDigest(x.message.elements),
  }));
}

/** What lower regions of this database received from `fromRegion` in a year (returns excepted). */
export async function receivedFrom(
  db: Kysely<DB>,
  fromRegion: string,
  year: number,
): Promise<ReceivedRecord[]> {
  const r = await sql<{
    region_code: string;
    message_id: string;
    doc_no: string;
    amount_fen: string;
    elements: Elements;
    fund_type_code: string;
    indicator_id: string;
    ledger_fen: string | null;
  }>`
    select t.region_code, t.message_id, t.doc_no, t.amount_fen::text, i.elements, i.fund_type_code, t.indicator_id,
      (select sum(b.debit_fen - b.credit_fen)::text from ledger.balance b
         join ledger.element_key k on k.region_code = b.region_code and k.fiscal_year = b.fiscal_year and k.id = b.element_key_id
        where b.region_code = t.region_code and b.fiscal_year = t.fiscal_year and b.account = '1002'
          and k.indicator_id = t.indicator_id) as ledger_fen
    from indicators.transfer_in t
    join indicators.indicator i on i.region_code = t.region_code and i.fiscal_year = t.fiscal_year and i.indicator_id = t.indicator_id
    where t.from_region = ${fromRegion} and t.fiscal_year = ${year} and t.state <> 'returned'
    order by t.region_code, t.received_at, t.message_id`.execute(db);
  // An advance and the formal issue that offsets it share one indicator: its 1002 balance covers
  // both, so each message is given its own amount and the last one whatever is left over.
  const left = new Map<string, bigint>();
  const remaining = new Map<string, number>();
  for (const x of r.rows) {
    const k = `${x.region_code}|${x.indicator_id}`;
    left.set(k, BigInt(x.ledger_fen ?? 0));
    remaining.set(k, (remaining.get(k) ?? 0) + 1);
  }
  return r.rows.map((x) => {
    const k = `${x.region_code}|${x.indicator_id}`;
    const amount = BigInt(x.amount_fen);
    const n = remaining.get(k)! - 1;
    remaining.set(k, n);
    const ledger = n === 0 ? left.get(k)! : amount;
    left.set(k, left.get(k)! - ledger);
    return {
      messageId: x.message_id,
      region: x.region_code,
      fromRegion,
      docNo: x.doc_no,
      amountFen: amount,
      ledgerFen: ledger,
      fundTypeCode: x.fund_type_code,
      // The indicator's classifications and flags; its 文号 as recorded for this message (an offset
      // tops up the advance's indicator, which keeps the advance's 文号).
      elementsDigest: elementsDigest({ ...x.elements, supDocNo: x.doc_no }),
    };
  });
}

export interface LevelReport {
  region: string;
  year: number;
  issued: number;
  received: number;
  ok: boolean;
  differences: LevelDifference[];
}

/**
 * `fiscus reconcile levels`: the region's issues against what its lower levels received — in
 * this database, or as reported by the lower levels' own instances (`received`).
 */
export async function reconcileLevels(
  db: Kysely<DB>,
  region: string,
  year: number,
  received?: readonly ReceivedRecord[],
): Promise<LevelReport> {
  const issued = await issuedBy(db, region, year);
  const got = received ?? (await receivedFrom(db, region, year));
  const differences = compareLevels(issued, got);
  return {
    region,
    year,
    issued: issued.length,
    received: got.length,
    ok: differences.length === 0,
    differences,
  };
}
