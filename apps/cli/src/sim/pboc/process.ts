import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const FISCUS = join(import.meta.dirname, '..', '..', '..', '..', '..', 'bin', 'fiscus.mjs');

export interface PbocSimProcess {
  readonly url: string;
  readonly port: number;
  readonly keyId: string;
  readonly publicKey: string;
  readonly proc: ChildProcess;
  /** Resolves with the exit code when the process ends. */
  readonly exited: Promise<number | null>;
  /** SIGTERM (SIGKILL after 10 s), resolves when it has exited. */
  stop(): Promise<void>;
}

/**
 * `fiscus sim pboc` as its own process, as a treasury would run beside Fiscus and the bank; resolves
 * once it listens (its first stdout line says where and with which key). `args` are the CLI options,
 * e.g. `['--port', '0', '--data', dir, '--trust', '.fiscus/keys', '--clear-date', '2026-03-15']`.
 * stderr (JSON log lines) goes to `log`.
 */
export async function startPbocSim(
  args: readonly string[],
  log: (line: string) => void = () => {},
): Promise<PbocSimProcess> {
  const proc = spawn(process.execPath, [FISCUS, 'sim', 'pboc', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  if (proc.stderr) createInterface({ input: proc.stderr }).on('line', (l) => log(`[pboc] ${l}`));
  const lines = createInterface({ input: proc.stdout as NodeJS.ReadableStream });
  const ready = await new Promise<{ port: number; keyId: string; publicKey: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('PBOC simulator did not start in 60 s')), 60_000);
    lines.on('line', (l) => {
      let m: { event?: string; port?: number; keyId?: string; publicKey?: string };
      try {
        m = JSON.parse(l) as typeof m;
      } catch {
        log(`[pboc] ${l}`);
        return;
      }
      if (m.event === 'listening' && m.port && m.keyId && m.publicKey) {
        clearTimeout(timer);
        resolve({ port: m.port, keyId: m.keyId, publicKey: m.publicKey });
      } else log(`[pboc] ${l}`);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`PBOC simulator exited with ${code} before listening`));
    });
  });
  return {
    url: `http://127.0.0.1:${ready.port}`,
    port: ready.port,
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
