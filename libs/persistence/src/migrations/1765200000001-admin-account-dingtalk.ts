import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 钉钉登录 (issue 11): an admin account may be bound to a DingTalk identity, the `unionId` that
 * DingTalk's web sign-in answers with (GET /v1.0/contact/users/me), as `wecom_user_id` binds a
 * WeCom userid. One identity signs in to at most one account.
 */
export class AdminAccountDingtalk1765200000001 implements MigrationInterface {
  name = 'AdminAccountDingtalk1765200000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE admin_accounts ADD COLUMN dingtalk_union_id text`);
    await q.query(`ALTER TABLE admin_accounts ADD CONSTRAINT admin_accounts_dingtalk_union_id_key UNIQUE (dingtalk_union_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE admin_accounts DROP COLUMN dingtalk_union_id`);
  }
}
