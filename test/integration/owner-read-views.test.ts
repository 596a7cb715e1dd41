// The read-only views an owning service publishes for the others (ADR 0026): readable, free of
// secrets, and refusing every write, so a reader cannot change the owner's data through them.
import crypto from 'crypto';
import { Client } from 'pg';
import { createDatabaseFromTemplate, dropDatabase, OWNER_READ_VIEWS } from '@zs/persistence';
import { testDatabaseUrl } from '../support/harness';

describe('owner read views', () => {
  const url = testDatabaseUrl(crypto.randomBytes(4).toString('hex'));
  let db: Client;

  beforeAll(async () => {
    await createDatabaseFromTemplate(url);
    db = new Client({ connectionString: url });
    await db.connect();
    const [u] = (await db.query(`INSERT INTO units (name, kind, profile_key) VALUES ('视图测试县', 'county', 'view-probe') RETURNING id`)).rows;
    await db.query(`INSERT INTO members (name, unit_id, role, wecom_user_id) VALUES ('视图测试员', $1, 'admin', 'view-probe-user')`, [u.id]);
  });

  afterAll(async () => {
    await db?.end();
    await dropDatabase(url);
  });

  it('shows the owner\'s rows to readers', async () => {
    const { rows } = await db.query(
      `SELECT m.name, m.role, u.name AS unit FROM directory_members_v m JOIN directory_units_v u ON u.id = m.unit_id WHERE m.wecom_user_id = 'view-probe-user'`,
    );
    expect(rows).toEqual([{ name: '视图测试员', role: 'admin', unit: '视图测试县' }]);
  });

  it('refuses inserts, updates and deletes through the views, naming the owner', async () => {
    const inserts: Record<string, string> = {
      directory_units_v: `INSERT INTO directory_units_v (name, kind) VALUES ('越权写入', 'county')`,
      directory_members_v: `INSERT INTO directory_members_v (name, unit_id, role) VALUES ('越权写入', 1, 'official')`,
      robot_directory_v: `INSERT INTO robot_directory_v (platform, name) VALUES ('wecom', '越权写入')`,
      delivery_outcomes_v: `INSERT INTO delivery_outcomes_v (dedup_key, status) VALUES ('越权写入', 'sent')`,
      evidence_refs_v: `INSERT INTO evidence_refs_v (id, platform, msg_type, media_id) VALUES (1, 'wecom', 'image', '越权写入')`,
      evidence_fetch_states_v: `INSERT INTO evidence_fetch_states_v (evidence_id, status) VALUES (1, 'stored')`,
    };
    expect(Object.keys(inserts).sort()).toEqual(Object.keys(OWNER_READ_VIEWS).sort());
    for (const [view, sql] of Object.entries(inserts)) {
      await expect(db.query(sql)).rejects.toThrow(`${view} is a read-only view of ${OWNER_READ_VIEWS[view].owner}`);
    }
    // row triggers fire on the rows an UPDATE or DELETE would touch: the probe rows above
    await expect(db.query(`UPDATE directory_members_v SET role = 'leader' WHERE wecom_user_id = 'view-probe-user'`)).rejects.toThrow(
      'directory_members_v is a read-only view of lead-intake',
    );
    await expect(db.query(`DELETE FROM directory_units_v WHERE profile_key = 'view-probe'`)).rejects.toThrow('directory_units_v is a read-only view of lead-intake');
    const { rows } = await db.query(`SELECT (SELECT count(*)::int FROM units WHERE profile_key = 'view-probe') AS units, (SELECT role FROM members WHERE wecom_user_id = 'view-probe-user') AS role`);
    expect(rows[0]).toEqual({ units: 1, role: 'admin' });
  });

  it('shows no webhook key or signing secret of a robot', async () => {
    const { rows } = await db.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'robot_directory_v' ORDER BY ordinal_position`,
    );
    expect(rows.map((r) => r.column_name)).toEqual(['id', 'platform', 'name', 'unit_id', 'status']);
  });

  it('shows notification the evidence references with their lead number, and lead-intake the fetch state without the bytes', async () => {
    const columns = async (view: string) =>
      (await db.query(`SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`, [view])).rows.map((r) => r.column_name);
    expect(await columns('evidence_refs_v')).toEqual(['id', 'lead_code', 'platform', 'msg_type', 'media_id', 'bot_id', 'file_name', 'created_at']);
    expect(await columns('evidence_fetch_states_v')).toEqual(['evidence_id', 'status', 'content_type', 'size_bytes', 'sha256', 'file_name', 'fetched_at']);
    // the fetch state left lead-intake's table with the move to notification
    expect((await columns('lead_evidence')).filter((c) => /fetch|content_type|size_bytes|sha256/.test(c))).toEqual([]);
  });
});
