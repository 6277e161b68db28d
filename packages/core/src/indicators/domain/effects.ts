import { type DocumentBody, fundingSources } from '@fiscus/contracts';
import { FiscusError } from '../../kernel/errors';
import { formatYuan, parseYuan } from '../../kernel/money';
import type { Elements } from '../../ledger/domain/elements';
import type { Pool, ScenarioInput, SourceAccount } from '../../ledger/domain/scenarios';
import { toElements } from '../../ledger/wire';

/** An indicator: an element set with an id, in one pool, with where it came from. */
export interface Indicator {
  id: string;
  pool: Pool;
  /** Ledger elements; `indicatorId` is `id`. */
  elements: Elements;
  originIndicatorId: string | null;
  originKind: 'approve' | 'allocate' | 'transfer' | 'receipt' | 'advanceReceipt' | 'carryForward';
}

/** What an indicator has, as the ledger says (normal balances of its pool's accounts, in fen). */
export interface Standing {
  available: bigint;
  frozen: bigint;
}

/** A transfer to a lower level, before the ids and envelope of the message are added. */
export interface OutgoingTransfer {
  toRegion: string;
  /** What moves now (for a 核销, the difference formal − advance). */
  amount: bigint;
  /** The index in `scenarios` of the entry that books it, or null when nothing moves. */
  scenarioIndex: number | null;
  /** 核销: the advance message offset, and the formal amount. */
  offsets: { messageId: string; grossAmount: bigint } | null;
  sourceIndicatorId: string;
  /** What the lower level books: no agency, project or id of ours; our 文号 as its 上级文号. */
  elements: Elements;
}

export interface DocumentEffect {
  newIndicators: Indicator[];
  scenarios: ScenarioInput[];
  transfers: OutgoingTransfer[];
}

export interface EffectInput {
  region: string;
  year: number;
  docId: string;
  docNo: string;
  body: DocumentBody;
  /** The existing indicators the body names. */
  indicators: ReadonlyMap<string, Indicator>;
  standing: ReadonlyMap<string, Standing>;
  /** Direct lower regions of `region`. */
  children: ReadonlySet<string>;
  /** 提前下达 messages of this region-year that issue lines offset, by message id. */
  advances?: ReadonlyMap<
    string,
    { toRegion: string; amount: bigint; offsetBy: string | null; state: string }
  >;
}

const poolNames: Record<Pool, string> = { executable: '可执行 executable', unallocated: '待分 unallocated' };

/** Indicator ids a body refers to (that must exist), for the store to load. */
export function referencedIndicators(body: DocumentBody): string[] {
  switch (body.docType) {
    case 'approve':
      return [];
    case 'allocate':
    case 'issue':
    case 'advanceIssue':
      return [body.fromIndicatorId];
    case 'adjust':
    case 'freeze':
    case 'unfreeze':
      return body.lines.map((l) => l.indicatorId);
    case 'transfer':
      return body.lines.flatMap((l) => [
        l.fromIndicatorId,
        ...(l.toIndicatorId && !l.toElements ? [l.toIndicatorId] : []),
      ]);
    case 'recall':
      return body.lines.flatMap((l) => [
        l.indicatorId,
        ...(l.toPoolIndicatorId ? [l.toPoolIndicatorId] : []),
      ]);
  }
}

/** Indicator ids a body creates (that must not exist yet). */
export function createdIndicatorIds(docId: string, body: DocumentBody): string[] {
  switch (body.docType) {
    case 'approve':
    case 'allocate':
      return body.lines.map((l, i) => l.indicatorId ?? newId(docId, i));
    case 'transfer':
      return body.lines.flatMap((l, i) => (l.toElements ? [l.toIndicatorId ?? newId(docId, i)] : []));
    default:
      return [];
  }
}

/** New indicators are named after the document and line: traceable, and the same on a retry. */
export const newId = (docId: string, lineIndex: number) =>
  `${docId}-${String(lineIndex + 1).padStart(3, '0')}`;

/** Σ of the document's line amounts (fen), for lists; percent lines count as 0 until approval. */
export function documentAmount(body: DocumentBody): bigint {
  let t = 0n;
  for (const l of body.lines) if ('amount' in l && typeof l.amount === 'string') t += parseYuan(l.amount);
  return t;
}

/**
 * The ledger effect of an approved document: the indicators it creates, the scenarios it posts
 * and the transfers it sends down. Refuses what the document cannot do with the balances as they
 * are (the engine's control rules check again when the entries post).
 */
