import { type Kysely, sql } from 'kysely';
import { amountLateral } from '../../indicators/queries';
import { parseYuan } from '../../kernel/money';
import type { DB } from '../../platform/db/schema';
import type {
  Beneficiary,
  PayeeAccountKind,
  PaymentSubject,
  SanGong,
  SettlementKind,
} from '../domain/subject';

/**
 * [R] 公务卡强制结算目录 by departmental economic class (办公费, 印刷费, 差旅费, 会议费, 培训费, 公务接待费 …);
 * a region narrows or widens it through the OFFICIAL_CARD_MANDATORY rule's `cardEcoCodes`.
 */
export const CARD_MANDATORY_ECO = ['30201', '30202', '30211', '30215', '30216', '30217'];

/** [R] 三公经费 by departmental economic class. */
export function sanGongOf(flag: boolean, eco: string | null): SanGong {
  if (!flag || eco === null) return '';
  if (eco.startsWith('30212')) return 'travel';
  if (eco.startsWith('30231') || eco.startsWith('31013')) return 'vehicle';
  return 'reception';
}

/**
 * 结算方式 reduced to what rules distinguish, by the code item's name so that a region's own
 * codes (e.g. a 现金 item it adds) map without configuration [R].
 */
export function settlementKind(code: string, name: string | null): SettlementKind {
  const n = name ?? '';
  if (n.includes('现金') || n.includes('提现')) return 'cash';
  if (n.includes('公务卡') || code === '001900') return 'officialCard';
  if (n.includes('支票')) return 'check';
  if (n.includes('托收') || code.startsWith('001003')) return 'collection';
  if (n.includes('正常支付') || n.includes('转账')) return 'transfer';
  return 'other';
}

/** Which payee account kind a registered account is, seen from the paying agency. */
function accountKindOf(
  registered: { kind: string; agency_code: string | null; agency_name: string | null } | null,
  payeeKind: string | null,
  payingAgency: string,
): PayeeAccountKind {
  if (registered) {
    switch (registered.kind) {
      case 'financeZeroBalance':
      case 'unitZeroBalance':
        return 'zeroBalance';
      case 'fiscalSpecial':
      case 'treasurySingle':
        return 'special';
      case 'unitOwn':
        // Own money of this unit, or of a township (乡镇) government or street office [R: by name].
        if (registered.agency_code === payingAgency) return 'ownUnit';
        return /(乡|镇)人民政府$|街道办事处$|乡镇/.test(registered.agency_name ?? '')
          ? 'township'
          : 'corporate';
    }
  }
  return payeeKind === 'person' ? 'personal' : 'corporate';
}

interface Row {
  application_id: string;
  agency_code: string;
  pay_type: 'direct' | 'authorized' | 'allocation';
  amount_fen: bigint;
  purpose: string;
  settlement_mode: string;
  settlement_name: string | null;
  contract_no: string | null;
  payee: { name: string; accountNo: string; bankNo: string | null; kind?: string; payeeCode: string | null };
  registry_kind: string | null;
  payee_account_kind: 'payroll' | 'other';
  beneficiaries: { kind?: 'person' | 'enterprise'; name: string; idNo: string; amount: string }[];
  state: string;
  indicator_id: string;
  elements: { flags?: Record<string, boolean> };
  fund_type_code: string;
  exp_func_code: string | null;
  dep_eco_code: string | null;
  gov_eco_code: string | null;
  direct_reach: boolean;
  account_kind: string | null;
  account_agency: string | null;
  account_agency_name: string | null;
  available_fen: bigint | null;
  frozen_fen: bigint | null;
  in_use_fen: bigint | null;
  paid_fen: bigint | null;
}

/** Local wall-clock HH:MM in China (the business day runs on Beijing time). */
export function beijingTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(11, 16);
}

/**
 * Everything the rules may read about one application, in one statement: the application, its
 * indicator with amounts, the payee account as registered, the settlement mode's name. The
 * single-row lookups (settlement name, payee registry, the account's agency) are scalar
 * subqueries rather than joins: the same rows (each matches at most one by its key), but the
 * planner has no join order to search, which was most of this statement's cost on every approval.
 */
