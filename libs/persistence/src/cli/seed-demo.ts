import { createDataSource } from '../data-source';
import { seedCity } from '../seed';
import { redactText } from '@zs/platform';

/** `npm run seed`: loads the policy profile's units and (unless SEED_MEMBERS=false) its demo members. */
async function main() {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/zhaoshang';
  const profile = process.env.POLICY_PROFILE ?? 'yiyang';
  const ds = createDataSource(url, 'zs-seed', 2);
  await ds.initialize();
  try {
    const r = await seedCity(ds, profile, process.env.SEED_MEMBERS !== 'false');
    console.log(`seeded ${profile}: ${r.units} units, ${r.members} demo members`);
  } finally {
    await ds.destroy();
  }
}

main().catch((e) => {
  console.error(`seeding failed: ${redactText(String(e?.message ?? e))}`);
  process.exit(1);
});
