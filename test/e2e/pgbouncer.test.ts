import { execFileSync } from 'child_process';
import path from 'path';
import { Client } from 'pg';
import { repliesTo, startSystem, TestSystem, waitFor } from '../support/harness';
import { Pooler, startPgBouncer } from '../support/pgbouncer';

// Names that share no more than their suffix: names differing in one character would be near
// matches (possible duplicates, pg_trgm) that wait for 确认新企业 instead of registering.
const COMPANIES = ['澜湾储能', '青禾生物', '朔风航电', '泓川精工', '鹿鸣食品', '赤松材料', '岚山医药', '曜石电子', '澄江物流', '桐木家居'];
const lead = (i: number) =>
  `报线索 企业：株洲市${COMPANIES[i]}科技有限公司 行业：电子信息 投资额：${i + 1}亿元 联系人：张经理 1390000000${i} 内容：拟建生产基地`;

/**
 * The services behind PgBouncer in transaction mode (migrations, as documented, directly):
 * leads registered and answered, with far fewer server connections than the services' pools.
 */
describe('services through a transaction-mode PgBouncer', () => {
  let pooler: Pooler;
  let sys: TestSystem;

  beforeAll(async () => {
    pooler = await startPgBouncer(4);
    // The harness migrates and seeds over the direct URL; the services get the pooled one.
    sys = await startSystem({ extraEnv: async ({ env }) => ({ DATABASE_URL: pooler.via(env.DATABASE_URL) }) });
  }, 240000);

  afterAll(async () => {
    await sys?.stop();
    await pooler?.stop();
  });

  it('registers and answers concurrent leads from different officials', async () => {
    const r = await sys.db.query(
      `SELECT m.wecom_user_id AS userid FROM members m JOIN units u ON u.id = m.unit_id WHERE m.wecom_user_id IS NOT NULL ORDER BY m.id LIMIT 6`,
    );
    const users: string[] = r.rows.map((x: { userid: string }) => x.userid);
    await Promise.all(users.map((u, i) => sys.sim.sendText(u, lead(i))));
    for (const u of users) await waitFor(() => repliesTo(sys.sim, u)[0], 30000, `the answer to ${u}`);
    expect(users.map((u) => repliesTo(sys.sim, u)[0])).toEqual(users.map(() => expect.stringMatching(/[A-Z]{2}-\d{4}-\d{6}/)));
    const n = await sys.db.query(`SELECT count(*)::int AS n FROM leads`);
    expect(n.rows[0].n).toBe(users.length);
  });

  it('serves the admin API through the pooler too', async () => {
    const created = await sys.admin('/api/units', { method: 'POST', body: JSON.stringify({ name: '连接池测试园区', kind: 'park' }) });
    expect(created.status).toBeLessThan(300);
    const list = await sys.admin('/api/units?limit=500');
    expect(JSON.stringify(list.body)).toContain('连接池测试园区');
  });

  it('runs migrations over MIGRATION_DATABASE_URL, the direct connection, when DATABASE_URL is the pooler', async () => {
    const direct = sys.env.DATABASE_URL.replace(`:${pooler.port}/`, ':5432/');
    const unreachablePooler = direct.replace(':5432/', ':1/');
    const out = execFileSync('npm', ['run', '-s', 'migrate'], {
      cwd: path.resolve(__dirname, '..', '..'),
      env: { ...process.env, DATABASE_URL: unreachablePooler, MIGRATION_DATABASE_URL: direct },
      encoding: 'utf8',
    });
    expect(out).toContain('schema up to date');
  });

  it('the services reach PostgreSQL only through the pooler, within its server pool', async () => {
    const admin = new Client({ connectionString: pooler.adminUrl });
    await admin.connect();
    try {
      const db = new URL(sys.env.DATABASE_URL).pathname.slice(1);
      const clients = (await admin.query('SHOW CLIENTS')).rows.filter((c: { database: string }) => c.database === db);
      const servers = (await admin.query('SHOW SERVERS')).rows.filter((c: { database: string }) => c.database === db);
      expect(clients.length).toBeGreaterThan(4); // the services' pools...
      expect(servers.length).toBeLessThanOrEqual(4); // ...share at most default_pool_size server connections
    } finally {
      await admin.end();
    }
  });
});
