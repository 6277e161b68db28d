import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const FISCUS = join(import.meta.dirname, '..', '..', 'bin', 'fiscus.mjs');

/** A port that was free a moment ago (the simulator restarts on the same one after a crash). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export interface SimProcess {
  url: string;
  keyId: string;
  publicKey: string;
  proc: ChildProcess;
  /** Resolves with the exit code when the process ends (86: an injected crash). */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * `fiscus sim bank` as its own process, as a bank would run beside Fiscus; resolves once it
 * listens (its first stdout line says where and with which key).
 */
export async function startBankSim(args: string[], log: (s: string) => void = () => {}): Promise<SimProcess> {
  const proc = spawn(process.execPath, [FISCUS, 'sim', 'bank', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  createInterface({ input: proc.stderr! }).on('line', (l) => log(`[sim] ${l}`));
  const lines = createInterface({ input: proc.stdout! });
  const ready = await new Promise<{ port: number; keyId: string; publicKey: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('bank simulator did not start in 60 s')), 60_000);
    lines.on('line', (l) => {
      let m: { event?: string; port?: number; keyId?: string; publicKey?: string };
      try {
        m = JSON.parse(l);
      } catch {
        log(`[sim] ${l}`);
        return;
      }
      if (m.event === 'listening' && m.port && m.keyId && m.publicKey) {
        clearTimeout(timer);
        resolve({ port: m.port, keyId: m.keyId, publicKey: m.publicKey });
      } else log(`[sim] ${l}`);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`bank simulator exited with ${code} before listening`));
    });
  });
  return {
    url: `http://127.0.0.1:${ready.port}`,
    keyId: ready.keyId,
    publicKey: ready.publicKey,
    proc,
    exited,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(t);
      }
    },
  };
}
