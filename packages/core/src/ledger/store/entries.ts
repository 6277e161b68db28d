import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema';
import type { Posting } from '../domain/posting';
import { seedLedger } from './config';
import { elementsFromRow } from './element-keys';

/** Seed the chart (and default rules) the first time a region-year is posted to. */
export async function ensureLedger(
  trx: Kysely<DB>,
  region: string,
  year: number,
  actor: string,
): Promise<void> {
  const any = await trx
    .selectFrom('ledger.account')
    .select('code')
    .where('region_code', '=', region)
    .where('fiscal_year', '=', year)
    .limit(1)
    .executeTakeFirst();
  if (!any) await seedLedger(trx, region, year, actor);
}

/** An entry as a posting (for reversal), with whether it reverses or was reversed. */
export async function loadEntryPosting(
  trx: Kysely<DB>,
  region: string,
  year: number,
  id: bigint,
): Promise<{ posting: Posting; reversesEntryId: bigint | null; reversedBy: bigint | null } | null> {
  const entry = await trx
    .selectFrom('ledger.entry')
    .selectAll()
    .where('region_code', '=', region)
    .where('fiscal_year', '=', year)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!entry) return null;
  const lines = await trx
    .selectFrom('ledger.line as l')
    .innerJoin('ledger.element_key as k', (j) =>
      j
        .onRef('k.region_code', '=', 'l.region_code')
        .onRef('k.fiscal_year', '=', 'l.fiscal_year')
        .onRef('k.id', '=', 'l.element_key_id'),
    )
    .selectAll('k')
    .select(['l.account', 'l.side', 'l.amount_fen', 'l.line_no'])
    .where('l.region_code', '=', region)
    .where('l.fiscal_year', '=', year)
    .where('l.entry_id', '=', id)
    .orderBy('l.line_no')
    .execute();
  const rev = await trx
    .selectFrom('ledger.entry')
    .select('id')
    .where('region_code', '=', region)
    .where('fiscal_year', '=', year)
    .where('reverses_entry_id', '=', id)
    .executeTakeFirst();
  return {
    posting: {
      scenario: entry.scenario,
      year,
      lines: lines.map((l) => ({
        account: l.account,
        side: l.side,
        amount: l.amount_fen,
        elements: elementsFromRow(l as unknown as Record<string, unknown>),
      })),
    },
    reversesEntryId: entry.reverses_entry_id,
    reversedBy: rev?.id ?? null,
  };
}