export async function paymentSubject(
  db: Kysely<DB>,
  at: { region: string; year: number; on: string; now: Date },
  applicationId: string,
): Promise<{ subject: PaymentSubject; settlementMode: string } | null> {
  const r = await sql<Row>`
    select p.application_id, p.agency_code, p.pay_type, p.amount_fen, p.purpose, p.settlement_mode,
      (select sm.name from basedata.code_item sm where sm.region_code = p.region_code
        and sm.fiscal_year = p.fiscal_year and sm.set_code = 'settlementMode' and sm.code = p.settlement_mode
      ) as settlement_name,
      p.contract_no, p.payee,
      (select py.kind from basedata.payee py where py.region_code = p.region_code
        and py.code = p.payee->>'payeeCode') as registry_kind,
      p.payee_account_kind, p.beneficiaries, p.state, i.indicator_id, i.elements, i.fund_type_code,
      i.exp_func_code, i.dep_eco_code, i.gov_eco_code, i.direct_reach, ba.kind as account_kind,
      ba.agency_code as account_agency,
      (select ag.name from basedata.agency ag where ag.region_code = p.region_code
        and ag.fiscal_year = p.fiscal_year and ag.code = ba.agency_code) as account_agency_name,
      a.available_fen, a.frozen_fen, a.in_use_fen, a.paid_fen
    from payments.application p
    join indicators.indicator i on i.region_code = p.region_code and i.fiscal_year = p.fiscal_year
      and i.indicator_id = p.indicator_id
    left join basedata.bank_account ba on ba.region_code = p.region_code and ba.account_no = p.payee->>'accountNo'
    ${amountLateral}
    where p.region_code = ${at.region} and p.fiscal_year = ${at.year} and p.application_id = ${applicationId}`.execute(
    db,
  );
  const x = r.rows[0];
  if (!x) return null;
  const flags = x.elements.flags ?? {};
  const total =
    BigInt(x.available_fen ?? 0n) +
    BigInt(x.frozen_fen ?? 0n) +
    BigInt(x.in_use_fen ?? 0n) +
    BigInt(x.paid_fen ?? 0n);
  // Spent besides this application: once submitted, its own reservation is part of "in use".
  const reserved = ['submitted', 'unitApproved', 'approved', 'held'].includes(x.state) ? x.amount_fen : 0n;
  const used = BigInt(x.in_use_fen ?? 0n) + BigInt(x.paid_fen ?? 0n) - reserved;
  const kind = settlementKind(x.settlement_mode, x.settlement_name);
  const beneficiaries: Beneficiary[] = x.beneficiaries.map((b) => ({
    kind: b.kind ?? 'person',
    name: b.name,
    idNo: b.idNo,
    amountFen: parseYuan(b.amount),
  }));
  const eco = x.dep_eco_code ?? '';
  const subject: PaymentSubject = {
    region: at.region,
    year: at.year,
    on: at.on,
    time: beijingTime(at.now),
    applicationId: x.application_id,
    agencyCode: x.agency_code,
    payType: x.pay_type,
    amountFen: x.amount_fen,
    purpose: x.purpose,
    settlementMode: kind,
    contractNo: x.contract_no,
    procurement: Boolean(flags.govProcurement),
    viaPayroll: x.payee_account_kind === 'payroll',
    payee: {
      name: x.payee.name,
      accountNo: x.payee.accountNo,
      accountKind: accountKindOf(
        x.account_kind
          ? { kind: x.account_kind, agency_code: x.account_agency, agency_name: x.account_agency_name }
          : null,
        x.registry_kind ?? x.payee.kind ?? null,
        x.agency_code,
      ),
      bankCode: (x.payee.bankNo ?? '').slice(0, 3),
      // Not in the payee registry: entered by hand on this application.
      isFirstTime: x.payee.payeeCode === null || x.payee.payeeCode === undefined,
    },
    // 实拨 leaves the treasury single account; direct and authorized payments the zero-balance accounts.
    payer: { accountKind: x.pay_type === 'allocation' ? 'special' : 'zeroBalance' },
    indicator: {
      id: x.indicator_id,
      fundTypeCode: x.fund_type_code,
      expFuncCode: x.exp_func_code ?? '',
      depEcoCode: eco,
      govEcoCode: x.gov_eco_code ?? '',
      isDirectReach: x.direct_reach || Boolean(flags.directReach),
      sanGong: sanGongOf(Boolean(flags.sanGong), x.dep_eco_code),
      officialCardMandatory: CARD_MANDATORY_ECO.some((c) => eco.startsWith(c)),
      amountFen: total,
      usedFen: used,
    },
    details: [{ depEcoCode: eco, amountFen: x.amount_fen, isCash: kind === 'cash' }],
    beneficiaries,
  };
  return { subject, settlementMode: x.settlement_mode };
}