export function documentEffect(input: EffectInput): DocumentEffect {
  const { body, year, docId, docNo } = input;
  const out: DocumentEffect = { newIndicators: [], scenarios: [], transfers: [] };
  const left = new Map<string, bigint>();
  const frozenLeft = new Map<string, bigint>();
  const existing = (id: string): Indicator => {
    const found = input.indicators.get(id);
    if (!found) throw new FiscusError('NOT_FOUND', { entity: '指标 indicator', key: id });
    return found;
  };
  const take = (ind: Indicator, amount: bigint) => {
    const have = left.get(ind.id) ?? input.standing.get(ind.id)?.available ?? 0n;
    if (amount > have)
      throw new FiscusError('AMOUNT_EXCEEDS_AVAILABLE', {
        indicator: ind.id,
        available: formatYuan(have),
        amount: formatYuan(amount),
      });
    left.set(ind.id, have - amount);
  };
  /** 核销: the advance must be ours, to that region, not offset before, and not larger than the formal issue. */
  const offsetOf = (messageId: string, region: string, gross: bigint) => {
    const adv = input.advances?.get(messageId);
    if (!adv) throw new FiscusError('NOT_FOUND', { entity: '提前下达 advance issue', key: messageId });
    if (adv.toRegion !== region || adv.state === 'returned' || adv.offsetBy)
      throw new FiscusError('STATE_INVALID', {
        entity: '提前下达 advance issue',
        key: messageId,
        state: adv.offsetBy ? `已核销 offset by ${adv.offsetBy}` : `${adv.state} → ${adv.toRegion}`,
        action: `核销 offset for ${region}`,
      });
    if (gross < adv.amount)
      throw new FiscusError('VALIDATION_FAILED', {
        detail: `正式下达 ${formatYuan(gross)} 小于提前下达 ${formatYuan(adv.amount)}，请先收回差额 the formal issue is below the advance`,
      });
    return { messageId, advance: adv.amount };
  };
  const needPool = (ind: Indicator, pool: Pool, action: string) => {
    if (ind.pool !== pool)
      throw new FiscusError('INDICATOR_POOL_INVALID', {
        indicator: ind.id,
        pool: poolNames[ind.pool],
        action,
      });
  };
  const sameFund = (from: Elements, to: Elements) => {
    if (from.fundTypeCode !== to.fundTypeCode)
      throw new FiscusError('FUND_TYPE_MISMATCH', { from: from.fundTypeCode, to: to.fundTypeCode });
  };
  const create = (
    id: string,
    pool: Pool,
    e: Elements,
    origin: Indicator | null,
    kind: Indicator['originKind'],
  ): Indicator => {
    const ind: Indicator = {
      id,
      pool,
      elements: { ...e, indicatorId: id, originIndicatorId: origin?.id ?? null, docNo: e.docNo ?? docNo },
      originIndicatorId: origin?.id ?? null,
      originKind: kind,
    };
    out.newIndicators.push(ind);
    return ind;
  };

  switch (body.docType) {
    case 'approve':
      body.lines.forEach((l, i) => {
        const e = toElements({ ...l.elements, sourceTypeCode: l.elements.sourceTypeCode ?? '1' });
        const ind = create(l.indicatorId ?? newId(docId, i), l.pool, e, null, 'approve');
        out.scenarios.push({
          scenario: 'approve',
          year,
          amount: parseYuan(l.amount),
          to: ind.elements,
          pool: l.pool,
          source: l.source,
        });
      });
      break;
    case 'allocate': {
      const from = existing(body.fromIndicatorId);
      needPool(from, 'unallocated', '分配 allocate');
      body.lines.forEach((l, i) => {
        const amount = parseYuan(l.amount);
        const e = toElements({
          ...l.elements,
          sourceTypeCode: l.elements.sourceTypeCode ?? from.elements.sourceTypeCode,
        });
        sameFund(from.elements, e);
        take(from, amount);
        const to = create(l.indicatorId ?? newId(docId, i), 'executable', e, from, 'allocate');
        out.scenarios.push({ scenario: 'allocate', year, amount, from: from.elements, to: to.elements });
      });
      break;
    }
    case 'issue':
    case 'advanceIssue': {
      const from = existing(body.fromIndicatorId);
      for (const l of body.lines) {
        if (!input.children.has(l.region))
          throw new FiscusError('REGION_NOT_CHILD', { region: l.region, issuer: input.region });
        const gross = parseYuan(l.amount);
        const offsets = l.offsetsAdvance ? offsetOf(l.offsetsAdvance, l.region, gross) : null;
        const amount = offsets ? gross - offsets.advance : gross;
        take(from, amount);
        const scenarioIndex = amount > 0n ? out.scenarios.length : null;
        if (amount > 0n)
          out.scenarios.push({
            scenario: 'issueToLower',
            year,
            amount,
            from: from.elements,
            pool: from.pool,
            receivingRegion: l.region,
          });
        out.transfers.push({
          toRegion: l.region,
          amount,
          scenarioIndex,
          offsets: offsets ? { messageId: offsets.messageId, grossAmount: gross } : null,
          sourceIndicatorId: from.id,
          elements: {
            ...from.elements,
            indicatorId: null,
            originIndicatorId: null,
            agencyCode: null,
            deptCode: null,
            projectCode: null,
            manageDivCode: null,
            receivingRegion: null,
            docNo: null,
            supDocNo: docNo,
            tpFuncCode: l.tpFuncCode ?? from.elements.tpFuncCode ?? from.elements.expFuncCode,
            sourceTypeCode: body.docType === 'advanceIssue' ? '5' : '2',
          },
        });
      }
      break;
    }
    case 'adjust':
      for (const l of body.lines) {
        const ind = existing(l.indicatorId);
        const amount = parseYuan(l.amount);
        if (l.direction === 'decrease') take(ind, amount);
        out.scenarios.push({
          scenario: 'adjust',
          year,
          amount: l.direction === 'increase' ? amount : -amount,
          target: ind.elements,
          pool: ind.pool,
          source: fundingSources[l.fundingSource] as SourceAccount,
        });
      }
      break;
    case 'transfer':
      body.lines.forEach((l, i) => {
        const from = existing(l.fromIndicatorId);
        needPool(from, 'executable', '调剂 transfer');
        const amount = parseYuan(l.amount);
        let to: Indicator;
        if (l.toElements) {
          const e = toElements(l.toElements);
          sameFund(from.elements, e);
          to = create(l.toIndicatorId ?? newId(docId, i), 'executable', e, from, 'transfer');
        } else {
          if (!l.toIndicatorId)
            throw new FiscusError('VALIDATION_FAILED', {
              detail: '调剂须指定目标指标或目标要素 a target is needed',
            });
          to = existing(l.toIndicatorId);
          needPool(to, 'executable', '调入 receive a transfer');
          sameFund(from.elements, to.elements);
          if (to.id === from.id)
            throw new FiscusError('VALIDATION_FAILED', {
              detail: '调出与调入指标相同 from and to are the same',
            });
        }
        take(from, amount);
        left.set(to.id, (left.get(to.id) ?? input.standing.get(to.id)?.available ?? 0n) + amount);
        out.scenarios.push({ scenario: 'transfer', year, amount, from: from.elements, to: to.elements });
      });
      break;
    case 'freeze':
    case 'unfreeze':
      for (const l of body.lines) {
        const ind = existing(l.indicatorId);
        const st = input.standing.get(ind.id) ?? { available: 0n, frozen: 0n };
        if (body.docType === 'freeze') {
          const base = left.get(ind.id) ?? st.available;
          const amount = l.amount !== undefined ? parseYuan(l.amount) : share(base, l.percent!);
          take(ind, amount);
          frozenLeft.set(ind.id, (frozenLeft.get(ind.id) ?? st.frozen) + amount);
          if (amount > 0n)
            out.scenarios.push({ scenario: 'freeze', year, amount, target: ind.elements, pool: ind.pool });
        } else {
          const base = frozenLeft.get(ind.id) ?? st.frozen;
          const amount = l.amount !== undefined ? parseYuan(l.amount) : share(base, l.percent!);
          if (amount > base)
            throw new FiscusError('AMOUNT_EXCEEDS_AVAILABLE', {
              indicator: `${ind.id}（冻结 frozen）`,
              available: formatYuan(base),
              amount: formatYuan(amount),
            });
          frozenLeft.set(ind.id, base - amount);
          left.set(ind.id, (left.get(ind.id) ?? st.available) + amount);
          if (amount > 0n)
            out.scenarios.push({ scenario: 'unfreeze', year, amount, target: ind.elements, pool: ind.pool });
        }
      }
      break;
    case 'recall':
      for (const l of body.lines) {
        const from = existing(l.indicatorId);
        needPool(from, 'executable', '收回 recall');
        const amount =
          l.amount !== undefined
            ? parseYuan(l.amount)
            : (left.get(from.id) ?? input.standing.get(from.id)?.available ?? 0n);
        if (amount <= 0n)
          throw new FiscusError('AMOUNT_EXCEEDS_AVAILABLE', {
            indicator: from.id,
            available: '0.00',
            amount: formatYuan(amount),
          });
        take(from, amount);
        let to = from.elements;
        if (l.toPoolIndicatorId) {
          const pool = existing(l.toPoolIndicatorId);
          needPool(pool, 'unallocated', '接收收回 take a recall');
          sameFund(from.elements, pool.elements);
          to = pool.elements;
        }
        out.scenarios.push({
          scenario: 'recall',
          year,
          amount,
          from: from.elements,
          to,
          retire: !l.toPoolIndicatorId,
        });
      }
      break;
  }
  return out;
}

/** percent% of an amount, rounded down to the fen (never freezes more than asked). */
export function share(amount: bigint, percent: number): bigint {
  const basisPoints = BigInt(Math.round(percent * 100));
  return (amount * basisPoints) / 10_000n;
}
