import type { Fen } from '../../kernel/money';
import type { ExpressionSchema } from './checker';
import { T, type Type, type Value } from './types';

/** 账户性质 as the monitoring rules see it. */
export type PayeeAccountKind = 'personal' | 'corporate' | 'ownUnit' | 'zeroBalance' | 'special' | 'township';

/** 结算方式, reduced to what rules distinguish; the caller maps code-set codes (001900 公务卡 → officialCard …). */
export type SettlementKind = 'transfer' | 'cash' | 'officialCard' | 'check' | 'collection' | 'other';

/** 三公经费 category of the indicator, '' when it is not a 三公 indicator. */
export type SanGong = '' | 'reception' | 'vehicle' | 'travel';

/** 惠企利民 beneficiary line of a direct-reach payment. */
export interface Beneficiary {
  kind: 'person' | 'enterprise';
  name: string;
  /** 身份证号 or 统一社会信用代码. */
  idNo: string;
  amountFen: Fen;
}

/** 监控对象: everything one monitoring run may read about one payment (or, for scheduled rules, one indicator). */
export interface PaymentSubject {
  region: string;
  year: number;
  /** Business date YYYY-MM-DD. */
  on: string;
  /** Local time HH:MM of submission/approval. */
  time: string;
  applicationId: string;
  agencyCode: string;
  payType: 'direct' | 'authorized' | 'allocation';
  amountFen: Fen;
  purpose: string;
  settlementMode: SettlementKind;
  contractNo: string | null;
  /** 政府采购 payment. */
  procurement: boolean;
  /** Paid through the payroll run (工资统发), not as a single payment. */
  viaPayroll: boolean;
  payee: {
    name: string;
    accountNo: string;
    accountKind: PayeeAccountKind;
    bankCode: string;
    isFirstTime: boolean;
  };
  payer: { accountKind: PayeeAccountKind };
  indicator: {
    id: string;
    fundTypeCode: string;
    expFuncCode: string;
    depEcoCode: string;
    govEcoCode: string;
    isDirectReach: boolean;
    sanGong: SanGong;
    officialCardMandatory: boolean;
    amountFen: Fen;
    usedFen: Fen;
  };
  details: { depEcoCode: string; amountFen: Fen; isCash?: boolean }[];
  beneficiaries: Beneficiary[];
}

/** A rule parameter: a threshold, a number of days, a code or a list of codes. Money is bigint fen. */
export type RuleParam = number | Fen | string | boolean | readonly string[];

export function paramType(p: RuleParam): Type {
  if (typeof p === 'bigint') return T.money;
  if (typeof p === 'number') return T.number;
  if (typeof p === 'string') return T.string;
  if (typeof p === 'boolean') return T.boolean;
  return T.list(T.string);
}

const paymentType = T.record({
  region: T.string,
  year: T.number,
  on: T.string,
  month: T.number,
  day: T.number,
  time: T.string,
  applicationId: T.string,
  agencyCode: T.string,
  payType: T.string,
  amount: T.money,
  purpose: T.string,
  settlementMode: T.string,
  contractNo: T.nullableString,
  procurement: T.boolean,
  viaPayroll: T.boolean,
});
const payeeType = T.record({
  name: T.string,
  accountNo: T.string,
  accountKind: T.string,
  bankCode: T.string,
  isFirstTime: T.boolean,
});
const payerType = T.record({ accountKind: T.string });
const indicatorType = T.record({
  id: T.string,
  fundTypeCode: T.string,
  expFuncCode: T.string,
  depEcoCode: T.string,
  govEcoCode: T.string,
  isDirectReach: T.boolean,
  sanGong: T.string,
  officialCardMandatory: T.boolean,
  amount: T.money,
  used: T.money,
});
const detailType = T.record({ depEcoCode: T.string, amount: T.money, isCash: T.boolean });
const beneficiaryType = T.record({ kind: T.string, name: T.string, idNo: T.string, amount: T.money });

/**
 * The names a rule condition can read. Money fields drop the `Fen` suffix (`payment.amount`): the
 * language's money type already says what they are. `payment.month`/`day` are derived from `on`.
 */
export function subjectSchema(params: Readonly<Record<string, RuleParam>> = {}): ExpressionSchema {
  const paramFields: Record<string, Type> = {};
  for (const [k, v] of Object.entries(params)) paramFields[k] = paramType(v);
  return {
    roots: new Map<string, Type>([
      ['payment', paymentType],
      ['payee', payeeType],
      ['payer', payerType],
      ['indicator', indicatorType],
      ['details', T.list(detailType)],
      ['beneficiaries', T.list(beneficiaryType)],
      ['params', T.record(paramFields)],
    ]),
  };
}

const rec = (o: Record<string, Value>): Value => new Map(Object.entries(o));

/** The run-time values matching {@link subjectSchema}. */
export function subjectEnv(
  s: PaymentSubject,
  params: Readonly<Record<string, RuleParam>> = {},
): ReadonlyMap<string, Value> {
  const paramValues: Record<string, Value> = {};
  for (const [k, v] of Object.entries(params)) paramValues[k] = typeof v === 'object' ? [...v] : v;
  return new Map<string, Value>([
    [
      'payment',
      rec({
        region: s.region,
        year: s.year,
        on: s.on,
        month: Number(s.on.slice(5, 7)),
        day: Number(s.on.slice(8, 10)),
        time: s.time,
        applicationId: s.applicationId,
        agencyCode: s.agencyCode,
        payType: s.payType,
        amount: s.amountFen,
        purpose: s.purpose,
        settlementMode: s.settlementMode,
        contractNo: s.contractNo,
        procurement: s.procurement,
        viaPayroll: s.viaPayroll,
      }),
    ],
    ['payee', rec({ ...s.payee })],
    ['payer', rec({ ...s.payer })],
    [
      'indicator',
      rec({
        id: s.indicator.id,
        fundTypeCode: s.indicator.fundTypeCode,
        expFuncCode: s.indicator.expFuncCode,
        depEcoCode: s.indicator.depEcoCode,
        govEcoCode: s.indicator.govEcoCode,
        isDirectReach: s.indicator.isDirectReach,
        sanGong: s.indicator.sanGong,
        officialCardMandatory: s.indicator.officialCardMandatory,
        amount: s.indicator.amountFen,
        used: s.indicator.usedFen,
      }),
    ],
    [
      'details',
      s.details.map((d) => rec({ depEcoCode: d.depEcoCode, amount: d.amountFen, isCash: d.isCash ?? false })),
    ],
    [
      'beneficiaries',
      s.beneficiaries.map((b) => rec({ kind: b.kind, name: b.name, idNo: b.idNo, amount: b.amountFen })),
    ],
    ['params', rec(paramValues)],
  ]);
}
