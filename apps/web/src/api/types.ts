/** Wire types of the Fiscus HTTP API (JSON, camelCase, amounts as strings). */

export interface ErrorBody {
  code: string;
  params: Record<string, string | number | boolean | null>;
  message: { 'zh-CN': string; en: string };
  issues?: { path: string; code: string; message: string; messageZh: string }[];
}

export interface Grant {
  role: string;
  roleName: string;
  scopeRegion: string;
  includeDescendants: boolean;
  scopeAgency: string | null;
}

export interface RegionRef {
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
}

/** The signed-in user. */
export interface Me {
  username: string;
  displayName: string;
  permissions: string[];
  grants: Grant[];
  /** Regions the user may see. */
  regions: RegionRef[];
  defaultRegion: string;
  defaultYear: number;
}

export type ColumnKind = 'text' | 'code' | 'boolean' | 'date' | 'integer' | 'yuan';

export interface ListColumn {
  key: string;
  /** zh */
  title: string;
  kind: ColumnKind;
  filter: 'text' | 'select' | null;
  options?: { value: string; label: string }[];
}

/** One base-data list the server offers. */
export interface ListMeta {
  key: string;
  title: { zh: string; en: string };
  permission: string;
  yearScoped: boolean;
  importable: boolean;
  keyColumn: string;
  /** For lists keyed by two fields: how the id `a:b` of GET /{key}/{id} is made. */
  idFields?: string[];
  columns: ListColumn[];
}

export type Row = Record<string, unknown>;

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export type { ImportError, ImportReport } from '@fiscus/contracts';

export interface AuditRecord {
  regionCode: string;
  /** bigint as a string */
  seq: string;
  recordedAt: string;
  actor: string;
  commandId: string;
  commandType: string;
  fiscalYear: number | null;
  businessDate: string | null;
  outcome: string;
  errorCode: string | null;
  detail: unknown;
  hash: string;
}

export interface AuditVerification {
  regions: { regionCode: string; records: number; ok: boolean }[];
  problems: { regionCode: string; seq: string; kind: string; detail: string }[];
}

export interface CommandEnvelope {
  id: string;
  type: string;
  region: string;
  year: number;
  /** YYYY-MM-DD */
  on: string;
  payload: unknown;
}

export interface CommandResult {
  id: string;
  type: string;
  status: 'accepted' | 'rejected';
  replayed: boolean;
  result?: unknown;
  error?: ErrorBody;
}
