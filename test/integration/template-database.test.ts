// Test files get their database as a copy of one migrated template (CREATE DATABASE x TEMPLATE t)
// instead of running every migration themselves. These cases pin what that copy must be.
import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { Client } from 'pg';
import { createDatabaseFromTemplate, dropDatabase, dropTemplateDatabase, migratedTemplateName, migrationsFingerprint, MIGRATIONS } from '@zs/persistence';
import { infra, testDatabaseUrl } from '../support/harness';

async function query<T = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

describe('test databases cloned from a migrated template', () => {
  const template = `zs_template_probe_${crypto.randomBytes(3).toString('hex')}`;
  const urls = [1, 2, 3].map(() => testDatabaseUrl(crypto.randomBytes(4).toString('hex')));
  const adminUrl = (() => {
    const u = new URL(infra.databaseUrl);
    u.pathname = '/postgres';
    return u.toString();
  })();

  afterAll(async () => {
    for (const u of urls) await dropDatabase(u);
    await dropTemplateDatabase(infra.databaseUrl, template);
  });

  it('parallel first clones build the template once, and each clone holds every migration', async () => {
    // what a builder that died mid-migration leaves behind: cleared by the next build
    await query(adminUrl, `CREATE DATABASE "${template}_bdead00"`);
    const results = await Promise.all(urls.map((u) => createDatabaseFromTemplate(u, template)));
    expect(results.filter((r) => r.built)).toHaveLength(1);
    for (const u of urls) {
      const applied = await query<{ name: string }>(u, 'SELECT name FROM schema_migrations ORDER BY id');
      expect(applied.map((r) => r.name)).toEqual(MIGRATIONS.map((m) => new m().name));
    }
    const [t] = await query<{ datistemplate: boolean; datallowconn: boolean }>(
      adminUrl,
      'SELECT datistemplate, datallowconn FROM pg_database WHERE datname = $1',
      [template],
    );
    expect(t).toEqual({ datistemplate: true, datallowconn: false });
    // nothing half-built is left behind under a temporary name, not even the dead builder's copy
    const leftovers = await query(adminUrl, `SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${template}_b%`]);
    expect(leftovers).toEqual([]);
  });

  it('clones are independent: a row written in one is not in the other', async () => {
    await query(urls[0], `INSERT INTO units (name, kind) VALUES ('模板隔离测试单位', 'county')`);
    const other = await query(urls[1], `SELECT 1 FROM units WHERE name = '模板隔离测试单位'`);
    expect(other).toEqual([]);
  });

  it('the template name follows the migrations: another migration set gets another template', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zs-migrations-'));
    try {
      fs.writeFileSync(path.join(dir, '1-a.ts'), 'export class A {}');
      const one = migrationsFingerprint(dir);
      expect(migrationsFingerprint(dir)).toBe(one);
      fs.writeFileSync(path.join(dir, '2-b.ts'), 'export class B {}');
      const two = migrationsFingerprint(dir);
      expect(two).not.toBe(one);
      fs.writeFileSync(path.join(dir, '2-b.ts'), 'export class B { x = 1 }');
      expect(migrationsFingerprint(dir)).not.toBe(two);
      expect(migratedTemplateName(one)).toBe(`zs_template_${one}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
