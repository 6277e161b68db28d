import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '@fiscus/server';
import { dbOptions, type GlobalOptions } from '../context';

export const REPO_ROOT = join(import.meta.dirname, '..', '..', '..', '..');
export const WEB_DIST = join(REPO_ROOT, 'apps', 'web', 'dist');

export interface StartOptions {
  port: string;
  host: string;
  demo: boolean;
  build: boolean;
}

/** `npm start`: build the web bundle if it is missing, then serve API + UI on one port. */
export async function start(g: GlobalOptions, opts: StartOptions): Promise<void> {
  if (opts.build && !existsSync(join(WEB_DIST, 'index.html'))) {
    console.error('[fiscus] web bundle missing: running npm run build');
    const r = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('npm run build failed');
  }
  const server = await startServer({
    ...dbOptions(g),
    port: Number(opts.port),
    host: opts.host,
    webDist: WEB_DIST,
    demoOnEmpty: opts.demo,
    logger: process.env.FISCUS_LOG === 'true',
  });
  console.error(`[fiscus] listening on ${server.url} (database: ${server.database.mode})`);
  let closing = false;
  const stop = async (signal: string) => {
    if (closing) return;
    closing = true;
    console.error(`[fiscus] ${signal}: stopping`);
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
