import crypto from 'crypto';
import { execFileSync } from 'child_process';
import path from 'path';
import { DataSource } from 'typeorm';
import { ChatRobotRepository, createDataSource, dropDatabase, ensureDatabase, MIGRATIONS, runMigrations, SecretBox } from '@zs/persistence';

const ROOT = path.resolve(__dirname, '..', '..');
const WEBHOOK_KEY = '693a91f6-7f3e-4bc4-97a0-0ec2a1fa5a1b';
const SIGN_SECRET = `SEC${'ab12'.repeat(16)}`;

/**
 * Robot webhook keys and signing secrets in PostgreSQL: encrypted with a key from the
 * environment, existing clear rows migrated, and key rotation re-encrypting every row.
 */
describe('robot secrets at rest', () => {
  const url = `postgres://postgres@127.0.0.1:5432/zs_test_secrets_${crypto.randomBytes(4).toString('hex')}`;
  const k1 = `k1:${crypto.randomBytes(32).toString('base64')}`;
  const k2 = `k2:${crypto.randomBytes(32).toString('base64')}`;
  let ds: DataSource;
  const saved = process.env.SECRET_ENCRYPTION_KEYS;

  beforeAll(async () => {
    // The schema as an older version left it: robots stored in clear.
    await ensureDatabase(url);
    const old = new DataSource({ type: 'postgres', url, migrations: MIGRATIONS.slice(0, 2), migrationsTableName: 'schema_migrations' });
    await old.initialize();
    await old.runMigrations({ transaction: 'all' });
    await old.query(`INSERT INTO chat_robots (platform, name, webhook_key, sign_secret) VALUES ('wecom', '招商群', $1, NULL), ('dingtalk', '钉钉群', $2, $3)`, [
      WEBHOOK_KEY,
      'f'.repeat(64),
      SIGN_SECRET,
    ]);
    await old.destroy();
  });

  afterAll(async () => {
    process.env.SECRET_ENCRYPTION_KEYS = saved;
    await ds?.destroy();
    await dropDatabase(url).catch(() => undefined);
  });

  it('refuses to migrate clear rows without a key, saying which variable is missing', async () => {
    delete process.env.SECRET_ENCRYPTION_KEYS;
    await expect(runMigrations(url)).rejects.toThrow(/SECRET_ENCRYPTION_KEYS is not set/);
  });

  it('encrypts the existing rows when migrating, and the senders still read them', async () => {
    process.env.SECRET_ENCRYPTION_KEYS = k1;
    await runMigrations(url);
    ds = createDataSource(url, 'test', 2);
    await ds.initialize();
    const raw = await ds.query(`SELECT webhook_key, sign_secret FROM chat_robots ORDER BY id`);
    const dump = JSON.stringify(raw);
    expect(dump).not.toContain(WEBHOOK_KEY);
    expect(dump).not.toContain(SIGN_SECRET);
    expect(dump).not.toContain('f'.repeat(64));
    expect(raw.every((r: { webhook_key: string }) => r.webhook_key.startsWith('enc:v1:k1:'))).toBe(true);
    const repo = new ChatRobotRepository(ds);
    const [a, b] = await repo.list();
    expect(a.keyHint).toBe('****5a1b');
    const creds = await repo.credentials(b.id);
    expect({ key: creds!.webhookKey, secret: creds!.signSecret }).toEqual({ key: 'f'.repeat(64), secret: SIGN_SECRET });
    expect((await repo.credentials(a.id))!.webhookKey).toBe(WEBHOOK_KEY);
  });

  it('stores new robots encrypted and still refuses the same key twice', async () => {
    const repo = new ChatRobotRepository(ds);
    const r = await repo.create({ platform: 'wecom', name: '新群', webhookKey: 'aaaaaaaa-1111-2222-3333-444444444444', signSecret: null });
    const raw = await ds.query(`SELECT webhook_key FROM chat_robots WHERE id = $1`, [r.id]);
    expect(raw[0].webhook_key).not.toContain('aaaaaaaa');
    await expect(repo.create({ platform: 'wecom', name: '重复', webhookKey: WEBHOOK_KEY })).rejects.toThrow(/already registered/);
  });

  it('rotates to a new key with npm run secrets:rotate, after which the old key can go', () => {
    const out = execFileSync('npm', ['run', '-s', 'secrets:rotate'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: url, SECRET_ENCRYPTION_KEYS: `${k2},${k1}` },
      encoding: 'utf8',
    });
    expect(out).toContain('re-encrypted 3 robot(s) with key "k2"');
    expect(out).not.toContain(k2.split(':')[1]);
  });

  it('reads every robot with only the new key', async () => {
    const raw = await ds.query(`SELECT webhook_key, sign_secret FROM chat_robots`);
    expect(raw.every((r: { webhook_key: string }) => SecretBox.keyIdOf(r.webhook_key) === 'k2')).toBe(true);
    const repo = new ChatRobotRepository(ds, SecretBox.parse(k2));
    const robots = await repo.list();
    const creds = await Promise.all(robots.map((r) => repo.credentials(r.id)));
    expect(creds.map((c) => c!.webhookKey)).toContain(WEBHOOK_KEY);
    expect(creds.map((c) => c!.signSecret)).toContain(SIGN_SECRET);
  });
});
