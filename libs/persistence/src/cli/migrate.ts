import { runMigrations } from '../migrate';
import { redactText } from '@zs/platform';

/** `npm run migrate`: the single migration runner (also a Kubernetes Job / init step). */
async function main() {
  // A direct connection: the runner holds a session advisory lock and may create the database
  // through the `postgres` database, neither of which works through a transaction-mode pooler.
  const url = process.env.MIGRATION_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/zhaoshang';
  const applied = await runMigrations(url);
  console.log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'schema up to date');
}

main().catch((e) => {
  console.error(`migration failed: ${redactText(String(e?.message ?? e))}`);
  process.exit(1);
});
