export { listDefs, listsByKey } from './defs';
export { importList } from './import';
export { allRows, EXPORT_LIMIT, getRow, type ListQuery, listRows } from './query';
export type { ListColumn, ListDef } from './types';
