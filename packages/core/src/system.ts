import { seedRoles } from './auth/store/seed';
import { type ConnectOptions, connect, type Database } from './platform/db/connect';
import { migrateToLatest } from './platform/db/migrate';

/** Connect (starting the embedded server when needed), migrate and seed reference rows. */
export async function openSystem(opts: ConnectOptions = {}): Promise<Database> {
  const database = await connect(opts);
  try {
    await migrateToLatest(database.db);
    await seedRoles(database.db);
  } catch (e) {
    await database.close();
    throw e;
  }
  return database;
}
