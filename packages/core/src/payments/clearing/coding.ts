import type { Kysely } from 'kysely';
import type { FieldValue } from '../../exchange/voucher/layout';
import type { Voucher, VoucherFields } from '../../exchange/voucher/model';
import type { Elements } from '../../ledger/domain/elements';
import type { DB } from '../../platform/db/schema';

/**
 * The coding a clearing amount is broken down by (DOMAIN.md §4.6 5106/5108 details): 一级单位 ×
 * 功能科目 × 收支管理, extended by 单位, 经济分类, 项目, 资金性质 — and the agent bank that pays it.
 */
export interface Coding {
  supDepCode: string | null;
  supDepName: string | null;
  agencyCode: string | null;
  agencyName: string | null;
  expFuncCode: string | null;
  expFuncName: string | null;
  expEcoCode: string | null;
  depProCode: string | null;
  fundTypeCode: string | null;
  fundTypeName: string | null;
  /** 单位零余额账户 of an authorized payment. */
  agencyAccoCode: string | null;
  payBankCode: string;
  payBankName: string | null;
  clearBankCode: string | null;
  clearBankName: string | null;
}

const text = (v: FieldValue | undefined): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The coding of a signed 5201 / 8202 as it says it. */
export function codingOfVoucher(v: Voucher): Coding {
  const h = v.header;
  return {
    supDepCode: text(h.SupDepCode),
    supDepName: text(h.SupDepName),
    agencyCode: text(h.AgencyCode),
    agencyName: text(h.AgencyName),
    expFuncCode: text(h.ExpFuncCode),
    expFuncName: text(h.ExpFuncName),
    expEcoCode: text(h.ExpEcoCode),
    depProCode: text(h.DepProCode),
    fundTypeCode: text(h.FundTypeCode),
    fundTypeName: text(h.FundTypeName),
    agencyAccoCode: text(h.VtCode) === '8202' ? text(h.PayAcctNo) : null,
    payBankCode: text(h.PayBankCode) ?? '',
    payBankName: text(h.PayBankName),
    clearBankCode: text(h.ClearBankCode),
    clearBankName: text(h.ClearBankName),
  };
}

/** The coding of an indicator (names from the year's code sets and agencies), the bank kept. */
export async function codingOfIndicator(
  db: Kysely<DB>,
  region: string,
  year: number,
  e: Elements,
  bank: Pick<Coding, 'payBankCode' | 'payBankName' | 'clearBankCode' | 'clearBankName' | 'agencyAccoCode'>,
): Promise<Coding> {
  const names = new Map<string, string>();
  const pairs = [
    { set: 'expFunc', code: e.expFuncCode },
    { set: 'fundType', code: e.fundTypeCode },
  ].filter((p): p is { set: string; code: string } => p.code !== null);
  if (pairs.length > 0) {
    const rows = await db
      .selectFrom('basedata.code_item')
      .select(['set_code', 'code', 'name'])
      .where('region_code', '=', region)
      .where('fiscal_year', '=', year)
      .where((eb) => eb.or(pairs.map((p) => eb.and([eb('set_code', '=', p.set), eb('code', '=', p.code)]))))
      .execute();
    for (const r of rows) names.set(`${r.set_code}:${r.code}`, r.name);
  }
  const agencies = [e.agencyCode, e.deptCode].filter((a): a is string => a !== null);
  if (agencies.length > 0) {
    const rows = await db
      .selectFrom('basedata.agency')
      .select(['code', 'name'])
      .where('region_code', '=', region)
      .where('fiscal_year', '=', year)
      .where('code', 'in', agencies)
      .execute();
    for (const r of rows) names.set(`agency:${r.code}`, r.name);
  }
  return {
    supDepCode: e.deptCode,
    supDepName: e.deptCode ? (names.get(`agency:${e.deptCode}`) ?? null) : null,
    agencyCode: e.agencyCode,
    agencyName: e.agencyCode ? (names.get(`agency:${e.agencyCode}`) ?? null) : null,
    expFuncCode: e.expFuncCode,
    expFuncName: e.expFuncCode ? (names.get(`expFunc:${e.expFuncCode}`) ?? null) : null,
    expEcoCode: e.depEcoCode,
    depProCode: e.projectCode,
    fundTypeCode: e.fundTypeCode,
    fundTypeName: names.get(`fundType:${e.fundTypeCode}`) ?? null,
    ...bank,
  };
}

/** What a correction changes: 单位, 部门, 功能, 经济 (部门和政府), 项目. Equal in all: nothing to correct. */
export function sameCoding(a: Elements, b: Elements): boolean {
  return (
    a.agencyCode === b.agencyCode &&
    a.deptCode === b.deptCode &&
    a.expFuncCode === b.expFuncCode &&
    a.depEcoCode === b.depEcoCode &&
    a.govEcoCode === b.govEcoCode &&
    a.projectCode === b.projectCode
  );
}

/** Leaves out empty values: an absent element and an empty one mean the same. */
export function fields(record: Record<string, FieldValue | null | undefined>): VoucherFields {
  const out: Record<string, FieldValue> = {};
  for (const [k, v] of Object.entries(record)) if (v !== null && v !== undefined && v !== '') out[k] = v;
  return out;
}

/** 类 / 款 / 项 of a functional code. */
export const level = (code: string | null, n: number) => (code && code.length >= n ? code.slice(0, n) : null);
