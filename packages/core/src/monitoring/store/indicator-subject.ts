import { type Kysely, sql } from 'kysely';
import { amountLateral } from '../../indicators/queries';
import type { DB } from '../../platform/db/schema';
import type { PaymentSubject } from '../domain/subject';
import { CARD_MANDATORY_ECO, sanGongOf } from './subject';

interface Row {
  indicator_id: string;
  agency_code: string;
  elements: { flags?: Record<string, boolean> };
  fund_type_code: string;
  exp_func_code: string | null;
  dep_eco_code: string | null;
  gov_eco_code: string | null;
  direct_reach: boolean;
  available_fen: bigint | null;
  frozen_fen: bigint | null;
  in_use_fen: bigint | null;
  paid_fen: bigint | null;
}

/**
 * The subjects of a scheduled run: one per executable indicator of a unit, with the indicator's
 * amount (total) and use (in use + paid) from the ledger. The payment part is neutral — no payee,
 * no amount — because a scheduled rule judges the indicator, not a payment.
 */
export async function indicatorSubjects(
  db: Kysely<DB>,
  at: { region: string; year: number; on: string },
): Promise<PaymentSubject[]> {
  const r = await sql<Row>`
    select i.indicator_id, i.agency_code, i.elements, i.fund_type_code, i.exp_func_code, i.dep_eco_code,
      i.gov_eco_code, i.direct_reach, a.available_fen, a.frozen_fen, a.in_use_fen, a.paid_fen
    from indicators.indicator i
    ${amountLateral}
    where i.region_code = ${at.region} and i.fiscal_year = ${at.year} and i.pool = 'executable'
      and i.agency_code is not null
    order by i.indicator_id`.execute(db);
  return r.rows.map((x) => {
    const flags = x.elements.flags ?? {};
    const inUse = BigInt(x.in_use_fen ?? 0n);
    const paid = BigInt(x.paid_fen ?? 0n);
    const eco = x.dep_eco_code ?? '';
    return {
      region: at.region,
      year: at.year,
      on: at.on,
      time: '00:00',
      applicationId: '',
      agencyCode: x.agency_code,
      payType: 'direct',
      amountFen: 0n,
      purpose: '',
      settlementMode: 'other',
      contractNo: null,
      procurement: Boolean(flags.govProcurement),
      viaPayroll: false,
      payee: { name: '', accountNo: '', accountKind: 'corporate', bankCode: '', isFirstTime: false },
      payer: { accountKind: 'zeroBalance' },
      indicator: {
        id: x.indicator_id,
        fundTypeCode: x.fund_type_code,
        expFuncCode: x.exp_func_code ?? '',
        depEcoCode: eco,
        govEcoCode: x.gov_eco_code ?? '',
        isDirectReach: x.direct_reach || Boolean(flags.directReach),
        sanGong: sanGongOf(Boolean(flags.sanGong), x.dep_eco_code),
        officialCardMandatory: CARD_MANDATORY_ECO.some((c) => eco.startsWith(c)),
        amountFen: BigInt(x.available_fen ?? 0n) + BigInt(x.frozen_fen ?? 0n) + inUse + paid,
        usedFen: inUse + paid,
      },
      details: [],
      beneficiaries: [],
    } satisfies PaymentSubject;
  });
}
