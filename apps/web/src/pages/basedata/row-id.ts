import type { ListMeta, Row } from '../../api/types';

/**
 * Lists keyed by two fields, for servers whose ListMeta does not yet carry `idFields`.
 * Remove once every server sends it.
 */
const twoFieldIds: Readonly<Record<string, readonly string[]>> = {
  'code-items': ['set', 'code'],
  'fiscal-years': ['regionCode', 'fiscalYear'],
  'economic-mappings': ['depEcoCode', 'agencyKind'],
};

/** The id of a row for GET /api/v1/{key}/{id}: the key column, or `a:b` for two-field keys. */
export function rowId(meta: ListMeta, row: Row): string {
  const fields = meta.idFields ?? twoFieldIds[meta.key] ?? [meta.keyColumn];
  return fields.map((f) => String(row[f] ?? '')).join(':');
}
