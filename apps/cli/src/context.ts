import { resolve } from 'node:path';
import { type Database, openSystem } from '@fiscus/core';

export interface GlobalOptions {
  databaseUrl?: string;
  home?: string;
}

/** Database options shared by every command: --database-url / DATABASE_URL, --home / FISCUS_HOME. */
export function dbOptions(g: GlobalOptions) {
  return {
    databaseUrl: g.databaseUrl ?? process.env.DATABASE_URL ?? undefined,
    home: resolve(g.home ?? process.env.FISCUS_HOME ?? '.fiscus'),
  };
}

export async function withSystem<T>(g: GlobalOptions, fn: (d: Database) => Promise<T>): Promise<T> {
  const d = await openSystem({ ...dbOptions(g), log: (s) => console.error(`[fiscus] ${s}`) });
  try {
    return await fn(d);
  } finally {
    await d.close();
  }
}
