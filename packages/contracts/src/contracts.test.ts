import { describe, expect, it } from 'vitest';
import { errorBody, errorCatalog } from './errors';
import { allCommands } from './registry';

describe('error catalogue', () => {
  it('uses UPPER_SNAKE codes with both languages and the same placeholders in each', () => {
    for (const [code, e] of Object.entries(errorCatalog)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
      const ph = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect([code, ph(e.zh)]).toEqual([code, ph(e.en)]);
      expect(e.zh).toMatch(/[\u4e00-\u9fff]/);
    }
  });
  it('fills the messages from the parameters', () => {
    const b = errorBody('PERMISSION_DENIED', { actor: 'clerk', permission: 'x.y' });
    expect(b.message).toEqual({ 'zh-CN': '用户 clerk 无权执行 x.y', en: 'User clerk lacks permission x.y' });
  });
});

describe('command registry', () => {
  it('has unique wire types in context.verb form', () => {
    const types = allCommands.map((c) => c.type);
    expect(new Set(types).size).toBe(types.length);
    for (const t of types) expect(t).toMatch(/^[a-z][a-zA-Z]*\.[a-z][a-zA-Z]*$/);
  });
});
