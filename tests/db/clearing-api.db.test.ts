import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, cmd, ok, run1 } from './helpers';
import { paymentFixture, SCHOOL } from './payment-fixture';

// 清算 reads over HTTP: the quota notices of a pay date with their lines, the quota balances and
// the corrections of one application; `clearing.read` only (a unit clerk is refused).

let f: Awaited<ReturnType<typeof paymentFixture>>;
const Q = 'region=530700000&year=2026';

beforeAll(async () => {
  f = await paymentFixture('CA');
  const d = ok(
    await run1(
      f.t.db,
      cmd('indicatorDoc.draft', {
        docNo: '丽财〔2026〕CA2',
        title: '更正目标',
        body: {
          docType: 'approve',
          lines: [
            {
              indicatorId: 'CA-DIR2',
              amount: '100000.00',
              elements: { ...SCHOOL, depEcoCode: '30211', payTypeCode: '11' },
              pool: 'executable',
            },
          ],
        },
      }),
      as('budget'),
    ),
  );
  ok(await run1(f.t.db, cmd('indicatorDoc.submit', { docId: d.docId }), as('budget')));
  ok(await run1(f.t.db, cmd('indicatorDoc.approve', { docId: d.docId }), as('chief')));
}, 120_000);
afterAll(async () => {
  await f?.close();
});

describe('clearing over HTTP', () => {
  it('serves quota notices with lines, balances and corrections to clearing.read only', async () => {
    const s = await f.signed('direct', '456.78');
    const entry = await f.storedEntry(s.vtCode, s.voucherNo);
    const res = await f.post(await f.answer(entry, { paid: 45_678n }));
    expect(res.json().results[0]).toMatchObject({ status: 'accepted', result: { state: 'paid' } });
    const issued = ok(
      await run1(
        f.t.db,
        cmd('clearing.issueQuotas', { date: '2026-03-15' }, { on: '2026-03-15' }),
        as('treasury'),
      ),
    );
    expect((issued.notices as unknown[]).length).toBe(1);
    const prep = ok(
      await run1(
        f.t.db,
        cmd(
          'payment.correct',
          {
            applicationId: s.id,
            agencyCode: '205002',
            to: { indicatorId: 'CA-DIR2' },
            reason: '经济分类录入错误',
          },
          { on: '2026-03-16' },
        ),
        as('treasury'),
      ),
    );

    const cookie = await f.t.login('treasury', 'Fiscus-Trs-2026');
    const get = (url: string, c = cookie) => f.t.app.inject({ method: 'GET', url, headers: { cookie: c } });

    const quotas = await get(`/api/v1/clearing/quotas?${Q}&date=2026-03-15`);
    expect(quotas.statusCode, quotas.body).toBe(200);
    const [n] = quotas.json().rows;
    expect(n).toMatchObject({ vtCode: '5108', payDate: '2026-03-15', amount: '456.78', state: 'unsent' });
    expect(n.envelope).toBeUndefined();
    expect(n.lines).toEqual([
      expect.objectContaining({ lineNo: 1, kind: 'payment', payVoucherNo: s.voucherNo, amount: '456.78' }),
    ]);
    expect(n.lines[0].coding).toMatchObject({ agencyCode: '205002' });
    expect((await get(`/api/v1/clearing/quotas?${Q}&date=2026-03-16`)).json().rows).toEqual([]);

    const balances = await get(`/api/v1/clearing/balances?${Q}`);
    expect(balances.statusCode, balances.body).toBe(200);
    expect(balances.json().rows).toEqual([
      expect.objectContaining({ vtCode: '5108', payTypeCode: '11', notices: 1, issued: '456.78' }),
    ]);

    const corrections = await get(`/api/v1/payments/${s.id}/corrections?${Q}`);
    expect(corrections.statusCode, corrections.body).toBe(200);
    expect(corrections.json().rows).toEqual([
      expect.objectContaining({
        correctionId: prep.correctionId,
        state: 'prepared',
        from: 'CA-DIR',
        to: 'CA-DIR2',
        amount: '456.78',
        preparedBy: 'treasury',
        approvedBy: null,
        entryId: null,
      }),
    ]);
    // Approved by another: the entry id travels as text.
    ok(
      await run1(
        f.t.db,
        cmd(
          'payment.approveCorrection',
          { correctionId: prep.correctionId, agencyCode: '205002' },
          { on: '2026-03-16' },
        ),
        as('reviewer'),
      ),
    );
    const after = (await get(`/api/v1/payments/${s.id}/corrections?${Q}`)).json().rows[0];
    expect(after).toMatchObject({ state: 'approved', approvedBy: 'reviewer', vtCode: '5253' });
    expect(after.entryId).toMatch(/^\d+$/);

    const clerk = await f.t.login('clerk', 'Fiscus-Clk-2026');
    for (const url of [
      `/api/v1/clearing/quotas?${Q}`,
      `/api/v1/clearing/balances?${Q}`,
      `/api/v1/payments/${s.id}/corrections?${Q}`,
    ])
      expect((await get(url, clerk)).statusCode, url).toBe(403);
    expect((await f.t.app.inject({ method: 'GET', url: `/api/v1/clearing/quotas?${Q}` })).statusCode).toBe(
      401,
    );
  });
});
