import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A lead is numbered as late as possible in its registration (issue 10, docs/performance.md): it is
 * inserted without a code, the work that needs no number is done, and only then is the year's
 * counter locked and the code set, so registrations of a city wait on each other for fewer round
 * trips. The code may therefore be NULL inside the registering transaction, never after it: a
 * deferred constraint trigger checks every inserted lead at COMMIT and refuses one without a code.
 */
export class LeadNumberedAtCommit1765300000001 implements MigrationInterface {
  name = 'LeadNumberedAtCommit1765300000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE leads ALTER COLUMN code DROP NOT NULL`);
    await q.query(`
      CREATE FUNCTION leads_numbered_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM leads WHERE id = NEW.id AND code IS NULL) THEN
          RAISE EXCEPTION 'lead % would be committed without its number', NEW.id USING ERRCODE = 'not_null_violation';
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE CONSTRAINT TRIGGER leads_numbered_at_commit AFTER INSERT OR UPDATE OF code ON leads
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION leads_numbered_at_commit()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER leads_numbered_at_commit ON leads`);
    await q.query(`DROP FUNCTION leads_numbered_at_commit()`);
    await q.query(`ALTER TABLE leads ALTER COLUMN code SET NOT NULL`);
  }
}
