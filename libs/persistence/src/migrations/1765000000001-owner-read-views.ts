import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read-only views an owning service publishes for the others (ADR 0026, docs/table-ownership.md):
 * scoring, the scheduler and notification read the directory of lead-intake, the scheduler reads
 * robot names and delivery outcomes of notification, each through a view, never the table.
 * The views show only what readers need (no webhook keys or signing secrets), and an INSTEAD OF
 * trigger refuses every write through them (simple views are otherwise updatable in PostgreSQL).
 */
export class OwnerReadViews1765000000001 implements MigrationInterface {
  name = 'OwnerReadViews1765000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION zs_refuse_view_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is a read-only view of %: write through its owner', TG_TABLE_NAME, TG_ARGV[0]
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    const views: [name: string, owner: string, sql: string][] = [
      ['directory_units_v', 'lead-intake', `SELECT id, profile_key, name, kind, ranked, flags FROM units`],
      ['directory_members_v', 'lead-intake', `SELECT id, name, unit_id, role, leader_post, wecom_user_id, dingtalk_staff_id, mobile FROM members`],
      ['robot_directory_v', 'notification', `SELECT id, platform, name, unit_id, status FROM chat_robots`],
      ['delivery_outcomes_v', 'notification', `SELECT dedup_key, status FROM delivery_log`],
    ];
    for (const [name, owner, sql] of views) {
      await q.query(`CREATE VIEW ${name} AS ${sql}`);
      await q.query(`COMMENT ON VIEW ${name} IS 'owned by ${owner}; read-only for other services (ADR 0026)'`);
      await q.query(
        `CREATE TRIGGER ${name}_read_only INSTEAD OF INSERT OR UPDATE OR DELETE ON ${name} FOR EACH ROW EXECUTE FUNCTION zs_refuse_view_write('${owner}')`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const name of ['delivery_outcomes_v', 'robot_directory_v', 'directory_members_v', 'directory_units_v']) {
      await q.query(`DROP VIEW IF EXISTS ${name}`);
    }
    await q.query(`DROP FUNCTION IF EXISTS zs_refuse_view_write()`);
  }
}
