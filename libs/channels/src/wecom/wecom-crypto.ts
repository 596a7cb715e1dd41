/**
 * WeCom (企业微信) callback crypto: signature, AES-256-CBC with 32-byte PKCS#7,
 * and the `random(16) | msg_len | msg | receiveid` plaintext framing.
 *
 * Used for both the self-built app callback (receiveId = corpId) and the
 * AI bot callback (receiveId = ""). Unlike the npm package `@wecom/crypto`,
 * this implementation rejects bad padding, a msg_len past the buffer, a
 * wrong receiveid and invalid UTF-8.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { TextDecoder } from 'node:util';

/** Official WeCom WXBizMsgCrypt error codes (the subset this module raises). */
export const WecomErrorCode = {
  /** -40001: signature check failed */
  Signature: -40001,
  /** -40002: XML / plaintext parse error (also invalid UTF-8 in the message) */
  Parse: -40002,
  /** -40004: EncodingAESKey is not 43 characters / does not decode to 32 bytes */
  IllegalAesKey: -40004,
  /** -40005: receiveid (corpId, or "" for the AI bot) does not match */
  ReceiveIdMismatch: -40005,
  /** -40007: AES decrypt failed (bad base64, bad length, bad padding) */
  Decrypt: -40007,
  /** -40008: plaintext framing is broken (msg_len past the buffer, too short) */
  IllegalBuffer: -40008,
} as const;
export type WecomErrorCodeValue = (typeof WecomErrorCode)[keyof typeof WecomErrorCode];

export class WecomCryptoError extends Error {
  constructor(
    public readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'WecomCryptoError';
  }
}

export interface WecomEncryptedReply {
  encrypt: string;
  msgSignature: string;
  timestamp: string;
  nonce: string;
}

export interface WecomSignedPayload {
  msgSignature: string;
  timestamp: string;
  nonce: string;
  encrypt: string;
}

/** PKCS#7 block size used by WeCom (NOT the AES block size). */
const PAD_BLOCK = 32;
const AES_BLOCK = 16;
const RANDOM_LEN = 16;
const HEADER_LEN = RANDOM_LEN + 4;
const KEY_RE = /^[A-Za-z0-9+/]{43}$/;
/** Canonical standard base64 with mandatory padding; no whitespace, no URL-safe alphabet. */
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * `ignoreBOM: true` keeps a leading U+FEFF in the message instead of silently
 * stripping it, so decrypt(encrypt(x)) === x for every well-formed string.
 */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function fail(code: number, message: string): never {
  throw new WecomCryptoError(code, message);
}

function cdata(value: string): string {
  return '<![CDATA[' + value.split(']]>').join(']]]]><![CDATA[>') + ']]>';
}

