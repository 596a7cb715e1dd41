import crypto from 'crypto';

/**
 * Encryption at rest for credentials the system must store (group robot webhook keys and
 * signing secrets): AES-256-GCM with keys from the environment, never from the database.
 *
 * SECRET_ENCRYPTION_KEYS = "<id>:<key>[,<id>:<key>...]", each key 32 bytes as base64 (or 64
 * hex digits), ids of letters, digits, `_` or `-`. The FIRST key encrypts; every listed key
 * decrypts, so rotation is: put a new key first, run `npm run secrets:rotate` (re-encrypts
 * every row with it), then drop the old key (docs/operations.md).
 *
 * Stored form: `enc:v1:<key id>:<iv>:<tag>:<ciphertext>` (base64url). The additional
 * authenticated data names the column, so a value copied into another column (a signing
 * secret moved into the webhook key) does not decrypt.
 */
export const SECRET_KEYS_ENV = 'SECRET_ENCRYPTION_KEYS';
const PREFIX = 'enc:v1:';

export class SecretBoxError extends Error {}

export class SecretBox {
  private constructor(private readonly keys: { id: string; key: Buffer }[]) {}

  /** Parses SECRET_ENCRYPTION_KEYS; the message of a failure never contains a key. */
  static parse(spec: string): SecretBox {
    const keys = spec
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((entry, i) => {
        const m = /^([A-Za-z0-9_-]{1,32}):(.+)$/.exec(entry);
        if (!m) throw new SecretBoxError(`${SECRET_KEYS_ENV}: entry ${i + 1} is not <id>:<key>`);
        const raw = /^[0-9a-fA-F]{64}$/.test(m[2]) ? Buffer.from(m[2], 'hex') : Buffer.from(m[2], 'base64');
        if (raw.length !== 32) throw new SecretBoxError(`${SECRET_KEYS_ENV}: key ${m[1]} must be 32 bytes (base64 or 64 hex digits)`);
        return { id: m[1], key: raw };
      });
    if (!keys.length) throw new SecretBoxError(`${SECRET_KEYS_ENV}: no key given`);
    if (new Set(keys.map((k) => k.id)).size !== keys.length) throw new SecretBoxError(`${SECRET_KEYS_ENV}: key ids must be unique`);
    return new SecretBox(keys);
  }

  /** From the environment, or null when SECRET_ENCRYPTION_KEYS is not set. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): SecretBox | null {
    const spec = env[SECRET_KEYS_ENV];
    return spec ? SecretBox.parse(spec) : null;
  }

  /** A fresh key entry for SECRET_ENCRYPTION_KEYS. */
  static generateKey(id: string): string {
    return `${id}:${crypto.randomBytes(32).toString('base64')}`;
  }

  get currentKeyId(): string {
    return this.keys[0].id;
  }

  static isEncrypted(stored: string): boolean {
    return stored.startsWith(PREFIX);
  }

  /** Key id a stored value was encrypted with (null for a clear value). */
  static keyIdOf(stored: string): string | null {
    return SecretBox.isEncrypted(stored) ? stored.slice(PREFIX.length).split(':')[0] : null;
  }

  encrypt(plain: string, context: string): string {
    const { id, key } = this.keys[0];
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const b = (x: Buffer) => x.toString('base64url');
    return `${PREFIX}${id}:${b(iv)}:${b(cipher.getAuthTag())}:${b(ct)}`;
  }

  decrypt(stored: string, context: string): string {
    if (!SecretBox.isEncrypted(stored)) throw new SecretBoxError('value is not encrypted (run the migrations)');
    const [id, iv, tag, ct] = stored.slice(PREFIX.length).split(':');
    const entry = this.keys.find((k) => k.id === id);
    if (!entry) throw new SecretBoxError(`no key "${id}" in ${SECRET_KEYS_ENV} (was it removed before rotating?)`);
    try {
      const decipher = crypto.createDecipheriv('aes-256-gcm', entry.key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError(`a stored secret failed authentication with key "${id}" (tampered, or another column's value)`);
    }
  }

  /** True when the value is clear or encrypted with a key other than the current one. */
  needsReencryption(stored: string): boolean {
    return SecretBox.keyIdOf(stored) !== this.currentKeyId;
  }
}

let fromEnvCache: { spec: string | undefined; box: SecretBox | null } | null = null;

/** The process's SecretBox (SECRET_ENCRYPTION_KEYS); throws a clear error when it is not configured. */
export function requireSecretBox(env: NodeJS.ProcessEnv = process.env): SecretBox {
  const spec = env[SECRET_KEYS_ENV];
  if (!fromEnvCache || fromEnvCache.spec !== spec) fromEnvCache = { spec, box: SecretBox.fromEnv(env) };
  if (!fromEnvCache.box) throw new SecretBoxError(`${SECRET_KEYS_ENV} is not set: robot credentials cannot be stored or read`);
  return fromEnvCache.box;
}

/** SHA-256 of a webhook key, for uniqueness and lookup without the key in clear (keys are long random tokens). */
export function secretFingerprint(platform: string, value: string): string {
  return crypto.createHash('sha256').update(`${platform}:${value}`, 'utf8').digest('hex');
}
