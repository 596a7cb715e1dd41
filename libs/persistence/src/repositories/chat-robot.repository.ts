import { DataSource, EntityManager } from 'typeorm';
import { ConflictError } from './directory.repository';
import { requireSecretBox, secretFingerprint, SecretBox } from '../secret-box';
import { ROBOT_KEY_CONTEXT, ROBOT_SECRET_CONTEXT } from '../migrations/1764600000001-encrypt-robot-secrets';

export type RobotPlatformRow = 'wecom' | 'dingtalk';

/** A robot as administrators see it: never the key or the signing secret. */
export interface RobotRow {
  id: string;
  platform: RobotPlatformRow;
  name: string;
  unitId: string | null;
  unitName: string | null;
  keyHint: string;
  hasSignSecret: boolean;
  status: 'ok' | 'broken';
  brokenErrcode: number | null;
  brokenReason: string | null;
  brokenAt: Date | null;
  createdAt: Date;
}

/**
 * A robot with its credentials, for the sender only. Never log it: `toJSON` masks the
 * secrets, so an accidental `logger.info({ robot })` or JSON.stringify shows no secret.
 */
export interface RobotCredentials {
  id: string;
  platform: RobotPlatformRow;
  name: string;
  status: 'ok' | 'broken';
  brokenErrcode: number | null;
  brokenReason: string | null;
  webhookKey: string;
  signSecret: string | null;
}

export interface NewRobot {
  platform: RobotPlatformRow;
  name: string;
  unitId?: string | null;
  webhookKey: string;
  signSecret?: string | null;
}

const VIEW_SELECT = `
  SELECT r.id::text AS "id", r.platform AS "platform", r.name AS "name", r.unit_id::text AS "unitId", u.name AS "unitName",
         '****' || r.key_hint AS "keyHint", (r.sign_secret IS NOT NULL) AS "hasSignSecret",
         r.status AS "status", r.broken_errcode AS "brokenErrcode", r.broken_reason AS "brokenReason",
         r.broken_at AS "brokenAt", r.created_at AS "createdAt"
  FROM chat_robots r LEFT JOIN directory_units_v u ON u.id = r.unit_id`;

const isId = (id: string) => /^\d{1,18}$/.test(id);

/**
 * Group robots (WeCom group robot webhooks, DingTalk custom robots) and whether each still works.
 * Webhook keys and signing secrets are stored encrypted (secret-box.ts); only `create` and
 * `credentials` need the key (SECRET_ENCRYPTION_KEYS, or the box given here).
 */
export class ChatRobotRepository {
  constructor(
    private readonly db: DataSource | EntityManager,
    private readonly secretBox?: SecretBox,
  ) {}

  private box(): SecretBox {
    return this.secretBox ?? requireSecretBox();
  }

  async list(): Promise<RobotRow[]> {
    return this.db.query(`${VIEW_SELECT} ORDER BY r.id`);
  }

  async view(id: string): Promise<RobotRow | null> {
    if (!isId(id)) return null;
    const rows = await this.db.query(`${VIEW_SELECT} WHERE r.id = $1`, [id]);
    return rows[0] ?? null;
  }

  async create(r: NewRobot): Promise<RobotRow> {
    const box = this.box();
    try {
      const rows = await this.db.query(
        `INSERT INTO chat_robots (platform, name, unit_id, webhook_key, sign_secret, webhook_key_sha256, key_hint)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id::text AS id`,
        [
          r.platform,
          r.name,
          r.unitId ?? null,
          box.encrypt(r.webhookKey, ROBOT_KEY_CONTEXT),
          r.signSecret ? box.encrypt(r.signSecret, ROBOT_SECRET_CONTEXT) : null,
          secretFingerprint(r.platform, r.webhookKey),
          r.webhookKey.slice(-4),
        ],
      );
      return (await this.view(rows[0].id))!;
    } catch (e) {
      const err = e as { code?: string; constraint?: string };
      if (err.code === '23505') throw new ConflictError('a robot with this key is already registered');
      if (err.code === '23503') throw new ConflictError('no unit with this id');
      // PostgreSQL errors can quote the row (the key and secret included): never pass them on to a log.
      throw new Error(`could not store the robot (SQLSTATE ${err.code ?? 'unknown'})`);
    }
  }

