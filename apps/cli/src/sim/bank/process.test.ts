import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envelope, financeSigner, financeVoucher } from './testing';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..', '..');
const data = mkdtempSync(join(tmpdir(), 'sim-bank-proc-'));
afterAll(() => rmSync(data, { recursive: true, force: true }));

interface Started {
  readonly child: ChildProcess;
  readonly port: number;
  readonly exit: Promise<number | null>;
}

function start(extra: string[] = []): Promise<Started> {
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'bin', 'fiscus.mjs'),
      'sim',
      'bank',
      '--port',
      '0',
      '--data',
      data,
      // Nobody listens there: receipts stay pending.
      '--fiscus',
      'http://127.0.0.1:9',
      '--trust-key',
      `${financeSigner.keyId}:${financeSigner.publicKey}`,
      ...extra,
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line !== undefined) {
        const msg = JSON.parse(line) as { event: string; port: number };
        if (msg.event === 'listening') resolve({ child, port: msg.port, exit });
      }
    });
    exit.then((code) => reject(new Error(`exited ${code} before listening`)));
  });
}

describe('fiscus sim bank as a process', () => {
  it('exits 86 after --crash-after payments, recovers on restart, stops 0 on SIGTERM', async () => {
    const first = await start(['--crash-after', '1']);
    const res = await fetch(`http://127.0.0.1:${first.port}/voucher-library/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: envelope([await financeVoucher('P001'), await financeVoucher('P002')]),
    });
    expect(res.status).toBe(200);
    expect(await first.exit).toBe(86);

    const second = await start(['--crash-after', '1']);
    type SimState = { counts: { paid: number }; paidTotal: number; crashed: boolean };
    let state: SimState | null = null;
    for (let i = 0; i < 100; i++) {
      state = (await (await fetch(`http://127.0.0.1:${second.port}/sim/state`)).json()) as SimState;
      if (state?.counts.paid === 2) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(state).toMatchObject({ counts: { paid: 2 }, paidTotal: 2, crashed: true });
    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);
  }, 60_000);
});
