import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpSink, localSink, reconcileLevels, relayTransfers } from '../../packages/core/src/index';
import type { ReceivedRecord } from '../../packages/core/src/indicators/domain/levels';
import { startTestServer } from '../support/server';
import { as, cmd, ok, run1 } from './helpers';

/**
 * Two Fiscus instances on two PostgreSQL databases: the province runs on A, the city on B.
 * The issue travels as a message over B's HTTP API; each level keeps its own books; the
 * province reconciles against what B reports it received.
 */
type Instance = Awaited<ReturnType<typeof startTestServer>>;
let a: Instance;
let b: Instance;
const PROVINCE = '530000000';
const CITY = '530700000';

async function effectiveOnA(docNo: string, body: Record<string, unknown>) {
  const d = ok(
    await run1(
      a.db,
      cmd('indicatorDoc.draft', { docNo, title: docNo, body }, { region: PROVINCE }),
      as('province'),
    ),
  );
  const docId = d.docId as string;
  ok(await run1(a.db, cmd('indicatorDoc.submit', { docId }, { region: PROVINCE }), as('province')));
  return ok(await run1(a.db, cmd('indicatorDoc.approve', { docId }, { region: PROVINCE }), as('province2')));
}

async function receivedOnB(): Promise<ReceivedRecord[]> {
  const login = await fetch(new URL('/api/v1/sessions', b.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'exchange', password: 'Fiscus-Exc-2026' }),
  });
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const r = await fetch(new URL(`/api/v1/transfers/received?from=${PROVINCE}&year=2026`, b.url), {
    headers: { cookie },
  });
  expect(r.status).toBe(200);
  const body = (await r.json()) as { rows: (ReceivedRecord & { amountFen: string; ledgerFen: string })[] };
  return body.rows.map((x) => ({ ...x, amountFen: BigInt(x.amountFen), ledgerFen: BigInt(x.ledgerFen) }));
}

beforeAll(async () => {
  [a, b] = await Promise.all([startTestServer(), startTestServer()]);
});
afterAll(async () => {
  await a?.close();
  await b?.close();
});

describe('transfers between two Fiscus instances', () => {
  it('delivers over HTTP, books once on each side, and reconciles across databases', async () => {
    await effectiveOnA('云财预〔2026〕50号', {
      docType: 'approve',
      lines: [
        {
          indicatorId: 'P-HEALTH',
          elements: { fundTypeCode: '111', expFuncCode: '2050203' },
          amount: '500000.00',
          pool: 'unallocated',
        },
      ],
    });
    const issued = await effectiveOnA('云财社〔2026〕51号', {
      docType: 'issue',
      fromIndicatorId: 'P-HEALTH',
      lines: [{ region: CITY, amount: '320000.00' }],
    });
    const messageId = (issued.messages as string[])[0]!;
    const toB = httpSink(b.url, 'exchange', 'Fiscus-Exc-2026');
    const opts = {
      home: localSink(a.db),
      sinkFor: (r: string) => (r === CITY ? toB : localSink(a.db)),
      on: '2026-04-01',
    };
    expect(await relayTransfers(a.db, opts)).toMatchObject({ delivered: 1, failed: [] });

    // B booked it; A did not receive anything itself.
    const onB = await sql<{ amount_fen: string; indicator_id: string }>`
      select amount_fen::text, indicator_id from indicators.transfer_in where message_id = ${messageId}`.execute(
      b.db,
    );
    expect(onB.rows).toEqual([expect.objectContaining({ amount_fen: '32000000' })]);
    const onA = await sql`select 1 from indicators.transfer_in`.execute(a.db);
    expect(onA.rows).toHaveLength(0);

    // A redelivery (the mark was lost): B answers with the first result, nothing booked twice.
    await sql`update indicators.transfer_out set state = 'pending' where message_id = ${messageId}`.execute(
      a.db,
    );
    expect(await relayTransfers(a.db, opts)).toMatchObject({ delivered: 1 });
    const twice = await sql<{
      n: string;
    }>`select count(*)::text as n from ledger.entry where region_code = ${CITY}
      and scenario = 'upperReceipt'`.execute(b.db);
    expect(twice.rows[0]!.n).toBe('1');

    const report = await reconcileLevels(a.db, PROVINCE, 2026, await receivedOnB());
    expect(report).toMatchObject({ ok: true, issued: 1, received: 1 });
  });

  it('names the difference when the other side booked a different amount', async () => {
    const received = (await receivedOnB()).map((r) => ({
      ...r,
      amountFen: r.amountFen - 1n,
      ledgerFen: r.ledgerFen - 1n,
    }));
    const report = await reconcileLevels(a.db, PROVINCE, 2026, received);
    expect(report.ok).toBe(false);
    expect(report.differences.map((d) => d.kind)).toEqual(['amountMismatch']);
  });
});
