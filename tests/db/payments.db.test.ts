import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../packages/core/src/index';
import { verifyLedger } from '../../packages/core/src/ledger/verify';
import { registerPaymentMonitor } from '../../packages/core/src/payments/monitor-hook';
import { createTestDb, type TestDb } from '../support/db';
import { as, cmd, errorCode, ok, run1 } from './helpers';

let t: TestDb;
const school = {
  fundTypeCode: '111',
  agencyCode: '205002',
  deptCode: '205',
  expFuncCode: '2050203',
  depEcoCode: '30201',
  govEcoCode: '50201',
  payTypeCode: '11',
};

async function bal(account: string, indicatorId: string): Promise<bigint> {
  const r = await sql<{ b: string | null }>`
    select sum(b.credit_fen - b.debit_fen)::text as b from ledger.balance b join ledger.element_key k
      on k.region_code = b.region_code and k.fiscal_year = b.fiscal_year and k.id = b.element_key_id
    where b.region_code = '530700000' and b.account = ${account} and k.indicator_id = ${indicatorId}`.execute(
    t.db,
  );
  return BigInt(r.rows[0]?.b ?? 0);
}

const draft = (over: Record<string, unknown> = {}) =>
  run1(
    t.db,
    cmd('payment.draft', {
      agencyCode: '205002',
      payType: 'direct',
      indicatorId: 'PAY-SCH',
      amount: '1200.00',
      purpose: '办公用品',
      settlementMode: '001001',
      payee: { payeeCode: 'S0001' },
      ...over,
    }),
    as('clerk'),
  );
const step = (type: string, user: string, applicationId: string, extra: Record<string, unknown> = {}) =>
  run1(t.db, cmd(type, { applicationId, agencyCode: '205002', ...extra }), as(user));

beforeAll(async () => {
  t = await createTestDb();
  expect((await loadDemo(t.db)).rejected).toEqual([]);
  const d = ok(
    await run1(
      t.db,
      cmd('indicatorDoc.draft', {
        docNo: '丽财〔2026〕P1',
        title: '学校公用经费',
        body: {
          docType: 'approve',
          lines: [
            { indicatorId: 'PAY-SCH', elements: school, amount: '5000000.00', pool: 'executable' },
            {
              indicatorId: 'PAY-POOL',
              elements: { fundTypeCode: '111', expFuncCode: '2050203' },
              amount: '100.00',
              pool: 'unallocated',
            },
          ],
        },
      }),
      as('budget'),
    ),
  );
  ok(await run1(t.db, cmd('indicatorDoc.submit', { docId: d.docId }), as('budget')));
  ok(await run1(t.db, cmd('indicatorDoc.approve', { docId: d.docId }), as('chief')));
});
afterAll(async () => t?.close());

