import { createDataSource } from '../data-source';
import { seedCity } from '../seed';
import { DemoAdminAccount, seedAdminAccounts } from '../seed-admin-accounts';
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
    const accounts = demoAccounts(profile);
    if (accounts.length) {
      const created = await seedAdminAccounts(ds, accounts);
      if (created.length) console.log(`console accounts created: ${created.join(', ')}`);
    }
  } finally {
    await ds.destroy();
  }
}

/**
 * The demo city's console accounts (益阳 only), with the passwords `npm start` generated into
 * .run/demo.env (DEMO_PASSWORD_*); none when a password is not given.
 */
function demoAccounts(profile: string): DemoAdminAccount[] {
  const env = process.env;
  if (profile !== 'yiyang' || !env.DEMO_PASSWORD_CITY_ADMIN || !env.DEMO_PASSWORD_UNIT_ADMIN || !env.DEMO_PASSWORD_LEADER) return [];
  return [
    { username: 'admin', displayName: '市商务局管理员', role: 'city-admin', password: env.DEMO_PASSWORD_CITY_ADMIN },
    { username: 'heshan', displayName: '赫山区招商办管理员', role: 'unit-admin', unitName: '赫山区', password: env.DEMO_PASSWORD_UNIT_ADMIN },
    { username: 'leader', displayName: '分管副市长', role: 'leader', password: env.DEMO_PASSWORD_LEADER },
  ];
}

main().catch((e) => {
  console.error(`seeding failed: ${redactText(String(e?.message ?? e))}`);
  process.exit(1);
});
