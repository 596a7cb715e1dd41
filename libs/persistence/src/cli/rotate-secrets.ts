import { createDataSource } from '../data-source';
import { ChatRobotRepository } from '../repositories';
import { requireSecretBox } from '../secret-box';
import { redactText } from '@zs/platform';

/**
 * `npm run secrets:rotate`: re-encrypts every stored robot secret with the FIRST key of
 * SECRET_ENCRYPTION_KEYS. Key rotation (docs/operations.md): put the new key first, keep the
 * old one after it, roll the pods, run this, then remove the old key. Safe to re-run.
 */
async function main() {
  const box = requireSecretBox();
  const url = process.env.MIGRATION_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/zhaoshang';
  const ds = createDataSource(url, 'zs-rotate-secrets', 2);
  await ds.initialize();
  try {
    const changed = await ds.transaction((m) => new ChatRobotRepository(m, box).reencryptAll());
    console.log(`re-encrypted ${changed} robot(s) with key "${box.currentKeyId}"`);
  } finally {
    await ds.destroy();
  }
}

main().catch((e) => {
  console.error(`rotation failed: ${redactText(String(e?.message ?? e))}`);
  process.exit(1);
});
