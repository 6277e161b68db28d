import { type Kysely, sql } from 'kysely';
import type { DB } from '../../platform/db/schema';
import type { DocSnapshot, DocState, RouteStep } from '../domain/workflow';

export interface DocumentRow {
  docId: string;
  docType: string;
  docNo: string;
  title: string;
  summary: string | null;
  body: unknown;
  amountFen: bigint;
  state: DocState;
  step: number;
  route: RouteStep[];
  preparedBy: string;
  submittedBy: string | null;
  effect: unknown;
}

/** 指标单号: ZB + year + a number from one sequence (unique, never reused). */
export async function nextDocId(trx: Kysely<DB>, year: number): Promise<string> {
  const r = await sql<{ n: string }>`select nextval('indicators.doc_seq')::text as n`.execute(trx);
  return `ZB${year}${r.rows[0]!.n.padStart(6, '0')}`;
}

/** A document, locked for the command acting on it, with who approved since its last submission. */
export async function lockDocument(
  trx: Kysely<DB>,
  region: string,
  year: number,
  docId: string,
): Promise<{ row: DocumentRow; snapshot: DocSnapshot } | null> {
  const r = await trx
    .selectFrom('indicators.document')
    .selectAll()
    .where('region_code', '=', region)
    .where('fiscal_year', '=', year)
    .where('doc_id', '=', docId)
    .forUpdate()
    .executeTakeFirst();
  if (!r) return null;
  const actions = await trx
    .selectFrom('indicators.document_action')
    .select(['action', 'actor'])
    .where('region_code', '=', region)
    .where('fiscal_year', '=', year)
    .where('doc_id', '=', docId)
    .orderBy('seq')
    .execute();
  const lastSubmit = actions.map((a) => a.action).lastIndexOf('submit');
  const approvedBy = actions
    .slice(lastSubmit + 1)
    .filter((a) => a.action === 'approve')
    .map((a) => a.actor);
  const row: DocumentRow = {
    docId: r.doc_id,
    docType: r.doc_type,
    docNo: r.doc_no,
    title: r.title,
    summary: r.summary,
    body: r.body,
    amountFen: r.amount_fen,
    state: r.state,
    step: r.step,
    route: r.route as RouteStep[],
    preparedBy: r.prepared_by,
    submittedBy: r.submitted_by,
    effect: r.effect,
  };
  return {
    row,
    snapshot: {
      docId: r.doc_id,
      state: r.state,
      step: r.step,
      route: row.route,
      preparedBy: r.prepared_by,
      submittedBy: r.submitted_by,
      approvedBy: lastSubmit >= 0 ? approvedBy : [],
    },
  };
}

export async function addAction(
  trx: Kysely<DB>,
  region: string,
  year: number,
  docId: string,
  a: { action: string; step: number | null; actor: string; opinion: string | null; at: Date },
): Promise<void> {
  await sql`insert into indicators.document_action (region_code, fiscal_year, doc_id, seq, action, step, actor, opinion, at)
    select ${region}, ${year}, ${docId}, coalesce(max(seq), 0) + 1, ${a.action}, ${a.step}, ${a.actor}, ${a.opinion}, ${a.at}
    from indicators.document_action where region_code = ${region} and fiscal_year = ${year} and doc_id = ${docId}`.execute(
    trx,
  );
}
