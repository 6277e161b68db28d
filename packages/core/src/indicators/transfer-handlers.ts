import {
  acknowledgeTransfer,
  markDelivered,
  markReturnDelivered,
  receiveReturn,
  receiveTransfer,
  returnTransfer,
} from '@fiscus/contracts';
import { regionAncestry } from '../basedata/store/scope';
import { defineHandler } from '../commands/handler';
import { FiscusError } from '../kernel/errors';
import { parseYuan } from '../kernel/money';
import { postScenarios, reverseEntryFor } from '../ledger/post-scenarios';
import { toElements } from '../ledger/wire';
import type { Indicator } from './domain/effects';
import { insertIndicators, loadIndicators } from './store/indicators';
import { lockIncoming, lockOutgoing } from './store/transfers';

/** The lower level's id for what it received: the upper document and the upper region. */
export const receivedIndicatorId = (docId: string, fromRegion: string) =>
  `${docId.slice(0, 31)}-${fromRegion.slice(0, 6)}`;

const receivedState = {
  received: '已接收 received',
  acknowledged: '已确认 acknowledged',
  returned: '已退回 returned',
};

/**
 * 接收上级下达: the message becomes an unallocated indicator of this level (借 1002 / 贷 2001, or the
 * 提前下达 entry for next year's estimate), with the upper 文号 as 上级文号 and the flags intact.
 * The same message twice books once, whatever the command id.
 */
export const receiveTransferHandler = defineHandler({
  def: receiveTransfer,
  async handle(ctx) {
    const { trx, region, year, payload: m, now } = ctx;
    if (m.toRegion !== region)
      throw new FiscusError('VALIDATION_FAILED', {
        detail: `消息接收方为 ${m.toRegion} the message is for ${m.toRegion}`,
      });
    if (m.fiscalYear !== year)
      throw new FiscusError('VALIDATION_FAILED', {
        detail: `消息年度为 ${m.fiscalYear} the message is for ${m.fiscalYear}`,
      });
    const path = ctx.regionPath ?? (await regionAncestry(trx, region)) ?? [region];
    if (path[path.length - 2] !== m.fromRegion)
      throw new FiscusError('REGION_NOT_CHILD', { region, issuer: m.fromRegion });
    const already = await lockIncoming(trx, region, m.messageId);
    if (already) return { messageId: m.messageId, indicatorId: already.indicator_id, duplicate: true };
    const amount = parseYuan(m.amount);
    let id: string;
    let entryIds: string[];
    if (m.offsetsMessageId) {
      // 核销: the formal issue tops up the indicator its advance created with the difference.
      const adv = await lockIncoming(trx, region, m.offsetsMessageId);
      if (!adv || adv.state === 'returned' || adv.offset_by)
        throw new FiscusError('STATE_INVALID', {
          entity: '提前下达 advance issue',
          key: m.offsetsMessageId,
          state: !adv ? '未收到 not received' : adv.offset_by ? '已核销 offset' : '已退回 returned',
          action: '核销 offset',
        });
      id = adv.indicator_id;
      const ind = (await loadIndicators(trx, region, year, [id])).get(id);
      if (!ind) throw new FiscusError('NOT_FOUND', { entity: '指标 indicator', key: id });
      entryIds =
        amount > 0n
          ? await postScenarios(ctx, [
              { scenario: 'upperReceipt', year, amount, to: ind.elements, pool: 'unallocated' },
            ])
          : [];
      await trx
        .updateTable('indicators.transfer_in')
        .set({ offset_by: m.messageId })
        .where('region_code', '=', region)
        .where('message_id', '=', m.offsetsMessageId)
        .execute();
    } else {
      id = receivedIndicatorId(m.docId, m.fromRegion);
      const advance = m.kind === 'advanceIssue';
      const indicator: Indicator = {
        id,
        pool: 'unallocated',
        elements: { ...toElements(m.elements), indicatorId: id, originIndicatorId: null, supDocNo: m.docNo },
        originIndicatorId: null,
        originKind: advance ? 'advanceReceipt' : 'receipt',
      };
      await insertIndicators(trx, region, year, m.messageId, [indicator]);
      entryIds = await postScenarios(ctx, [
        advance
          ? { scenario: 'advanceIssue', year, amount, to: indicator.elements }
          : { scenario: 'upperReceipt', year, amount, to: indicator.elements, pool: 'unallocated' },
      ]);
    }
    await trx
      .insertInto('indicators.transfer_in')
      .values({
        region_code: region,
        message_id: m.messageId,
        fiscal_year: year,
        from_region: m.fromRegion,
        kind: m.kind,
        doc_no: m.docNo,
        amount_fen: amount,
        indicator_id: id,
        message: JSON.stringify(m),
        state: 'received',
        received_at: now,
      })
      .execute();
    ctx.changes.push({
      entity: 'transferIn',
      key: m.messageId,
      before: null,
      after: { indicatorId: id, amount: m.amount },
    });
    return { messageId: m.messageId, indicatorId: id, entryIds, duplicate: false };
  },
});

async function mustLockIncoming(trx: Parameters<typeof lockIncoming>[0], region: string, messageId: string) {
  const row = await lockIncoming(trx, region, messageId);
  if (!row) throw new FiscusError('NOT_FOUND', { entity: '转移支付 transfer', key: messageId });
  return row;
}

