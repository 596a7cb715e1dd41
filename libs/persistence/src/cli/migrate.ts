import { runMigrations } from '../migrate';
import { redactText } from '@zs/platform';

/** `npm run migrate`: the single migration runner (also a Kubernetes Job / init step). */
async function main() {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/zhaoshang';
  const applied = await runMigrations(url);
  console.log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'schema up to date');
}

main().catch((e) => {
  console.error(`migration failed: ${redactText(String(e?.message ?? e))}`);
  process.exit(1);
});
