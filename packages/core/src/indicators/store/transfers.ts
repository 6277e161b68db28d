import type { TransferMessage } from '@fiscus/contracts';
import type { Kysely } from 'kysely';
import type { CommandContext } from '../../commands/handler';
import { formatYuan } from '../../kernel/money';
import type { DB } from '../../platform/db/schema';
import type { DocumentEffect } from '../domain/effects';
import type { DocumentRow } from './documents';

/** One message id per document and receiving region: a resend is the same message. */
export const messageIdOf = (fromRegion: string, docId: string, toRegion: string) =>
  `${fromRegion}.${docId}.${toRegion}`;

/**
 * The outbox side of an effective issue: one pending message per receiving region, written in
 * the issuing transaction (so a message exists exactly when the issue was booked).
 */
export async function recordOutgoing(
  ctx: Pick<CommandContext<unknown>, 'trx' | 'region' | 'year' | 'now'>,
  doc: DocumentRow,
  effect: DocumentEffect,
  entryIds: readonly string[],
): Promise<string[]> {
  if (effect.transfers.length === 0) return [];
  const kind = doc.docType === 'advanceIssue' ? 'advanceIssue' : 'issue';
  // The issue scenarios post one entry each, in the order of the transfers.
  const rows = effect.transfers.map((t, i) => {
    const message: TransferMessage = {
      messageId: messageIdOf(ctx.region, doc.docId, t.toRegion),
      kind,
      fromRegion: ctx.region,
      toRegion: t.toRegion,
      fiscalYear: ctx.year,
      docId: doc.docId,
      docNo: doc.docNo,
      title: doc.title,
      amount: formatYuan(t.amount),
      sourceIndicatorId: t.sourceIndicatorId,
      elements: t.elements,
    };
    return {
      region_code: ctx.region,
      message_id: message.messageId,
      fiscal_year: ctx.year,
      to_region: t.toRegion,
      kind,
      doc_id: doc.docId,
      doc_no: doc.docNo,
      amount_fen: t.amount,
      source_indicator_id: t.sourceIndicatorId,
      entry_id: BigInt(entryIds[i]!),
      message: JSON.stringify(message),
      state: 'pending' as const,
      created_at: ctx.now,
    };
  });
  await ctx.trx.insertInto('indicators.transfer_out').values(rows).execute();
  return rows.map((r) => r.message_id);
}

export async function lockIncoming(trx: Kysely<DB>, region: string, messageId: string) {
  return trx
    .selectFrom('indicators.transfer_in')
    .selectAll()
    .where('region_code', '=', region)
    .where('message_id', '=', messageId)
    .forUpdate()
    .executeTakeFirst();
}

export async function lockOutgoing(trx: Kysely<DB>, region: string, messageId: string) {
  return trx
    .selectFrom('indicators.transfer_out')
    .selectAll()
    .where('region_code', '=', region)
    .where('message_id', '=', messageId)
    .forUpdate()
    .executeTakeFirst();
}