function escapeXmlText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export class WecomCrypto {
  private readonly key: Buffer;
  private readonly iv: Buffer;
  private readonly receiveIdBytes: Buffer;

  constructor(
    private readonly token: string,
    encodingAesKey: string,
    public readonly receiveId: string,
  ) {
    if (typeof encodingAesKey !== 'string' || encodingAesKey.length !== 43 || !KEY_RE.test(encodingAesKey)) {
      fail(WecomErrorCode.IllegalAesKey, 'EncodingAESKey must be 43 base64 characters');
    }
    const key = Buffer.from(encodingAesKey + '=', 'base64');
    if (key.length !== 32) {
      fail(WecomErrorCode.IllegalAesKey, 'EncodingAESKey must decode to 32 bytes');
    }
    this.key = key;
    this.iv = key.subarray(0, AES_BLOCK);
    this.receiveIdBytes = Buffer.from(receiveId ?? '', 'utf8');
  }

  /** `sha1_hex(sort([token, timestamp, nonce, encrypt]).join(''))` */
  signature(timestamp: string, nonce: string, encrypt: string): string {
    const parts = [this.token, String(timestamp), String(nonce), String(encrypt)].sort();
    return createHash('sha1').update(parts.join(''), 'utf8').digest('hex');
  }

  /** Constant-time comparison; false on any length mismatch or non-string input. */
  verifySignature(msgSignature: string, timestamp: string, nonce: string, encrypt: string): boolean {
    if (
      typeof msgSignature !== 'string' ||
      typeof timestamp !== 'string' ||
      typeof nonce !== 'string' ||
      typeof encrypt !== 'string'
    ) {
      return false;
    }
    const expected = Buffer.from(this.signature(timestamp, nonce, encrypt), 'utf8');
    const given = Buffer.from(msgSignature, 'utf8');
    if (given.length !== expected.length) return false;
    return timingSafeEqual(given, expected);
  }

  /**
   * Decrypts a base64 `Encrypt` / `echostr` value and returns the message.
   * Does NOT check the signature: use {@link verifyAndDecrypt} for untrusted input.
   */
  decrypt(encrypt: string): string {
    if (typeof encrypt !== 'string' || encrypt.length === 0 || !BASE64_RE.test(encrypt)) {
      fail(WecomErrorCode.Decrypt, 'ciphertext is not canonical base64');
    }
    const ciphertext = Buffer.from(encrypt, 'base64');
    if (ciphertext.length === 0 || ciphertext.length % AES_BLOCK !== 0) {
      fail(WecomErrorCode.Decrypt, 'ciphertext length is not a multiple of 16');
    }

    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-cbc', this.key, this.iv);
      decipher.setAutoPadding(false);
      plain = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    } catch {
      fail(WecomErrorCode.Decrypt, 'AES decryption failed');
    }

    const pad = plain[plain.length - 1];
    if (pad < 1 || pad > PAD_BLOCK || pad > plain.length) {
      fail(WecomErrorCode.Decrypt, `invalid PKCS#7 pad value ${pad}`);
    }
    for (let i = plain.length - pad; i < plain.length; i++) {
      if (plain[i] !== pad) fail(WecomErrorCode.Decrypt, 'inconsistent PKCS#7 pad bytes');
    }
    const content = plain.subarray(0, plain.length - pad);

    if (content.length < HEADER_LEN) {
      fail(WecomErrorCode.IllegalBuffer, 'plaintext shorter than random(16) + msg_len(4)');
    }
    const msgLen = content.readUInt32BE(RANDOM_LEN);
    if (msgLen > content.length - HEADER_LEN) {
      fail(WecomErrorCode.IllegalBuffer, 'msg_len points past the end of the plaintext');
    }
    const msg = content.subarray(HEADER_LEN, HEADER_LEN + msgLen);
    const receiveId = content.subarray(HEADER_LEN + msgLen);
    if (!receiveId.equals(this.receiveIdBytes)) {
      fail(WecomErrorCode.ReceiveIdMismatch, 'receiveid mismatch');
    }
    try {
      return UTF8.decode(msg);
    } catch {
      fail(WecomErrorCode.Parse, 'message is not valid UTF-8');
    }
  }

  /** Encrypts `plaintext` (UTF-8) and returns base64. `random16` is for deterministic tests only. */
  encrypt(plaintext: string, random16?: Buffer): string {
    const random = random16 ?? randomBytes(RANDOM_LEN);
    if (!Buffer.isBuffer(random) || random.length !== RANDOM_LEN) {
      throw new RangeError('random16 must be a 16-byte Buffer');
    }
    const msg = Buffer.from(String(plaintext), 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(msg.length, 0);
    const body = Buffer.concat([random, len, msg, this.receiveIdBytes]);
    const pad = PAD_BLOCK - (body.length % PAD_BLOCK); // 1..32, a full block when aligned
    const padded = Buffer.concat([body, Buffer.alloc(pad, pad)]);
    const cipher = createCipheriv('aes-256-cbc', this.key, this.iv);
    cipher.setAutoPadding(false);
    return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
  }

  /** Signature check (-40001 on failure) followed by {@link decrypt}. Works for GET echostr too. */
  verifyAndDecrypt(payload: WecomSignedPayload): string {
    const { msgSignature, timestamp, nonce, encrypt } = payload ?? ({} as WecomSignedPayload);
    if (!this.verifySignature(msgSignature, timestamp, nonce, encrypt)) {
      fail(WecomErrorCode.Signature, 'msg_signature mismatch');
    }
    return this.decrypt(encrypt);
  }

  /** Encrypts a passive reply and signs it with the given timestamp and nonce. */
  encryptReply(plaintext: string, timestamp: string, nonce: string, random16?: Buffer): WecomEncryptedReply {
    const ts = String(timestamp);
    const n = String(nonce);
    const encrypt = this.encrypt(plaintext, random16);
    return { encrypt, msgSignature: this.signature(ts, n, encrypt), timestamp: ts, nonce: n };
  }

  /**
   * `<xml><Encrypt><![CDATA[..]]></Encrypt><MsgSignature><![CDATA[..]]></MsgSignature>`
   * `<TimeStamp>..</TimeStamp><Nonce><![CDATA[..]]></Nonce></xml>`
   */
  buildEncryptedReplyXml(plaintext: string, timestamp: string, nonce: string, random16?: Buffer): string {
    const r = this.encryptReply(plaintext, timestamp, nonce, random16);
    return (
      '<xml>' +
      `<Encrypt>${cdata(r.encrypt)}</Encrypt>` +
      `<MsgSignature>${cdata(r.msgSignature)}</MsgSignature>` +
      `<TimeStamp>${escapeXmlText(r.timestamp)}</TimeStamp>` +
      `<Nonce>${cdata(r.nonce)}</Nonce>` +
      '</xml>'
    );
  }
}
