import crypto from 'crypto';
import { SecretBox, SecretBoxError } from './secret-box';

const key = () => crypto.randomBytes(32).toString('base64');

describe('SecretBox (AES-256-GCM, keys from the environment)', () => {
  it('round-trips, and never stores the clear value', () => {
    const box = SecretBox.parse(`k1:${key()}`);
    const stored = box.encrypt('693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa', 'chat_robots.webhook_key');
    expect(stored).toMatch(/^enc:v1:k1:/);
    expect(stored).not.toContain('693a91f6');
    expect(box.decrypt(stored, 'chat_robots.webhook_key')).toBe('693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa');
    expect(box.encrypt('same', 'c')).not.toBe(box.encrypt('same', 'c')); // fresh IV each time
  });

  it('refuses a value moved to another column or tampered with', () => {
    const box = SecretBox.parse(`k1:${key()}`);
    const stored = box.encrypt('SECabc', 'chat_robots.sign_secret');
    expect(() => box.decrypt(stored, 'chat_robots.webhook_key')).toThrow(SecretBoxError);
    const parts = stored.split(':');
    parts[5] = Buffer.from('x' + Buffer.from(parts[5], 'base64url').toString('latin1').slice(1), 'latin1').toString('base64url');
    expect(() => box.decrypt(parts.join(':'), 'chat_robots.sign_secret')).toThrow(/failed authentication/);
  });

  it('rotates: the first key encrypts, every listed key decrypts, a removed key is named', () => {
    const k1 = `k1:${key()}`;
    const k2 = `k2:${key()}`;
    const old = SecretBox.parse(k1).encrypt('v', 'c');
    const both = SecretBox.parse(`${k2},${k1}`);
    expect(both.decrypt(old, 'c')).toBe('v');
    expect(both.needsReencryption(old)).toBe(true);
    const fresh = both.encrypt('v', 'c');
    expect(SecretBox.keyIdOf(fresh)).toBe('k2');
    expect(both.needsReencryption(fresh)).toBe(false);
    expect(() => SecretBox.parse(k2).decrypt(old, 'c')).toThrow(/no key "k1"/);
  });

  it('rejects malformed keys without echoing them', () => {
    const secret = 'c2hvcnQ=';
    for (const spec of [`k1:${secret}`, 'nocolon', `k1:${key()},k1:${key()}`, '']) {
      try {
        SecretBox.parse(spec);
        throw new Error('accepted');
      } catch (e) {
        expect(e).toBeInstanceOf(SecretBoxError);
        expect((e as Error).message).not.toContain(secret);
      }
    }
    expect(SecretBox.parse(`hex:${crypto.randomBytes(32).toString('hex')}`).currentKeyId).toBe('hex');
  });
});
