import { describe, expect, it } from 'vitest';
import { backoffMs } from '../shared/delivery';
import { chosen, decideOutcome, fraction, RETURN_REASONS } from './decisions';
import { FaultPlan } from './faults';
import { normalizeDate, parseBankOptions } from './options';

const rules = { seed: 's1', returnRate: 0.3, bounceRate: 0.2 };

describe('decisions', () => {
  it('are a pure function of seed and key', () => {
    const keys = Array.from({ length: 200 }, (_, i) => `530700|2026|5201|NO${i}`);
    const a = keys.map((k) => decideOutcome(k, '某公司', rules));
    const b = keys.map((k) => decideOutcome(k, '某公司', rules));
    expect(a).toEqual(b);
    expect(keys.map((k) => decideOutcome(k, '某公司', { ...rules, seed: 's2' }))).not.toEqual(a);
    for (const k of keys) {
      const f = fraction('s1', 'return', k);
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
    }
  });

  it('follow the rates roughly', () => {
    const keys = Array.from({ length: 2000 }, (_, i) => `k${i}`);
    const out = keys.map((k) => decideOutcome(k, 'x', rules));
    const returned = out.filter((o) => o.kind === 'return').length / keys.length;
    const bounced = out.filter((o) => o.kind === 'pay' && o.bounce).length / keys.length;
    expect(returned).toBeGreaterThan(0.25);
    expect(returned).toBeLessThan(0.35);
    expect(bounced).toBeGreaterThan(0.7 * 0.2 - 0.04);
    expect(bounced).toBeLessThan(0.7 * 0.2 + 0.04);
    for (const o of out) if (o.kind === 'return') expect(RETURN_REASONS).toContain(o.reason);
    expect(keys.some((k) => chosen('s', 'p', k, 0))).toBe(false);
    expect(keys.every((k) => chosen('s', 'p', k, 1))).toBe(true);
  });

  it('obey the payee-name rules whatever the rates', () => {
    const none = { seed: 'x', returnRate: 0, bounceRate: 0 };
    expect(decideOutcome('k', '张三（退回）', none).kind).toBe('return');
    expect(decideOutcome('k', '退票测试公司', none)).toEqual({ kind: 'pay', bounce: true });
    expect(decideOutcome('k', '普通公司', { seed: 'x', returnRate: 0, bounceRate: 0 })).toEqual({
      kind: 'pay',
      bounce: false,
    });
    expect(decideOutcome('k', '普通公司', { seed: 'x', returnRate: 1, bounceRate: 0 }).kind).toBe('return');
  });

  it('apply faults to the first attempt only', () => {
    const plan = new FaultPlan('s', { drop: 1, duplicate: 0, alter: 1, breakSignature: 0 });
    expect(plan.take('alter', 'a')).toBe(true);
    expect(plan.take('alter', 'a')).toBe(false);
    expect(plan.take('alter', 'b')).toBe(true);
    expect(plan.take('duplicate', 'a')).toBe(false);
    expect(plan.planned('drop', 'z')).toBe(true);
  });

  it('back off exponentially with jitter, capped at 5 s', () => {
    expect(backoffMs(1, () => 1)).toBe(200);
    expect(backoffMs(2, () => 1)).toBe(400);
    expect(backoffMs(3, () => 0)).toBe(400);
    expect(backoffMs(20, () => 1)).toBe(5000);
  });
});

describe('options', () => {
  it('have defaults and validate', () => {
    const c = parseBankOptions({});
    expect(c).toMatchObject({
      port: 7401,
      host: '127.0.0.1',
      dataDir: '.fiscus/sim-bank',
      keysDir: '.fiscus/sim-bank/keys',
      bankCode: 'ABC001',
      fiscusUrl: 'http://127.0.0.1:3000',
      batch: 50,
      crashAfter: null,
      payDate: null,
    });
    const key = `04${'a'.repeat(128)}`;
    const d = parseBankOptions({
      port: '0',
      payDate: '2026-03-15',
      trustKey: [`finance-530700000:${key}`],
      faultAlter: '0.5',
      crashAfter: '3',
      fiscus: 'http://x:1/',
    });
    expect(d).toMatchObject({ port: 0, payDate: '20260315', crashAfter: 3, fiscusUrl: 'http://x:1' });
    expect(d.trustKeys).toEqual([{ keyId: 'finance-530700000', publicKey: key }]);
    expect(d.faults.alter).toBe(0.5);
    expect(() => parseBankOptions({ returnRate: '1.5' })).toThrow(/--return-rate/);
    expect(() => parseBankOptions({ trustKey: ['nohex'] })).toThrow(/--trust-key/);
    expect(() => normalizeDate('2026-02-30')).toThrow(/calendar/);
  });
});
