import type { DB } from '@fiscus/core';
import type { Kysely } from 'kysely';

export interface AppDeps {
  db: Kysely<DB>;
  databaseMode: 'embedded' | 'external';
  /** Folder of the built web bundle; when absent only the API is served. */
  webDist?: string | undefined;
  /** Secure cookies (behind HTTPS). */
  secureCookies?: boolean;
  cookieSecret: string;
  logger?: boolean;
}
