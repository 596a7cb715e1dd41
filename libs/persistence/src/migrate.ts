import { DataSource } from 'typeorm';
import { createDataSource, ensureDatabase } from './data-source';

// One lock id for the whole schema: replicas and parallel deploy steps queue behind it.
const MIGRATION_LOCK_ID = 7_420_001;

/**
 * Applies pending migrations under a PostgreSQL advisory lock, so that however many
 * processes start at once, exactly one migrates and the others wait, then find nothing to do.
 */
export async function runMigrations(url: string): Promise<string[]> {
  await ensureDatabase(url);
  const ds: DataSource = createDataSource(url, 'zs-migrate', 2);
  await ds.initialize();
  const lock = ds.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    const applied = await ds.runMigrations({ transaction: 'all' });
    return applied.map((m) => m.name);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    await lock.release();
    await ds.destroy();
  }
}
