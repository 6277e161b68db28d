/**
 * 要素: the dimensions every journal line carries (DOMAIN.md §3.2), with MOF field names in the
 * comments so imports and exports can map them. Two lines with equal elements share a balance.
 */
export interface ElementFlags {
  /** 直达资金 */
  directReach: boolean;
  /** 三公经费 */
  sanGong: boolean;
  /** 工资 */
  salary: boolean;
  /** 政府采购 is_gov_pur */
  govProcurement: boolean;
  /** 工会经费 */
  unionFee: boolean;
  /** 扶贫 */
  povertyRelief: boolean;
  /** 补贴到人到企 */
  toPeople: boolean;
}

export interface Elements {
  /** 指标主键 bgt_id */
  indicatorId: string | null;
  /** 源指标 ori_bgt_id */
  originIndicatorId: string | null;
  /** 单位 agency_code */
  agencyCode: string | null;
  /** 部门 dept_code */
  deptCode: string | null;
  /** 项目 pro_code */
  projectCode: string | null;
  /** 支出功能分类 exp_func_code */
  expFuncCode: string | null;
  /** 转移支付功能分类 tp_func_code */
  tpFuncCode: string | null;
  /** 政府经济分类 gov_bgt_eco_code */
  govEcoCode: string | null;
  /** 部门经济分类 dep_bgt_eco_code */
  depEcoCode: string | null;
  /** 资金性质 fund_type_code */
  fundTypeCode: string;
  /** 指标来源 source_type_code */
  sourceTypeCode: string | null;
  /** 指标类型 bgt_type_code */
  indicatorTypeCode: string | null;
  /** 支付方式 pay_type_code */
  payTypeCode: string | null;
  /** 业务主管处室 manage_mof_dep_code */
  manageDivCode: string | null;
  /** 本级指标文号 cor_bgt_doc_no */
  docNo: string | null;
  /** 上级指标文号 sup_bgt_doc_no */
  supDocNo: string | null;
  /** 接收方财政区划 rec_div_code */
  receivingRegion: string | null;
  /** 需要追踪项目 track_pro_code */
  trackProjectCode: string | null;
  flags: ElementFlags;
}

export const noFlags: ElementFlags = {
  directReach: false,
  sanGong: false,
  salary: false,
  govProcurement: false,
  unionFee: false,
  povertyRelief: false,
  toPeople: false,
};

/** The dimensions of an element set, in key order (the database columns follow the same order). */
export const keyFields: readonly (keyof Omit<Elements, 'flags'>)[] = [
  'indicatorId',
  'originIndicatorId',
  'agencyCode',
  'deptCode',
  'projectCode',
  'expFuncCode',
  'tpFuncCode',
  'govEcoCode',
  'depEcoCode',
  'fundTypeCode',
  'sourceTypeCode',
  'indicatorTypeCode',
  'payTypeCode',
  'manageDivCode',
  'docNo',
  'supDocNo',
  'receivingRegion',
  'trackProjectCode',
];
const flagFields: readonly (keyof ElementFlags)[] = [
  'directReach',
  'sanGong',
  'salary',
  'govProcurement',
  'unionFee',
  'povertyRelief',
  'toPeople',
];

const keyMemo = new WeakMap<Elements, string>();

/**
 * A stable text key of an element set: equal elements, equal key (the balance identity).
 * Remembered per object (element sets are never mutated): the engine asks for each line's key
 * several times per batch.
 */
export function elementKey(e: Elements): string {
  let key = keyMemo.get(e);
  if (key === undefined) {
    let out = '';
    for (const f of keyFields) out += `${e[f] ?? ''}|`;
    for (const f of flagFields) out += e.flags[f] ? '1' : '0';
    key = out;
    keyMemo.set(e, key);
  }
  return key;
}

export function elements(partial: Partial<Elements> & { fundTypeCode: string }): Elements {
  return {
    indicatorId: null,
    originIndicatorId: null,
    agencyCode: null,
    deptCode: null,
    projectCode: null,
    expFuncCode: null,
    tpFuncCode: null,
    govEcoCode: null,
    depEcoCode: null,
    sourceTypeCode: null,
    indicatorTypeCode: null,
    payTypeCode: null,
    manageDivCode: null,
    docNo: null,
    supDocNo: null,
    receivingRegion: null,
    trackProjectCode: null,
    ...partial,
    flags: { ...noFlags, ...(partial.flags ?? {}) },
  };
}
