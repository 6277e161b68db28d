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
  // An issue scenario posts one entry: a transfer's entry is the one of its scenario.
  const rows = effect.transfers.map((t) => {
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
      ...(t.offsets
        ? { offsetsMessageId: t.offsets.messageId, grossAmount: formatYuan(t.offsets.grossAmount) }
        : {}),
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
      entry_id: t.scenarioIndex === null ? null : BigInt(entryIds[t.scenarioIndex]!),
      message: JSON.stringify(message),
      state: 'pending' as const,
      created_at: ctx.now,
    };
  });
  await ctx.trx.insertInto('indicators.transfer_out').values(rows).execute();
  for (const t of effect.transfers) {
    if (!t.offsets) continue;
    await ctx.trx
      .updateTable('indicators.transfer_out')
      .set({ offset_by: messageIdOf(ctx.region, doc.docId, t.toRegion) })
      .where('region_code', '=', ctx.region)
      .where('message_id', '=', t.offsets.messageId)
      .execute();
  }
  return rows.map((r) => r.message_id);
}

/** The advance issues a document's lines offset, locked (one formal issue offsets each once). */
export async function loadAdvances(
  trx: Kysely<DB>,
  region: string,
  year: number,
  messageIds: readonly string[],
) {
  const out = new Map<string, { toRegion: string; amount: bigint; offsetBy: string | null; state: string }>();
  if (messageIds.length === 0) return out;
  const rows = await trx
    .selectFrom('indicators.transfer_out')
    .select(['message_id', 'to_region', 'amount_fen', 'offset_by', 'state', 'kind'])
    .where('region_code', '=', region)
    .where('fiscal_year', '=', year)
    .where('message_id', 'in', [...messageIds])
    .where('kind', '=', 'advanceIssue')
    .forUpdate()
    .execute();
  for (const r of rows)
    out.set(r.message_id, {
      toRegion: r.to_region,
      amount: r.amount_fen,
      offsetBy: r.offset_by,
      state: r.state,
    });
  return out;
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
