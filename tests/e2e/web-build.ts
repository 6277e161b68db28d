import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const WEB_DIR = join(import.meta.dirname, '..', '..', 'apps', 'web');

function newestMtime(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newestMtime(join(path, name))), s.mtimeMs);
}

/** Build apps/web/dist when it is missing or older than the web sources. */
export function ensureWebBuild(): void {
  const index = join(WEB_DIR, 'dist', 'index.html');
  if (existsSync(index)) {
    const sources = ['src', 'index.html', 'vite.config.ts'].map((p) => newestMtime(join(WEB_DIR, p)));
    if (Math.max(...sources) <= statSync(index).mtimeMs) return;
  }
  const r = spawnSync('npx', ['vite', 'build'], { cwd: WEB_DIR, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`vite build failed (exit ${r.status ?? r.signal})`);
}
