import type { DB } from '../../platform/db/schema';
import type { TabularColumn } from '../../platform/tabular/columns';

export interface ListColumn extends TabularColumn {
  /** The database column behind the field. */
  column: string;
  filter: 'text' | 'select' | null;
  options?: { value: string; label: string }[];
  /** Import: the column must be present and non-empty. */
  required?: boolean;
  /** Import: an empty cell means null (otherwise it is left out of the payload). */
  nullable?: boolean;
  /** Import: the field is not part of the command payload (read-only, e.g. status). */
  readOnly?: boolean;
  /** Import: the field sets the command envelope's region or year instead of a payload field. */
  envelope?: 'region' | 'year';
}

/** Where an imported row goes: the command and the envelope fields it needs. */
export interface ListImport {
  commandType: string;
  /** Region of the row's command: the request's region unless the row names its own. */
  regionOf?: (payload: Record<string, unknown>, requestRegion: string) => string;
  /** Payload defaults for fields the sheet does not carry. */
  defaults?: Record<string, unknown>;
}

export interface ListDef {
  key: string;
  title: { zh: string; en: string };
  permission: string;
  table: keyof DB;
  /** Rows belong to one region (else the list shows the region's subtree: regions, years). */
  regionScoped: boolean;
  yearScoped: boolean;
  keyColumn: string;
  /** For lists keyed by two fields, how an id `a:b` splits. */
  idFields?: string[];
  columns: ListColumn[];
  orderBy: string[];
  import?: ListImport;
}