export const acknowledgeTransferHandler = defineHandler({
  def: acknowledgeTransfer,
  async handle(ctx) {
    const { trx, region, payload: p, actor } = ctx;
    const row = await mustLockIncoming(trx, region, p.messageId);
    if (row.state !== 'received')
      throw new FiscusError('STATE_INVALID', {
        entity: '转移支付 transfer',
        key: p.messageId,
        state: receivedState[row.state],
        action: '确认 acknowledge',
      });
    await trx
      .updateTable('indicators.transfer_in')
      .set({ state: 'acknowledged', acted_by: actor.username })
      .where('region_code', '=', region)
      .where('message_id', '=', p.messageId)
      .execute();
    ctx.changes.push({ entity: 'transferIn', key: p.messageId, before: row.state, after: 'acknowledged' });
    return { messageId: p.messageId, state: 'acknowledged' };
  },
});

/**
 * 退回: only while the whole amount is still unallocated here. Books the receipt back (借 2001 /
 * 贷 1002) and leaves the return for the relay to carry up.
 */
export const returnTransferHandler = defineHandler({
  def: returnTransfer,
  async handle(ctx) {
    const { trx, region, year, payload: p, actor } = ctx;
    const row = await mustLockIncoming(trx, region, p.messageId);
    if (row.state === 'returned')
      throw new FiscusError('STATE_INVALID', {
        entity: '转移支付 transfer',
        key: p.messageId,
        state: receivedState.returned,
        action: '退回 return',
      });
    if (row.offset_by || (row.message as { offsetsMessageId?: string }).offsetsMessageId)
      throw new FiscusError('STATE_INVALID', {
        entity: '转移支付 transfer',
        key: p.messageId,
        state: '已核销 part of an offset',
        action: '退回 return',
      });
    const ind = (await loadIndicators(trx, region, year, [row.indicator_id])).get(row.indicator_id);
    if (!ind) throw new FiscusError('NOT_FOUND', { entity: '指标 indicator', key: row.indicator_id });
    // 追减 of the received amount from 1002: refused by the engine when part of it was used.
    const entryIds = await postScenarios(ctx, [
      {
        scenario: 'adjust',
        year,
        amount: -row.amount_fen,
        target: ind.elements,
        pool: 'unallocated',
        source: '1002',
      },
    ]);
    await trx
      .updateTable('indicators.transfer_in')
      .set({ state: 'returned', acted_by: actor.username, reason: p.reason })
      .where('region_code', '=', region)
      .where('message_id', '=', p.messageId)
      .execute();
    ctx.changes.push({ entity: 'transferIn', key: p.messageId, before: row.state, after: 'returned' });
    return { messageId: p.messageId, state: 'returned', entryIds };
  },
});

/** The upper level books a return: its issuing entry is reversed, the source indicator restored. */
export const receiveReturnHandler = defineHandler({
  def: receiveReturn,
  async handle(ctx) {
    const { trx, region, payload: p } = ctx;
    const row = await lockOutgoing(trx, region, p.messageId);
    if (!row) throw new FiscusError('NOT_FOUND', { entity: '转移支付 transfer', key: p.messageId });
    if (row.to_region !== p.returnedBy)
      throw new FiscusError('VALIDATION_FAILED', {
        detail: `消息接收方为 ${row.to_region} the message went to ${row.to_region}`,
      });
    if (row.state === 'returned') return { messageId: p.messageId, state: 'returned', duplicate: true };
    const entryIds =
      row.entry_id === null ? [] : await reverseEntryFor({ ...ctx, year: row.fiscal_year }, row.entry_id);
    await trx
      .updateTable('indicators.transfer_out')
      .set({ state: 'returned', last_error: p.reason })
      .where('region_code', '=', region)
      .where('message_id', '=', p.messageId)
      .execute();
    ctx.changes.push({ entity: 'transferOut', key: p.messageId, before: row.state, after: 'returned' });
    return { messageId: p.messageId, state: 'returned', entryIds, duplicate: false };
  },
});

export const markDeliveredHandler = defineHandler({
  def: markDelivered,
  async handle(ctx) {
    const { trx, region, payload: p, now } = ctx;
    const row = await lockOutgoing(trx, region, p.messageId);
    if (!row) throw new FiscusError('NOT_FOUND', { entity: '转移支付 transfer', key: p.messageId });
    // Already delivered (or returned): a late report of a retry changes nothing.
    if (row.state !== 'pending') return { messageId: p.messageId, state: row.state };
    await trx
      .updateTable('indicators.transfer_out')
      .set(
        p.delivered
          ? { state: 'delivered', delivered_at: now, attempts: row.attempts + 1, last_error: null }
          : { attempts: row.attempts + 1, last_error: p.error ?? null },
      )
      .where('region_code', '=', region)
      .where('message_id', '=', p.messageId)
      .execute();
    const state = p.delivered ? 'delivered' : 'pending';
    ctx.changes.push({ entity: 'transferOut', key: p.messageId, before: row.state, after: state });
    return { messageId: p.messageId, state };
  },
});

export const markReturnDeliveredHandler = defineHandler({
  def: markReturnDelivered,
  async handle(ctx) {
    const { trx, region, payload: p, now } = ctx;
    const row = await mustLockIncoming(trx, region, p.messageId);
    if (row.state !== 'returned')
      throw new FiscusError('STATE_INVALID', {
        entity: '转移支付 transfer',
        key: p.messageId,
        state: receivedState[row.state],
        action: '记录退回送达 record the return as delivered',
      });
    if (!row.return_delivered_at)
      await trx
        .updateTable('indicators.transfer_in')
        .set({ return_delivered_at: now })
        .where('region_code', '=', region)
        .where('message_id', '=', p.messageId)
        .execute();
    return { messageId: p.messageId, returnDelivered: true };
  },
});

export const transferHandlers = [
  markDeliveredHandler,
  markReturnDeliveredHandler,
  receiveTransferHandler,
  acknowledgeTransferHandler,
  returnTransferHandler,
  receiveReturnHandler,
];
