import type { Page } from '@fiscus/contracts';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { FiscusError } from '../../kernel/errors';
import type { DB } from '../../platform/db/schema';
import type { ListColumn, ListDef } from './types';

export interface ListQuery {
  region: string;
  year: number;
  page: number;
  pageSize: number;
  q?: string | undefined;
  /** Column key → value, for columns that declare a filter. */
  filters?: Record<string, string | undefined>;
}

/** The most rows an export writes; more is refused, never cut short. */
export const EXPORT_LIMIT = 100_000;

function toItem(def: ListDef, row: Record<string, unknown>): Record<string, unknown> {
  const item: Record<string, unknown> = {};
  for (const c of def.columns) {
    const v = row[c.column];
    item[c.key] = v instanceof Date ? v.toISOString() : typeof v === 'bigint' ? v.toString() : (v ?? null);
  }
  return item;
}

const like = (v: string) => `%${v.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

function whereClauses(def: ListDef, q: Omit<ListQuery, 'page' | 'pageSize'>): RawBuilder<unknown>[] {
  const parts: RawBuilder<unknown>[] = [];
  if (def.regionScoped) {
    parts.push(sql`region_code = ${q.region}`);
  } else {
    // Lists of regions and years show the requested region's subtree.
    const col =
      def.key === 'regions'
        ? sql.ref('path')
        : sql`(select path from basedata.region r where r.region_code = t.region_code)`;
    parts.push(sql`(${col} = (select path from basedata.region where region_code = ${q.region})
      or ${col} like (select path from basedata.region where region_code = ${q.region}) || '/%')`);
  }
  if (def.yearScoped) parts.push(sql`fiscal_year = ${q.year}`);
  for (const c of def.columns) {
    const v = q.filters?.[c.key];
    if (!c.filter || v === undefined || v === '') continue;
    const ref = sql.ref(c.column);
    if (c.filter === 'select')
      parts.push(c.kind === 'boolean' ? sql`${ref} = ${v === 'true'}` : sql`${ref}::text = ${v}`);
    else parts.push(sql`${ref}::text ilike ${like(v)}`);
  }
  if (q.q) {
    const text = def.columns.filter((c: ListColumn) => c.kind === 'text' || c.kind === 'code');
    parts.push(
      sql`(${sql.join(
        text.map((c) => sql`${sql.ref(c.column)}::text ilike ${like(q.q ?? '')}`),
        sql` or `,
      )})`,
    );
  }
  return parts;
}

function fromTable(def: ListDef) {
  const [schema, table] = def.table.split('.') as [string, string];
  return sql`${sql.table(`${schema}.${table}`)} as t`;
}

export async function listRows(
  db: Kysely<DB>,
  def: ListDef,
  q: ListQuery,
): Promise<Page<Record<string, unknown>>> {
  const where = whereClauses(def, q);
  const cond = where.length ? sql`where ${sql.join(where, sql` and `)}` : sql``;
  const order = sql.join(def.orderBy.map((c) => sql.ref(c)));
  const total = await sql<{ n: bigint }>`select count(*) as n from ${fromTable(def)} ${cond}`.execute(db);
  const rows = await sql<Record<string, unknown>>`select * from ${fromTable(def)} ${cond} order by ${order}
    limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`.execute(db);
  return {
    items: rows.rows.map((r) => toItem(def, r)),
    total: Number(total.rows[0]?.n ?? 0),
    page: q.page,
    pageSize: q.pageSize,
  };
}

/** Every matching row, for export; refuses beyond EXPORT_LIMIT instead of truncating. */
export async function allRows(
  db: Kysely<DB>,
  def: ListDef,
  q: Omit<ListQuery, 'page' | 'pageSize'>,
): Promise<Record<string, unknown>[]> {
  const first = await listRows(db, def, { ...q, page: 1, pageSize: 1 });
  if (first.total > EXPORT_LIMIT) {
    throw new FiscusError('EXPORT_TOO_LARGE', { count: first.total, limit: EXPORT_LIMIT });
  }
  const page = await listRows(db, def, { ...q, page: 1, pageSize: Math.max(first.total, 1) });
  return page.items;
}

/** One row by its id (the key column, or `a:b` for two-field keys). */
export async function getRow(
  db: Kysely<DB>,
  def: ListDef,
  id: string,
  scope: { region: string; year: number },
): Promise<Record<string, unknown> | null> {
  const fields = def.idFields ?? [def.keyColumn];
  const values = fields.length === 1 ? [id] : id.split(':');
  if (values.length !== fields.length) return null;
  const filters: Record<string, string> = {};
  const extra: RawBuilder<unknown>[] = [];
  fields.forEach((f, i) => {
    const col = def.columns.find((c) => c.key === f);
    if (col) extra.push(sql`${sql.ref(col.column)}::text = ${values[i]}`);
  });
  const where = [...whereClauses(def, { ...scope, filters }), ...extra];
  const rows = await sql<
    Record<string, unknown>
  >`select * from ${fromTable(def)} where ${sql.join(where, sql` and `)} limit 1`.execute(db);
  const row = rows.rows[0];
  return row ? toItem(def, row) : null;
}
