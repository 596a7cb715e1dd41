import { createDataSource } from '../data-source';
import { renormalizeCompanyKeys } from '../renormalize-names';
import { redactText } from '@zs/platform';

/**
 * `npm run ledger:renormalize [-- --apply]`: recomputes every lead's registry key with the
 * current company-name normaliser (after an upgrade that changed it). Without --apply it only
 * reports what would change. See docs/adr/0023-*.md for why this is a command, not a migration.
 */
async function main() {
  const apply = process.argv.includes('--apply');
  const url = process.env.MIGRATION_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/zhaoshang';
  const ds = createDataSource(url, 'zs-renormalize', 2);
  await ds.initialize();
  try {
    const r = await renormalizeCompanyKeys(ds, { apply });
    console.log(`${apply ? '已更新' : '试运行（未修改）'}：检查 ${r.scanned} 条线索，${apply ? '' : '将'}更新登记键 ${r.changed} 条，冲突 ${r.collisions.length} 条。`);
    for (const c of r.collisions) {
      console.log(`  冲突：${c.code}「${c.companyName}」与 ${c.keptBy} 为同一企业（保留 ${c.keptBy} 的首谈首报），请协调办公室处理（流转或终止）。`);
    }
    if (!apply && r.changed > 0) console.log('确认无误后加 --apply 执行：npm run ledger:renormalize -- --apply');
  } finally {
    await ds.destroy();
  }
}

main().catch((e) => {
  console.error(`renormalize failed: ${redactText(String(e?.message ?? e))}`);
  process.exit(1);
});
