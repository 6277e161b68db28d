import type { ListMeta, Row } from '../../api/types';

/** The id of a row for GET /api/v1/{key}/{id}: the key column, or `a:b` for two-field keys. */
export function rowId(meta: ListMeta, row: Row): string {
  const fields = meta.idFields ?? [meta.keyColumn];
  return fields.map((f) => String(row[f] ?? '')).join(':');
}
