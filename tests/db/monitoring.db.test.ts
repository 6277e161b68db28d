import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../packages/core/src/ledger/verify';
import { as, cmd, errorCode, ok, run1 } from './helpers';
import { paymentFixture } from './payment-fixture';

let f: Awaited<ReturnType<typeof paymentFixture>>;
beforeAll(async () => {
  f = await paymentFixture('MON');
}, 120_000);
afterAll(async () => f?.close());

const rule = (code: string, condition: string, action: string, over: Record<string, unknown> = {}) => ({
  rule: {
    code,
    name: `测试规则 ${code}`,
    theme: 'test',
    basis: '测试',
    trigger: 'approve',
    scope: { regions: [''], level: 'finance' },
    condition,
    params: {},
    warningLevel: 'red',
    action,
    prompt: { 'zh-CN': '支付 {amount} 元给 {payee}', en: 'Paying {amount} yuan to {payee}' },
    effectiveFrom: '2026-01-01',
    enabled: true,
    ...over,
  },
});

async function toReview(amount: string) {
  const db = f.t.db;
  const id = ok(
    await run1(
      db,
      cmd('payment.draft', {
        agencyCode: '205002',
        payType: 'direct',
        indicatorId: 'MON-DIR',
        amount,
        purpose: '办公用品',
        settlementMode: '001001',
        payee: { payeeCode: 'S0001' },
      }),
      as('clerk'),
    ),
  ).applicationId as string;
  const step = (type: string, user: string, extra: Record<string, unknown> = {}) =>
    run1(db, cmd(type, { applicationId: id, agencyCode: '205002', ...extra }), as(user));
  ok(await step('payment.submit', 'clerk'));
  ok(await step('payment.unitApprove', 'unithead'));
  return { id, review: () => step('payment.review', 'reviewer', { decision: 'approve' }) };
}

const stateOf = async (id: string) =>
  (
    await f.t.db
      .selectFrom('payments.application')
      .select('state')
      .where('application_id', '=', id)
      .executeTakeFirstOrThrow()
  ).state;