describe('payment applications', () => {
  it('reserves at submission, passes the unit and the payment center, and is ready to pay', async () => {
    const a = ok(await draft());
    const id = a.applicationId as string;
    expect(await bal('2401', 'PAY-SCH')).toBe(0n);
    const sub = ok(await step('payment.submit', 'clerk', id));
    expect(sub).toMatchObject({ state: 'submitted' });
    expect(await bal('2401', 'PAY-SCH')).toBe(120_000n);
    expect(await bal('2101', 'PAY-SCH')).toBe(500_000_000n - 120_000n);
    ok(await step('payment.unitApprove', 'unithead', id));
    expect(errorCode(await step('payment.review', 'reviewer', id, { decision: 'return' }))).toBe(
      'VALIDATION_FAILED',
    );
    const done = ok(await step('payment.review', 'reviewer', id, { decision: 'approve' }));
    expect(done).toMatchObject({ state: 'approved' });
    const trail = await sql<{
      action: string;
      actor: string;
    }>`select action, actor from payments.application_action
      where application_id = ${id} order by seq`.execute(t.db);
    expect(trail.rows.map((r) => `${r.action}:${r.actor}`)).toEqual([
      'draft:clerk',
      'submit:clerk',
      'unitApprove:unithead',
      'approve:reviewer',
    ]);
  });

  it('releases the reservation when the payment center returns or refuses', async () => {
    const before = await bal('2101', 'PAY-SCH');
    const id = ok(await draft({ amount: '300.00' })).applicationId as string;
    ok(await step('payment.submit', 'clerk', id));
    ok(await step('payment.unitApprove', 'unithead', id));
    ok(await step('payment.review', 'reviewer', id, { decision: 'return', opinion: '附件不全' }));
    expect(await bal('2101', 'PAY-SCH')).toBe(before);
    // Returned: the clerk fixes it and submits again; the center refuses for good.
    ok(await draft({ applicationId: id, amount: '250.00' }));
    ok(await step('payment.submit', 'clerk', id));
    expect(await bal('2101', 'PAY-SCH')).toBe(before - 25_000n);
    ok(await step('payment.unitApprove', 'unithead', id));
    ok(await step('payment.review', 'reviewer', id, { decision: 'refuse', opinion: '不符合支出范围' }));
    expect(await bal('2101', 'PAY-SCH')).toBe(before);
    expect(errorCode(await step('payment.submit', 'clerk', id))).toBe('STATE_INVALID');
    const v = await verifyLedger(t.db, { region: '530700000', year: 2026 });
    expect(v.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('needs a co-sign for a large payment', async () => {
    const id = ok(await draft({ amount: '1500000.00' })).applicationId as string;
    const r = await step('payment.submit', 'clerk', id);
    expect(errorCode(r)).toBe('CONTROL_RULE_VIOLATED');
    expect(r.status === 'rejected' && r.error.params.rules).toContain('LARGE_PAYMENT');
    expect(errorCode(await step('payment.cosign', 'clerk', id))).toBe('PERMISSION_DENIED');
    ok(await step('payment.cosign', 'unithead', id, { opinion: '同意' }));
    ok(await step('payment.submit', 'clerk', id));
    // The co-signer does not also approve it for the unit.
    expect(errorCode(await step('payment.unitApprove', 'unithead', id))).toBe('SOD_SAME_PERSON');
  });

  it('refuses what cannot be paid', async () => {
    expect(errorCode(await draft({ indicatorId: 'PAY-POOL' }))).toBe('INDICATOR_POOL_INVALID');
    const big = ok(await draft({ amount: '4999999.00' })).applicationId as string;
    ok(await step('payment.cosign', 'unithead', big));
    const over = await step('payment.submit', 'clerk', big);
    expect(errorCode(over)).toBe('CONTROL_RULE_VIOLATED');
    expect(over.status === 'rejected' && over.error.params.rules).toContain('AVAILABLE_NON_NEGATIVE');
    const badAccount = await draft({
      payee: { name: '张三', accountNo: '6222-0000', bankName: '工行', bankNo: '102751000015' },
    });
    expect(errorCode(badAccount)).toBe('VALIDATION_FAILED');
    expect(errorCode(await draft({ payee: { payeeCode: 'NOPE' } }))).toBe('NOT_FOUND');
    expect(errorCode(await draft({ settlementMode: '999' }))).toBe('CODE_UNKNOWN');
    // Another agency's clerk scope: 205003 is not the clerk's.
    expect(errorCode(await draft({ agencyCode: '205003' }))).toBe('SCOPE_DENIED');
    const id = ok(await draft()).applicationId as string;
    expect(errorCode(await step('payment.unitApprove', 'clerk', id))).toBe('PERMISSION_DENIED');
    expect(errorCode(await step('payment.review', 'reviewer', id, { decision: 'approve' }))).toBe(
      'STATE_INVALID',
    );
  });

  it('answers a repeated request id with the first result', async () => {
    const c = cmd('payment.draft', {
      agencyCode: '205002',
      payType: 'direct',
      indicatorId: 'PAY-SCH',
      amount: '10.00',
      purpose: '邮费',
      settlementMode: '001001',
      payee: { payeeCode: 'S0003' },
    });
    const first = await run1(t.db, c, as('clerk'));
    const again = await run1(t.db, c, as('clerk'));
    expect(again).toMatchObject({ status: 'accepted', replayed: true });
    expect((again as { result: unknown }).result).toEqual((first as { result: unknown }).result);
  });
});

describe('monitoring hook before approval', () => {
  it('lets a monitoring rule block or warn before the payment center approves', async () => {
    const off = registerPaymentMonitor(async (_trx, p) => [
      ...(p.payeeAccountNo === '24560101040006602'
        ? [
            {
              rule: 'TEST_BLOCKED_PAYEE',
              action: 'block' as const,
              message: { 'zh-CN': '收款人在黑名单', en: 'payee is blacklisted' },
            },
          ]
        : []),
      ...(p.amountFen >= 50_000n
        ? [
            {
              rule: 'TEST_LARGE',
              action: 'warn' as const,
              message: { 'zh-CN': '金额较大', en: 'large amount' },
            },
          ]
        : []),
    ]);
    try {
      const blocked = ok(await draft({ amount: '20.00', payee: { payeeCode: 'S0002' } }))
        .applicationId as string;
      ok(await step('payment.submit', 'clerk', blocked));
      ok(await step('payment.unitApprove', 'unithead', blocked));
      const r = await step('payment.review', 'reviewer', blocked, { decision: 'approve' });
      expect(errorCode(r)).toBe('MONITOR_BLOCKED');
      expect(r.status === 'rejected' && r.error.params.rules).toBe('TEST_BLOCKED_PAYEE');
      const warned = ok(await draft({ amount: '600.00' })).applicationId as string;
      ok(await step('payment.submit', 'clerk', warned));
      ok(await step('payment.unitApprove', 'unithead', warned));
      const w = ok(await step('payment.review', 'reviewer', warned, { decision: 'approve' }));
      expect(w).toMatchObject({
        state: 'approved',
        warnings: [expect.objectContaining({ rule: 'TEST_LARGE' })],
      });
    } finally {
      off();
    }
  });
});

describe('use plans', () => {
  const plan = (lines: { indicatorId: string; amount: string }[], period = '2026-04') =>
    run1(t.db, cmd('usePlan.draft', { agencyCode: '205002', period, lines }), as('clerk'));
  const planStep = (type: string, user: string, planId: string, extra: Record<string, unknown> = {}) =>
    run1(t.db, cmd(type, { planId, agencyCode: '205002', ...extra }), as(user));

  it('when the region uses plans, caps payments by the approved plan', async () => {
    ok(await run1(t.db, cmd('ledger.saveSettings', { usePlans: true }), as('treasury')));
    try {
      // Without a plan, a payment cannot be submitted.
      const early = ok(await draft({ amount: '100.00' })).applicationId as string;
      const r = await step('payment.submit', 'clerk', early);
      expect(errorCode(r)).toBe('CONTROL_RULE_VIOLATED');
      expect(r.status === 'rejected' && r.error.params.rules).toContain('AVAILABLE_NON_NEGATIVE');

      const p = ok(await plan([{ indicatorId: 'PAY-SCH', amount: '500.00' }])).planId as string;
      ok(await planStep('usePlan.submit', 'clerk', p));
      expect(errorCode(await planStep('usePlan.approve', 'clerk', p))).toBe('PERMISSION_DENIED');
      ok(await planStep('usePlan.approve', 'treasury', p, { opinion: '同意' }));
      expect(await bal('2301', 'PAY-SCH')).toBe(50_000n);

      ok(await step('payment.submit', 'clerk', early));
      expect(await bal('2301', 'PAY-SCH')).toBe(40_000n);
      const tooMuch = ok(await draft({ amount: '400.01' })).applicationId as string;
      expect(errorCode(await step('payment.submit', 'clerk', tooMuch))).toBe('CONTROL_RULE_VIOLATED');
      // A withdrawal gives the amount back to the plan, not to the indicator.
      ok(await step('payment.withdraw', 'clerk', early));
      expect(await bal('2301', 'PAY-SCH')).toBe(50_000n);
      expect(errorCode(await plan([{ indicatorId: 'PAY-POOL', amount: '1.00' }]))).toBe(
        'INDICATOR_POOL_INVALID',
      );
      expect(errorCode(await plan([{ indicatorId: 'PAY-SCH', amount: '1.00' }], '2026-13'))).toBe(
        'VALIDATION_FAILED',
      );
    } finally {
      ok(await run1(t.db, cmd('ledger.saveSettings', { usePlans: false }), as('treasury')));
    }
  });
});
