import { MigrationInterface, QueryRunner } from 'typeorm';
import { requireSecretBox, secretFingerprint, SecretBox } from '../secret-box';

export const ROBOT_KEY_CONTEXT = 'chat_robots.webhook_key';
export const ROBOT_SECRET_CONTEXT = 'chat_robots.sign_secret';

/**
 * Robot webhook keys and signing secrets, encrypted at rest (AES-256-GCM, SECRET_ENCRYPTION_KEYS;
 * see secret-box.ts). Rows stored in clear by earlier versions are encrypted here. Uniqueness
 * moves from the key itself to its SHA-256 (webhook keys are long random tokens), and the
 * last four characters are kept apart for administrators to tell robots apart.
 */
export class EncryptRobotSecrets1764600000001 implements MigrationInterface {
  name = 'EncryptRobotSecrets1764600000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE chat_robots ADD COLUMN webhook_key_sha256 text, ADD COLUMN key_hint text`);
    const rows: { id: string; platform: string; webhook_key: string; sign_secret: string | null }[] = await q.query(
      `SELECT id::text AS id, platform, webhook_key, sign_secret FROM chat_robots ORDER BY id`,
    );
    // Only asks for the key when there is something to encrypt: a fresh database migrates without it.
    const box: SecretBox | null = rows.length ? requireSecretBox() : null;
    for (const r of rows) {
      const key = SecretBox.isEncrypted(r.webhook_key) ? box!.decrypt(r.webhook_key, ROBOT_KEY_CONTEXT) : r.webhook_key;
      const secret = r.sign_secret && !SecretBox.isEncrypted(r.sign_secret) ? box!.encrypt(r.sign_secret, ROBOT_SECRET_CONTEXT) : r.sign_secret;
      await q.query(`UPDATE chat_robots SET webhook_key = $2, sign_secret = $3, webhook_key_sha256 = $4, key_hint = $5 WHERE id = $1`, [
        r.id,
        SecretBox.isEncrypted(r.webhook_key) ? r.webhook_key : box!.encrypt(key, ROBOT_KEY_CONTEXT),
        secret,
        secretFingerprint(r.platform, key),
        key.slice(-4),
      ]);
    }
    await q.query(`ALTER TABLE chat_robots ALTER COLUMN webhook_key_sha256 SET NOT NULL, ALTER COLUMN key_hint SET NOT NULL`);
    await q.query(`ALTER TABLE chat_robots DROP CONSTRAINT IF EXISTS chat_robots_platform_webhook_key_key`);
    await q.query(`ALTER TABLE chat_robots ADD CONSTRAINT chat_robots_platform_webhook_key_sha256_key UNIQUE (platform, webhook_key_sha256)`);
  }

  async down(q: QueryRunner): Promise<void> {
    const rows: { id: string; webhook_key: string; sign_secret: string | null }[] = await q.query(`SELECT id::text AS id, webhook_key, sign_secret FROM chat_robots`);
    const box = rows.length ? requireSecretBox() : null;
    for (const r of rows) {
      await q.query(`UPDATE chat_robots SET webhook_key = $2, sign_secret = $3 WHERE id = $1`, [
        r.id,
        box!.decrypt(r.webhook_key, ROBOT_KEY_CONTEXT),
        r.sign_secret ? box!.decrypt(r.sign_secret, ROBOT_SECRET_CONTEXT) : null,
      ]);
    }
    await q.query(`ALTER TABLE chat_robots DROP CONSTRAINT IF EXISTS chat_robots_platform_webhook_key_sha256_key`);
    await q.query(`ALTER TABLE chat_robots ADD CONSTRAINT chat_robots_platform_webhook_key_key UNIQUE (platform, webhook_key)`);
    await q.query(`ALTER TABLE chat_robots DROP COLUMN webhook_key_sha256, DROP COLUMN key_hint`);
  }
}