describe('monitoring rules in the payment approval', () => {
  it('refuses a rule whose condition is malformed or tries to escape, and stores nothing', async () => {
    for (const bad of ['payment.amount >', "constructor('x')", 'process.exit(1)', 'payment.amount = "a"']) {
      const r = await run1(f.t.db, cmd('monitorRule.save', rule('BAD_RULE', bad, 'hold')), as('monitor'));
      expect(errorCode(r)).toBe('MONITOR_EXPRESSION_INVALID');
    }
    const n = await f.t.db
      .selectFrom('monitor.rule_version')
      .selectAll()
      .where('code', '=', 'BAD_RULE')
      .execute();
    expect(n).toHaveLength(0);
  });

  it('needs the rule permission to save a rule', async () => {
    const r = await run1(
      f.t.db,
      cmd('monitorRule.save', rule('X_RULE', 'payment.amount > 0元', 'warn')),
      as('signer'),
    );
    expect(errorCode(r)).toBe('PERMISSION_DENIED');
  });

  it('holds a large payment for a reviewer, who releases it; the approver cannot release it', async () => {
    const saved = ok(
      await run1(
        f.t.db,
        cmd('monitorRule.save', rule('TEST_LARGE_HOLD', 'payment.amount >= 8000元', 'hold')),
        as('monitor'),
      ),
    );
    expect(saved.version).toBe(1);
    const small = await toReview('100.00');
    expect(ok(await small.review()).state).toBe('approved');

    const big = await toReview('9000.00');
    const r = ok(await big.review());
    expect(r.state).toBe('held');
    const mon = r.monitor as { decision: string; warnings: { ruleCode: string; warningId: string }[] };
    expect(mon.decision).toBe('hold');
    expect(mon.warnings.map((w) => w.ruleCode)).toEqual(['TEST_LARGE_HOLD']);
    const w = await f.t.db
      .selectFrom('monitor.warning')
      .selectAll()
      .where('warning_id', '=', mon.warnings[0]!.warningId)
      .executeTakeFirstOrThrow();
    expect(w.status).toBe('pending');
    expect(w.rule_version).toBe(1);
    expect(w.amount_fen).toBe(900_000n);

    // Held payments cannot be signed.
    const sign = await run1(
      f.t.db,
      cmd('payment.signVoucher', { applicationId: big.id, agencyCode: '205002' }),
      as('signer'),
    );
    expect(errorCode(sign)).toBe('STATE_INVALID');
    const noOpinion = await run1(
      f.t.db,
      cmd('monitorHold.decide', { applicationId: big.id, decision: 'release' }),
      as('monitor'),
    );
    expect(errorCode(noOpinion)).toBe('VALIDATION_FAILED');
    const byReviewer = await run1(
      f.t.db,
      cmd('monitorHold.decide', { applicationId: big.id, decision: 'release', opinion: '放行' }),
      as('reviewer'),
    );
    // The reviewer may decide held payments, but not one held on their own approval.
    expect(errorCode(byReviewer)).toBe('SOD_SAME_PERSON');
    const decide = cmd('monitorHold.decide', {
      applicationId: big.id,
      decision: 'release',
      opinion: '合同齐全，放行',
    });
    expect(ok(await run1(f.t.db, decide, as('monitor'))).state).toBe('approved');
    const again = await run1(f.t.db, decide, as('monitor'));
    expect(again.replayed).toBe(true);
    expect(await stateOf(big.id)).toBe('approved');
    const events = await f.t.db
      .selectFrom('monitor.warning_event')
      .select('action')
      .where('warning_id', '=', w.warning_id)
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.action)).toEqual(['raise', 'holdRelease']);
  });

  it('a new disabled version switches the rule off', async () => {
    ok(
      await run1(
        f.t.db,
        cmd('monitorRule.save', {
          ...rule('TEST_LARGE_HOLD', 'payment.amount >= 8000元', 'hold', { enabled: false }),
          baseVersion: 1,
        }),
        as('monitor'),
      ),
    );
    const stale = await run1(
      f.t.db,
      cmd('monitorRule.save', {
        ...rule('TEST_LARGE_HOLD', 'payment.amount >= 1元', 'hold'),
        baseVersion: 1,
      }),
      as('monitor'),
    );
    expect(errorCode(stale)).toBe('STATE_INVALID');
    const big = await toReview('9100.00');
    expect(ok(await big.review()).state).toBe('approved');
  });

  it('forbids a payment: it is refused and the reservation given back', async () => {
    ok(
      await run1(
        f.t.db,
        cmd(
          'monitorRule.save',
          rule('TEST_FORBID', "payment.purpose contains '办公' and payment.amount = 777元", 'forbid'),
        ),
        as('monitor'),
      ),
    );
    const p = await toReview('777.00');
    const r = ok(await p.review());
    expect(r.state).toBe('refused');
    expect(r.entryIds).toHaveLength(1);
    expect(await stateOf(p.id)).toBe('refused');
    expect((await verifyLedger(f.t.db, { region: '530700000', year: 2026 })).ok).toBe(true);
  });

  it('a warning that needs an explanation refuses the step without one, and keeps the explanation', async () => {
    ok(
      await run1(
        f.t.db,
        cmd('monitorRule.save', rule('TEST_EXPLAIN', 'payment.amount = 555元', 'warnExplain')),
        as('monitor'),
      ),
    );
    const p = await toReview('555.00');
    expect(errorCode(await p.review())).toBe('MONITOR_EXPLANATION_REQUIRED');
    expect(await stateOf(p.id)).toBe('unitApproved');
    const r = ok(
      await run1(
        f.t.db,
        cmd('payment.review', {
          applicationId: p.id,
          agencyCode: '205002',
          decision: 'approve',
          explanation: '年度合同约定金额',
        }),
        as('reviewer'),
      ),
    );
    expect(r.state).toBe('approved');
    const w = await f.t.db
      .selectFrom('monitor.warning')
      .select(['explanation', 'status'])
      .where('application_id', '=', p.id)
      .executeTakeFirstOrThrow();
    expect(w).toEqual({ explanation: '年度合同约定金额', status: 'pending' });
  });

  it('installs the built-in catalogue once', async () => {
    const r = ok(await run1(f.t.db, cmd('monitorRule.install', { enabled: false }), as('monitor')));
    expect((r.installed as string[]).length).toBeGreaterThanOrEqual(20);
    const again = ok(await run1(f.t.db, cmd('monitorRule.install', { enabled: false }), as('monitor')));
    expect(again.installed).toEqual([]);
  });
});
