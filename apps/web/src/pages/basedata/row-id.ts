import type { ListMeta, Row } from '../../api/types';

/** Columns that name a code item's set; code items are addressed as `set:code`. */
const setColumns = ['set', 'setCode', 'codeSet'];

/** The id of a row for GET /api/v1/{key}/{id}: the keyColumn value (`set:code` for code items). */
export function rowId(meta: ListMeta, row: Row): string {
  const key = String(row[meta.keyColumn] ?? '');
  if (meta.key !== 'code-items') return key;
  const setKey = setColumns.find((k) => k in row);
  const set = setKey ? String(row[setKey] ?? '') : '';
  return set && !key.startsWith(`${set}:`) ? `${set}:${key}` : key;
}
