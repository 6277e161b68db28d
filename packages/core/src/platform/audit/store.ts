import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../db/schema';
import { type AuditEntry, type ChainProblem, ChainVerifier, chainEntries, GENESIS_HASH } from './chain';

/** Stored as jsonb (which orders keys itself): the canonical form is only needed for the hash. */
const bigintAsText = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);

/**
 * Append records to a region's chain inside the caller's transaction, in two statements whatever
 * the batch size. The chain head row is locked once per batch, at the end of the transaction, so
 * the lock is held briefly and one region's writers never block another region's.
 */
export async function appendAudit(
  trx: Kysely<DB>,
  regionCode: string,
  entries: readonly Omit<AuditEntry, 'seq' | 'regionCode'>[],
  /** Another write of the batch, run in the same final statement (one round trip fewer). */
  alongside: RawBuilder<unknown> | null = null,
): Promise<void> {
  if (entries.length === 0) {
    if (alongside) await alongside.execute(trx);
    return;
  }
  // Creates the head on first use; otherwise the no-op update locks it and returns it as it is.
  const head = await sql<{ last_seq: bigint; last_hash: string }>`
    insert into platform.audit_chain (region_code, last_seq, last_hash) values (${regionCode}, 0, ${GENESIS_HASH})
    on conflict (region_code) do update set region_code = excluded.region_code
    returning last_seq, last_hash`.execute(trx);
  const h = head.rows[0]!;
  const chained = chainEntries(
    { seq: BigInt(h.last_seq), hash: h.last_hash },
    entries.map((e) => ({ ...e, regionCode })),
  );
  const col = <T>(f: (c: (typeof chained)[number]) => T) => chained.map(f);
  const last = chained[chained.length - 1]!;
  await sql`
    with r as (
      insert into platform.audit_record (region_code, seq, recorded_at, actor, command_id, command_type, fiscal_year,
        business_date, outcome, error_code, detail, prev_hash, hash)
      select ${regionCode}, * from unnest(${col((c) => c.seq.toString())}::bigint[], ${col((c) => c.recordedAt)}::timestamptz[],
        ${col((c) => c.actor)}::text[], ${col((c) => c.commandId)}::text[], ${col((c) => c.commandType)}::text[],
        ${col((c) => c.fiscalYear)}::int[], ${col((c) => c.businessDate)}::date[], ${col((c) => c.outcome)}::text[],
        ${col((c) => c.errorCode)}::text[], ${col((c) => JSON.stringify(c.detail ?? null, bigintAsText))}::jsonb[], ${col((c) => c.prevHash)}::text[],
        ${col((c) => c.hash)}::text[])
    )${alongside ? sql`, also as (${alongside})` : sql``}
    update platform.audit_chain set last_seq = ${last.seq.toString()}, last_hash = ${last.hash}
    where region_code = ${regionCode}`.execute(trx);
}

export interface AuditVerifyReport {
  regions: { regionCode: string; records: number; ok: boolean }[];
  problems: ChainProblem[];
}

/** Recompute every chain (or one region's) from the records and compare with the heads. */
export async function verifyAudit(db: Kysely<DB>, regionCode?: string): Promise<AuditVerifyReport> {
  let q = db.selectFrom('platform.audit_chain').select(['region_code', 'last_seq', 'last_hash']);
  if (regionCode) q = q.where('region_code', '=', regionCode);
  const heads = await q.execute();
  const headByRegion = new Map(heads.map((h) => [h.region_code, h]));
  let rq = db.selectFrom('platform.audit_record').select('region_code').distinct();
  if (regionCode) rq = rq.where('region_code', '=', regionCode);
  const recordRegions = (await rq.execute()).map((r) => r.region_code);
  const regions = [...new Set([...headByRegion.keys(), ...recordRegions])].sort();
  const report: AuditVerifyReport = { regions: [], problems: [] };
  for (const region of regions) {
    const v = new ChainVerifier(region);
    let after = 0n;
    for (;;) {
      const page = await db
        .selectFrom('platform.audit_record')
        .selectAll()
        .where('region_code', '=', region)
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(5000)
        .execute();
      for (const r of page) {
        v.push({
          regionCode: r.region_code,
          seq: r.seq,
          recordedAt: new Date(r.recorded_at).toISOString(),
          actor: r.actor,
          commandId: r.command_id,
          commandType: r.command_type,
          fiscalYear: r.fiscal_year,
          businessDate: r.business_date,
          outcome: r.outcome,
          errorCode: r.error_code,
          detail: r.detail,
          prevHash: r.prev_hash,
          hash: r.hash,
        });
      }
      if (page.length < 5000) break;
      after = page[page.length - 1]!.seq;
    }
    const h = headByRegion.get(region);
    const problems = v.finish(h ? { seq: h.last_seq, hash: h.last_hash } : null);
    report.regions.push({ regionCode: region, records: v.count, ok: problems.length === 0 });
    report.problems.push(...problems);
  }
  return report;
}

/** Read a region's audit records, newest first, for the audit administrator. */
export async function listAudit(
  db: Kysely<DB>,
  f: {
    regionCode: string;
    page: number;
    pageSize: number;
    actor?: string | undefined;
    commandType?: string | undefined;
  },
) {
  let q = db.selectFrom('platform.audit_record').where('region_code', '=', f.regionCode);
  if (f.actor) q = q.where('actor', '=', f.actor);
  if (f.commandType) q = q.where('command_type', '=', f.commandType);
  const total = await q.select(sql<bigint>`count(*)`.as('n')).executeTakeFirstOrThrow();
  const items = await q
    .selectAll()
    .orderBy('seq', 'desc')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  return { items, total: Number(total.n), page: f.page, pageSize: f.pageSize };
}
