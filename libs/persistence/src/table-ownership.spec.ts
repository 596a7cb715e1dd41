// Each service owns its tables (ADR 0026): this spec reads the migrations, every app's source and
// docs/table-ownership.md, and checks them against the map in table-ownership.ts.
import fs from 'fs';
import path from 'path';
import { OWNER_READ_VIEWS, REPOSITORY_OWNERS, TABLE_OWNERS, tableOwnershipViolations } from './table-ownership';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const APPS = ['bot-gateway', 'lead-intake', 'notification', 'scoring', 'scheduler'];

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(full));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts')) out.push(full);
  }
  return out;
}

const migrationsDir = path.join(__dirname, 'migrations');
const migrationText = fs
  .readdirSync(migrationsDir)
  .filter((f) => /^\d+-.*\.ts$/.test(f))
  .map((f) => fs.readFileSync(path.join(migrationsDir, f), 'utf8'))
  .join('\n');

describe('table ownership', () => {
  it('every table the migrations create has exactly one owner in the map, and the map names no other', () => {
    const created = [...migrationText.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?([a-z_][a-z0-9_]*)/g)].map((m) => m[1]);
    expect([...new Set(created)].sort()).toEqual(Object.keys(TABLE_OWNERS).sort());
  });

  it('every read view of the map is created by a migration over its owner\'s tables only', () => {
    for (const [name, v] of Object.entries(OWNER_READ_VIEWS)) {
      expect(migrationText).toContain(`'${name}', '${v.owner}'`);
      for (const t of v.over) expect(TABLE_OWNERS[t]).toBe(v.owner);
      expect(v.readers).not.toContain(v.owner);
    }
  });

  const repositoryDir = path.join(__dirname, 'repositories');
  const repositoryFiles = fs
    .readdirSync(repositoryDir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
    .map((f) => ({ file: f, text: fs.readFileSync(path.join(repositoryDir, f), 'utf8') }));
  const classesOf = (text: string) => [...text.matchAll(/export class (\w+Repository|Pg\w+Store)\b/g)].map((m) => m[1]);

  it('every repository of libs/persistence has an owner', () => {
    expect(repositoryFiles.flatMap((f) => classesOf(f.text)).sort()).toEqual(Object.keys(REPOSITORY_OWNERS).sort());
  });

  it('every repository of libs/persistence runs SQL only on its owner\'s tables and the views its owner reads', () => {
    const problems: string[] = [];
    for (const { file, text } of repositoryFiles) {
      const owners = [...new Set(classesOf(text).map((c) => REPOSITORY_OWNERS[c]))];
      if (owners.length === 0) continue;
      if (owners.length > 1) problems.push(`${file}: classes of ${owners.join(' and ')} in one file`);
      for (const v of tableOwnershipViolations(owners[0], text)) problems.push(`${file}: ${v.problem}`);
    }
    expect([...new Set(problems)]).toEqual([]);
  });

  it.each(APPS)('%s runs SQL only on its own tables and the views it is a reader of, and uses only its own repositories', (app) => {
    const problems: string[] = [];
    for (const file of sources(path.join(ROOT, 'apps', app, 'src'))) {
      const text = fs.readFileSync(file, 'utf8');
      const rel = path.relative(ROOT, file);
      for (const v of tableOwnershipViolations(app, text)) problems.push(`${rel}: ${v.problem}`);
      for (const m of text.matchAll(/\b(\w+Repository|Pg\w+Store)\b/g)) {
        const owner = REPOSITORY_OWNERS[m[1]];
        if (owner && owner !== app) problems.push(`${rel}: ${m[1]} works on tables of ${owner}`);
      }
    }
    expect([...new Set(problems)]).toEqual([]);
  });

  it('docs/table-ownership.md lists every table and view with its owner', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs', 'table-ownership.md'), 'utf8');
    const rows = new Map([...doc.matchAll(/^\|\s*`([a-z_0-9]+)`\s*\|\s*([a-z-]+)\s*\|/gm)].map((m) => [m[1], m[2]]));
    const expected = new Map<string, string>([...Object.entries(TABLE_OWNERS), ...Object.entries(OWNER_READ_VIEWS).map(([n, v]) => [n, v.owner] as [string, string])]);
    expect(Object.fromEntries(rows)).toEqual(Object.fromEntries(expected));
  });
});

describe('tableOwnershipViolations', () => {
  it('finds reads and writes of another service\'s table, and names the view to read instead', () => {
    const sql = [
      'SELECT name FROM members WHERE id = $1',
      'INSERT INTO units (name) VALUES ($1)',
      'UPDATE chat_robots SET status = $1',
      'DELETE FROM delivery_log',
      'SELECT * FROM directory_members_v m JOIN robot_directory_v r ON true',
      'INSERT INTO directory_units_v (name) VALUES ($1)',
      'WITH c AS (SELECT 1) SELECT * FROM c, unnest($1::bigint[]) JOIN trips t ON true',
    ].join('\n');
    expect(tableOwnershipViolations('scoring', sql).map((v) => v.problem)).toEqual([
      'members belongs to lead-intake (read directory_members_v instead)',
      'units belongs to lead-intake (ask lead-intake over NATS)',
      'chat_robots belongs to notification (ask notification over NATS)',
      'delivery_log belongs to notification (ask notification over NATS)',
      'scoring is not a listed reader of robot_directory_v',
      'directory_units_v is a read-only view of lead-intake',
      'trips belongs to scheduler (ask scheduler over NATS)',
    ]);
    expect(tableOwnershipViolations('lead-intake', 'UPDATE members SET name = $1; SELECT * FROM directory_members_v')).toEqual([]);
  });
});
