import fs from 'fs';
import os from 'os';
import path from 'path';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pa = require('./postgres-access');

describe('PostgreSQL access on a stock server', () => {
  it('tells a refused login (no user, no password, a wrong one) from a server that is not there', () => {
    expect(pa.classifyLoginError(Object.assign(new Error('password authentication failed for user "postgres"'), { code: '28P01' }))).toBe('auth');
    expect(pa.classifyLoginError(Object.assign(new Error('no PostgreSQL user name specified in startup packet'), { code: '28000' }))).toBe('auth');
    expect(pa.classifyLoginError(new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string'))).toBe('auth');
    expect(pa.classifyLoginError(Object.assign(new Error('database "zhaoshang" does not exist'), { code: '3D000' }))).toBe('no-database');
    expect(pa.classifyLoginError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe('unreachable');
  });

  it('becomes the postgres system user the way administrators do: as is, runuser when root, sudo otherwise', () => {
    const base = { isRoot: false, user: 'dev', hasRunuser: true, hasSudo: false, interactive: false };
    expect(pa.peerPsqlCommand({ ...base, user: 'postgres' })).toEqual(['psql']);
    expect(pa.peerPsqlCommand({ ...base, isRoot: true, user: 'root' })).toEqual(['runuser', '-u', 'postgres', '--', 'psql']);
    expect(pa.peerPsqlCommand({ ...base, hasSudo: true })).toEqual(['sudo', '-n', '-u', 'postgres', 'psql']);
    expect(pa.peerPsqlCommand({ ...base, hasSudo: true, interactive: true })).toEqual(['sudo', '-u', 'postgres', 'psql']);
    expect(pa.peerPsqlCommand(base)).toBeNull();
  });

  it('names the role after the database and puts it in the URL in place of the superuser', () => {
    expect(pa.namesFor('postgres://postgres@127.0.0.1:5432/zhaoshang')).toEqual({ role: 'zhaoshang', db: 'zhaoshang' });
    expect(() => pa.namesFor('postgres://postgres@127.0.0.1:5432/Zhao-Shang')).toThrow(/lower-case/);
    expect(pa.appRoleUrl('postgres://postgres@127.0.0.1:5499/zhaoshang', 'zhaoshang', 'abc123')).toBe('postgres://zhaoshang:abc123@127.0.0.1:5499/zhaoshang');
  });

  it('keeps the generated URL readable by its owner only, and reads it back', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zs-pg-access-'));
    try {
      const file = path.join(dir, '.run', 'postgres.env');
      pa.saveUrl('postgres://zhaoshang:s3cret@127.0.0.1:5432/zhaoshang', file);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(pa.readSavedUrl(file)).toBe('postgres://zhaoshang:s3cret@127.0.0.1:5432/zhaoshang');
      expect(pa.readSavedUrl(path.join(dir, 'absent.env'))).toBeNull();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("grants the role its own database and nothing else, and never touches the server's authentication rules", () => {
    const sql: string = pa.PROVISION_SQL;
    expect(sql).toContain('NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS');
    expect(sql).toContain('CREATE DATABASE %I OWNER %I');
    expect(sql).not.toMatch(/pg_hba|ALTER SYSTEM|pg_reload_conf|GRANT\s+pg_/i);
  });

  it('does not take a server that is not there for a refused login (no role is created for it)', async () => {
    // Port 1 on loopback: nothing listens, the connection itself is refused.
    const r = await pa.tryLogin('postgres://postgres@127.0.0.1:1/zhaoshang');
    expect(r.ok).toBe(false);
    expect(r.kind).toBe('unreachable');
  });
});
