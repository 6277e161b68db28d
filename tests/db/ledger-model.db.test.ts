import { fc, test } from '@fast-check/vitest';
import type { CommandResult } from '@fiscus/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { executeCommands, loadDemo, verifyLedger } from '../../packages/core/src/index';
import { createTestDb, type TestDb } from '../support/db';
import { demoIndicator } from './helpers';

let t: TestDb;
let run = 0;

beforeAll(async () => {
  t = await createTestDb();
  expect((await loadDemo(t.db)).rejected).toEqual([]);
});
afterAll(async () => t?.close());

const ind = demoIndicator;

const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

const step = fc.record({
  kind: fc.constantFrom(
    'approve',
    'approve',
    'transfer',
    'freeze',
    'unfreeze',
    'applicationApproved',
    'applicationApproved',
    'bankPaid',
    'refund',
    'voucherReturned',
  ),
  a: fc.nat({ max: 2 }),
  b: fc.nat({ max: 2 }),
  fen: fc.integer({ min: 1, max: 50_000 }),
  batch: fc.boolean(),
});

/**
 * The engine against a model: random scenario sequences go through the real pipeline (some as
 * one batch, some one by one); whatever was accepted, the stored ledger must verify — entries
 * balance, balances equal lines, sources equal holdings, nothing negative — and the refused
 * commands must leave no trace in the journal.
 */
describe('engine invariants under random command sequences', () => {
  test.prop([fc.array(step, { minLength: 5, maxLength: 25 })], { numRuns: 12 })(
    'always leaves a verifiable ledger',
    async (steps) => {
      run += 1;
      const ids = [`M${run}a`, `M${run}b`, `M${run}c`];
      const commands = steps.map((s, i) => {
        const a = ind(ids[s.a]!);
        const b = ind(ids[s.b === s.a ? (s.a + 1) % 3 : s.b]!);
        const amount = yuan(s.fen);
        const payload =
          s.kind === 'approve'
            ? { scenario: 'approve', amount, to: a, pool: 'executable' }
            : s.kind === 'transfer'
              ? { scenario: 'transfer', amount, from: a, to: b }
              : s.kind === 'freeze' || s.kind === 'unfreeze'
                ? { scenario: s.kind, amount, target: a, pool: 'executable' }
                : { scenario: s.kind, amount, indicator: a };
        return {
          id: `model-${run}-${i}`,
          type: 'ledger.post',
          region: '530700000',
          year: 2026,
          on: '2026-05-01',
          payload,
          batch: s.batch,
        };
      });
      const results: CommandResult[] = [];
      let pending: typeof commands = [];
      const flush = async () => {
        if (pending.length === 0) return;
        results.push(
          ...(await executeCommands(
            t.db,
            pending.map(({ batch: _b, ...c }) => c),
            { defaultActor: 'budget' },
          )),
        );
        pending = [];
      };
      for (const c of commands) {
        pending.push(c);
        if (!c.batch) await flush();
      }
      await flush();
      expect(results).toHaveLength(commands.length);
      const report = await verifyLedger(t.db, { region: '530700000', year: 2026 });
      expect(report.checks.filter((c) => !c.ok)).toEqual([]);
      const accepted = results.filter((r) => r.status === 'accepted').map((r) => r.id);
      const written = await sql<{
        command_id: string;
      }>`select command_id from ledger.entry where command_id like ${`model-${run}-%`}`.execute(t.db);
      expect(written.rows.map((r) => r.command_id).sort()).toEqual(accepted.sort());
    },
  );
});
