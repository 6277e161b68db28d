/** Report dimensions → element_key / balance columns. */
export const dimensionColumns = {
  account: 'b.account',
  region: 'b.region_code',
  indicator: 'k.indicator_id',
  originIndicator: 'k.origin_indicator_id',
  agency: 'k.agency_code',
  dept: 'k.dept_code',
  project: 'k.project_code',
  expFunc: 'k.exp_func_code',
  govEco: 'k.gov_eco_code',
  depEco: 'k.dep_eco_code',
  fundType: 'k.fund_type_code',
  sourceType: 'k.source_type_code',
  indicatorType: 'k.indicator_type_code',
  payType: 'k.pay_type_code',
  docNo: 'k.doc_no',
  supDocNo: 'k.sup_doc_no',
  receivingRegion: 'k.receiving_region',
  directReach: "(k.flags->>'directReach')",
} as const;

export type Dimension = keyof typeof dimensionColumns;
export const dimensions = Object.keys(dimensionColumns) as Dimension[];

export function isDimension(s: string): s is Dimension {
  return s in dimensionColumns;
}
