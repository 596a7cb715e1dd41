import crypto from 'crypto';
import fs from 'fs';
import path from 'path';
import { Client } from 'pg';
import { runMigrations } from './migrate';

// Session-level advisory lock (taken in the `postgres` database, where every builder connects)
// under which one process builds a missing template while the others wait for it.
const TEMPLATE_LOCK_ID = 7_420_002;
const NAME_RE = /^[A-Za-z0-9_]+$/;

/**
 * A short hash of the migration sources (every file of the migrations folder, by name and
 * content): a template built from other migrations has another name and is never reused.
 */
export function migrationsFingerprint(dir = path.join(__dirname, 'migrations')): string {
  const h = crypto.createHash('sha256');
  for (const file of fs.readdirSync(dir).sort()) {
    const full = path.join(dir, file);
    if (!fs.statSync(full).isFile()) continue;
    h.update(file).update('\0').update(fs.readFileSync(full)).update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

/** The name of the migrated template database for the current migrations. */
export function migratedTemplateName(fingerprint = migrationsFingerprint()): string {
  return `zs_template_${fingerprint}`;
}

function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!NAME_RE.test(name)) throw new Error('database name must be letters, digits and _ only');
  return name;
}

function adminUrl(url: string): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

export interface TemplateClone {
  template: string;
  /** True when this call had to build the template (the first test file of a new schema). */
  built: boolean;
}

/**
 * Creates the database named in `url` as a copy of the migrated template
 * (`CREATE DATABASE x TEMPLATE zs_template_<hash>`), building the template first if no process
 * has yet. Used by tests: a file gets a fully migrated database in a fraction of the time the
 * migrations take.
 *
 * - Builders serialise on an advisory lock; a second process waits, then finds the template.
 * - The template is built under a temporary name and renamed only when its migrations have
 *   committed, so a crash mid-build never leaves a half-migrated template behind.
 * - The finished template is marked IS_TEMPLATE and ALLOW_CONNECTIONS false: nobody can be
 *   connected to it, which PostgreSQL requires of a template while it is being copied.
 * - Templates of other migration sets (other branches on a shared server) are left alone.
 */
export async function createDatabaseFromTemplate(url: string, template = migratedTemplateName()): Promise<TemplateClone> {
  const target = databaseName(url);
  if (!NAME_RE.test(template)) throw new Error('template name must be letters, digits and _ only');
  const admin = new Client({ connectionString: adminUrl(url), application_name: 'zs-template' });
  await admin.connect();
  let built = false;
  try {
    await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK_ID]);
    try {
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
      if (exists.rowCount === 0) {
        await buildTemplate(admin, url, template);
        built = true;
      }
    } finally {
      await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK_ID]).catch(() => undefined);
    }
    await admin.query(`CREATE DATABASE "${target}" TEMPLATE "${template}"`);
  } finally {
    await admin.end();
  }
  return { template, built };
}

async function buildTemplate(admin: Client, url: string, template: string): Promise<void> {
  // A build whose process died left its half-migrated copy behind: only the lock holder builds,
  // so under the lock any such copy is an orphan.
  const orphans = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${template}\\_b%`]);
  for (const { datname } of orphans.rows as { datname: string }[]) {
    if (NAME_RE.test(datname)) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
  const building = `${template}_b${crypto.randomBytes(3).toString('hex')}`;
  const buildUrl = new URL(url);
  buildUrl.pathname = `/${building}`;
  try {
    await runMigrations(buildUrl.toString()); // creates the database, migrates, disconnects
    await admin.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`);
    await admin.query(`ALTER DATABASE "${template}" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
  } catch (e) {
    await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`).catch(() => undefined);
    throw e;
  }
}

/**
 * Drops one template database (after a schema change the old one is no longer used; templates
 * of other branches on a shared server may still be). It must lose its template mark first.
 */
export async function dropTemplateDatabase(url: string, template: string): Promise<void> {
  if (!NAME_RE.test(template)) throw new Error('template name must be letters, digits and _ only');
  const admin = new Client({ connectionString: adminUrl(url), application_name: 'zs-template' });
  await admin.connect();
  try {
    const r = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (r.rowCount === 0) return;
    await admin.query(`ALTER DATABASE "${template}" WITH IS_TEMPLATE false`);
    await admin.query(`DROP DATABASE IF EXISTS "${template}"`);
  } finally {
    await admin.end();
  }
}