  /** The robot with its credentials, for sending. */
  async credentials(id: string): Promise<RobotCredentials | null> {
    if (!isId(id)) return null;
    const rows = await this.db.query(
      `SELECT id::text AS "id", platform, name, status, broken_errcode AS "brokenErrcode", broken_reason AS "brokenReason",
              webhook_key AS "webhookKey", sign_secret AS "signSecret"
       FROM chat_robots WHERE id = $1`,
      [id],
    );
    const row = rows[0];
    if (!row) return null;
    const box = this.box();
    row.webhookKey = box.decrypt(row.webhookKey, ROBOT_KEY_CONTEXT);
    row.signSecret = row.signSecret ? box.decrypt(row.signSecret, ROBOT_SECRET_CONTEXT) : null;
    Object.defineProperty(row, 'toJSON', {
      enumerable: false,
      value: () => ({ ...row, webhookKey: '[REDACTED]', signSecret: row.signSecret ? '[REDACTED]' : null }),
    });
    return row;
  }

  /**
   * Re-encrypts every stored robot secret with the current key (the first of
   * SECRET_ENCRYPTION_KEYS); returns how many rows changed. Run after putting a new key first.
   */
  async reencryptAll(): Promise<number> {
    const box = this.box();
    const rows: { id: string; webhookKey: string; signSecret: string | null }[] = await this.db.query(
      `SELECT id::text AS "id", webhook_key AS "webhookKey", sign_secret AS "signSecret" FROM chat_robots ORDER BY id`,
    );
    let changed = 0;
    for (const r of rows) {
      if (!box.needsReencryption(r.webhookKey) && !(r.signSecret && box.needsReencryption(r.signSecret))) continue;
      await this.db.query(`UPDATE chat_robots SET webhook_key = $2, sign_secret = $3, updated_at = now() WHERE id = $1`, [
        r.id,
        box.encrypt(box.decrypt(r.webhookKey, ROBOT_KEY_CONTEXT), ROBOT_KEY_CONTEXT),
        r.signSecret ? box.encrypt(box.decrypt(r.signSecret, ROBOT_SECRET_CONTEXT), ROBOT_SECRET_CONTEXT) : null,
      ]);
      changed++;
    }
    return changed;
  }

  /** Marks a robot broken. True only for the call that changed it from ok (so one alert per breakage). */
  async markBroken(id: string, errcode: number | null, reason: string): Promise<boolean> {
    if (!isId(id)) return false;
    const rows = await this.db.query(
      `UPDATE chat_robots SET status = 'broken', broken_errcode = $2, broken_reason = $3, broken_at = now(), updated_at = now()
       WHERE id = $1 AND status = 'ok' RETURNING id`,
      [id, errcode, reason.slice(0, 500)],
    );
    return rows.length === 1;
  }

  /** An administrator fixed the robot: it may be used again. */
  async reset(id: string): Promise<RobotRow | null> {
    if (!isId(id)) return null;
    await this.db.query(
      `UPDATE chat_robots SET status = 'ok', broken_errcode = NULL, broken_reason = NULL, broken_at = NULL, updated_at = now() WHERE id = $1`,
      [id],
    );
    return this.view(id);
  }
}

/** Health of channels that are not robots (a WeCom app, a DingTalk app), keyed e.g. `wecom-app:<corpId>:<agentId>`. */
export class ChannelHealthRepository {
  constructor(private readonly db: DataSource | EntityManager) {}

  /** True only for the call that changed the channel to broken. */
  async markBroken(channelKey: string, errcode: number | null, reason: string): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO channel_health (channel_key, status, errcode, reason, broken_at, updated_at) VALUES ($1, 'broken', $2, $3, now(), now())
       ON CONFLICT (channel_key) DO UPDATE SET status = 'broken', errcode = EXCLUDED.errcode, reason = EXCLUDED.reason,
         broken_at = CASE WHEN channel_health.status = 'broken' THEN channel_health.broken_at ELSE now() END, updated_at = now()
       RETURNING (xmax = 0 OR broken_at = updated_at) AS "changed"`,
      [channelKey, errcode, reason.slice(0, 500)],
    );
    return rows[0]?.changed === true;
  }

  /** A send on the channel worked again: clears a broken flag (no-op when there is none). */
  async markOk(channelKey: string): Promise<void> {
    await this.db.query(
      `UPDATE channel_health SET status = 'ok', errcode = NULL, reason = NULL, broken_at = NULL, updated_at = now()
       WHERE channel_key = $1 AND status = 'broken'`,
      [channelKey],
    );
  }

  async get(channelKey: string): Promise<{ status: 'ok' | 'broken'; errcode: number | null; reason: string | null } | null> {
    const rows = await this.db.query(`SELECT status, errcode, reason FROM channel_health WHERE channel_key = $1`, [channelKey]);
    return rows[0] ?? null;
  }
}
