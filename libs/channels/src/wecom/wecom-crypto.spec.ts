import { createCipheriv, createDecipheriv } from 'node:crypto';
import { WecomCrypto, WecomCryptoError, WecomErrorCode } from './wecom-crypto';
import { parseWecomXml } from './wecom-xml';

// ---- PROTOCOLS.md, Set B (documentation example) ----
const B = {
  token: 'QDG6eK',
  key: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  receiveId: 'wx5823bf96d3bd56c7',
  get: {
    msgSignature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
    timestamp: '1409659589',
    nonce: '263014780',
    echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
    echostrUrl:
      'P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D',
    answer: '1616140317555161061',
  },
  post: {
    msgSignature: '477715d11cdb4164915debcba66cb864d751f3e6',
    timestamp: '1409659813',
    nonce: '1372623149',
    encrypt:
      'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==',
    plaintext:
      '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n' +
      '<FromUserName><![CDATA[mycreate]]></FromUserName>\n' +
      '<CreateTime>1409659813</CreateTime>\n' +
      '<MsgType><![CDATA[text]]></MsgType>\n' +
      '<Content><![CDATA[hello]]></Content>\n' +
      '<MsgId>4561255354251345929</MsgId>\n' +
      '<AgentID>218</AgentID>\n' +
      '</xml>',
  },
};

// ---- PROTOCOLS.md, Set C (deterministic encrypt) ----
const C = {
  token: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
  key: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
  receiveId: 'ww1436e0e65a779aee',
  random16: Buffer.from('0123456789abcdef', 'utf8'),
  timestamp: '1476422779',
  nonce: '1597212914',
  plaintext:
    '<xml><ToUserName><![CDATA[ChenJiaShun]]></ToUserName><FromUserName><![CDATA[ww1436e0e65a779aee]]></FromUserName><CreateTime>1476422779</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content></xml>',
  encrypt:
    'scEag1243Fmy/fYz4Ux8D8N5SnF8hVgPRhbpE6RFTd43wItB3tU35ey7AfyjP3USpNtjVC2e/BY6qtChP0XyxvJ4k18/W87auDbchfrVIYQgtYonO1ifNEUGtQgUy9ch1iD+TwWJMlnxazPTQPYo9W3it/eMVogAA+kBCs45ocHtLs2ji/uvevh4IamFVYP70DVyGikcOEglZxcCn7/Io2WsFMvL6VuToxb4EkzylLgD2Cifk7JbJO77LL3w/02ZnDfec5YniBBqXZVX7vX0QwJLPkh980vaFNeAoYdgZa5ZghZXoSG9DR4Q0+lKBpjRmfX5lYTdEsYm1hPDRV9Tm+wyo5k7JfFCZfHEUBmM29yDk8AvqHG0/q4bgIK98bPG',
  msgSignature: '2c4829c339434a358323f1ad34a7ef839658f40f',
};

const setB = () => new WecomCrypto(B.token, B.key, B.receiveId);
const setC = () => new WecomCrypto(C.token, C.key, C.receiveId);

function rawKey(encodingAesKey: string): Buffer {
  return Buffer.from(encodingAesKey + '=', 'base64');
}

/** AES-256-CBC with the raw WeCom key, IV = key[0..16), no automatic padding. */
function rawEncrypt(encodingAesKey: string, plain: Buffer): string {
  const key = rawKey(encodingAesKey);
  const c = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  c.setAutoPadding(false);
  return Buffer.concat([c.update(plain), c.final()]).toString('base64');
}

function rawDecrypt(encodingAesKey: string, b64: string): Buffer {
  const key = rawKey(encodingAesKey);
  const d = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  d.setAutoPadding(false);
  return Buffer.concat([d.update(Buffer.from(b64, 'base64')), d.final()]);
}

/** random(16) | msg_len | msg | receiveid, unpadded. */
function frame(msg: Buffer, receiveId: string, msgLen = msg.length): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msgLen >>> 0, 0);
  return Buffer.concat([Buffer.alloc(16, 0x61), len, msg, Buffer.from(receiveId, 'utf8')]);
}

function pkcs7(body: Buffer, block = 32): Buffer {
  const pad = block - (body.length % block);
  return Buffer.concat([body, Buffer.alloc(pad, pad)]);
}

function codeOf(fn: () => unknown): number | string {
  try {
    fn();
  } catch (e) {
    if (e instanceof WecomCryptoError) return e.code;
    return `non-WecomCryptoError: ${String(e)}`;
  }
  return 'no error';
}

describe('WecomErrorCode / WecomCryptoError', () => {
  it('exposes the official codes', () => {
    expect(WecomErrorCode).toEqual({
      Signature: -40001,
      Parse: -40002,
      IllegalAesKey: -40004,
      ReceiveIdMismatch: -40005,
      Decrypt: -40007,
      IllegalBuffer: -40008,
    });
  });

  it('is an Error with a code', () => {
    const e = new WecomCryptoError(-40001, 'x');
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(WecomCryptoError);
    expect(e.code).toBe(-40001);
    expect(e.name).toBe('WecomCryptoError');
    expect(e.message).toBe('x');
  });
});

describe('WecomCrypto constructor (EncodingAESKey)', () => {
  it('accepts the 43-character keys of sets B and C', () => {
    expect(() => setB()).not.toThrow();
    expect(() => setC()).not.toThrow();
  });

  it.each([
    ['42 characters', B.key.slice(0, 42)],
    ['44 characters', B.key + 'A'],
    ['empty', ''],
    ['43 characters with "=" padding included', B.key.slice(0, 42) + '='],
    ['43 characters with a non-base64 character', B.key.slice(0, 42) + '*'],
    ['43 characters with whitespace', ' ' + B.key.slice(1)],
    ['URL-safe alphabet', B.key.slice(0, 42) + '-'],
  ])('rejects a key that is %s with -40004', (_label, key) => {
    expect(codeOf(() => new WecomCrypto(B.token, key, B.receiveId))).toBe(WecomErrorCode.IllegalAesKey);
  });
});

describe('signature', () => {
  it('matches the Set B GET vector', () => {
    expect(setB().signature(B.get.timestamp, B.get.nonce, B.get.echostr)).toBe(B.get.msgSignature);
  });

  it('matches the Set B POST vector', () => {
    expect(setB().signature(B.post.timestamp, B.post.nonce, B.post.encrypt)).toBe(B.post.msgSignature);
  });

  it('verifySignature accepts the Set B vectors', () => {
    const c = setB();
    expect(c.verifySignature(B.get.msgSignature, B.get.timestamp, B.get.nonce, B.get.echostr)).toBe(true);
    expect(c.verifySignature(B.post.msgSignature, B.post.timestamp, B.post.nonce, B.post.encrypt)).toBe(true);
  });

  it('verifySignature is false on a length mismatch (no throw)', () => {
    const c = setB();
    expect(c.verifySignature('', B.get.timestamp, B.get.nonce, B.get.echostr)).toBe(false);
    expect(c.verifySignature(B.get.msgSignature + '0', B.get.timestamp, B.get.nonce, B.get.echostr)).toBe(false);
    expect(c.verifySignature(B.get.msgSignature.slice(1), B.get.timestamp, B.get.nonce, B.get.echostr)).toBe(false);
  });

  it('verifySignature is false when any signed field changes', () => {
    const c = setB();
    const s = B.post;
    const wrongSig = (s.msgSignature[0] === '0' ? '1' : '0') + s.msgSignature.slice(1);
    expect(c.verifySignature(wrongSig, s.timestamp, s.nonce, s.encrypt)).toBe(false);
    expect(c.verifySignature(s.msgSignature, '1409659814', s.nonce, s.encrypt)).toBe(false);
    expect(c.verifySignature(s.msgSignature, s.timestamp, '1372623140', s.encrypt)).toBe(false);
    expect(c.verifySignature(s.msgSignature, s.timestamp, s.nonce, s.encrypt.replace('R', 'S'))).toBe(false);
  });

  it('verifySignature is false for non-string input', () => {
    const c = setB();
    expect(c.verifySignature(undefined as unknown as string, B.get.timestamp, B.get.nonce, B.get.echostr)).toBe(false);
    expect(c.verifySignature(B.get.msgSignature, undefined as unknown as string, B.get.nonce, B.get.echostr)).toBe(
      false,
    );
  });
});

describe('Set B GET (URL verification, echostr)', () => {
  it('decrypts echostr to the bare answer', () => {
    const out = setB().verifyAndDecrypt({
      msgSignature: B.get.msgSignature,
      timestamp: B.get.timestamp,
      nonce: B.get.nonce,
      encrypt: B.get.echostr,
    });
    expect(out).toBe(B.get.answer);
    expect(out).not.toMatch(/[\s"\uFEFF]/);
  });

  it('the URL-encoded echostr decodes to the same value (decodeURIComponent and URLSearchParams)', () => {
    expect(decodeURIComponent(B.get.echostrUrl)).toBe(B.get.echostr);
    const query =
      `msg_signature=${B.get.msgSignature}&timestamp=${B.get.timestamp}` +
      `&nonce=${B.get.nonce}&echostr=${B.get.echostrUrl}`;
    const q = new URLSearchParams(query);
    expect(q.get('echostr')).toBe(B.get.echostr);
    expect(
      setB().verifyAndDecrypt({
        msgSignature: q.get('msg_signature')!,
        timestamp: q.get('timestamp')!,
        nonce: q.get('nonce')!,
        encrypt: q.get('echostr')!,
      }),
    ).toBe(B.get.answer);
  });

  it('the still-encoded echostr is not valid ciphertext (callers must URL-decode)', () => {
    expect(codeOf(() => setB().decrypt(B.get.echostrUrl))).toBe(WecomErrorCode.Decrypt);
  });
});

describe('Set B POST (message)', () => {
  it('verifies and decrypts to the exact plaintext', () => {
    const out = setB().verifyAndDecrypt({
      msgSignature: B.post.msgSignature,
      timestamp: B.post.timestamp,
      nonce: B.post.nonce,
      encrypt: B.post.encrypt,
    });
    expect(out).toBe(B.post.plaintext);
  });

  it('the decrypted XML parses with MsgId kept as an exact string', () => {
    const fields = parseWecomXml(setB().decrypt(B.post.encrypt));
    expect(fields).toEqual({
      ToUserName: 'wx5823bf96d3bd56c7',
      FromUserName: 'mycreate',
      CreateTime: '1409659813',
      MsgType: 'text',
      Content: 'hello',
      MsgId: '4561255354251345929',
      AgentID: '218',
    });
  });
});

describe('Set C (deterministic encrypt for replies)', () => {
  it('encrypt() gives the exact Encrypt', () => {
    expect(setC().encrypt(C.plaintext, C.random16)).toBe(C.encrypt);
  });

  it('signature() over it gives the exact MsgSignature', () => {
    expect(setC().signature(C.timestamp, C.nonce, C.encrypt)).toBe(C.msgSignature);
  });

  it('encryptReply() gives the exact Encrypt, MsgSignature, TimeStamp and Nonce', () => {
    expect(setC().encryptReply(C.plaintext, C.timestamp, C.nonce, C.random16)).toEqual({
      encrypt: C.encrypt,
      msgSignature: C.msgSignature,
      timestamp: C.timestamp,
      nonce: C.nonce,
    });
  });

  it('buildEncryptedReplyXml() gives the exact reply XML, which parses and verifies back', () => {
    const c = setC();
    const xml = c.buildEncryptedReplyXml(C.plaintext, C.timestamp, C.nonce, C.random16);
    expect(xml).toBe(
      `<xml><Encrypt><![CDATA[${C.encrypt}]]></Encrypt>` +
        `<MsgSignature><![CDATA[${C.msgSignature}]]></MsgSignature>` +
        `<TimeStamp>${C.timestamp}</TimeStamp>` +
        `<Nonce><![CDATA[${C.nonce}]]></Nonce></xml>`,
    );
    const f = parseWecomXml(xml);
    expect(
      c.verifyAndDecrypt({ msgSignature: f.MsgSignature, timestamp: f.TimeStamp, nonce: f.Nonce, encrypt: f.Encrypt }),
    ).toBe(C.plaintext);
  });

  it('decrypts its own vector', () => {
    expect(setC().decrypt(C.encrypt)).toBe(C.plaintext);
  });

  it('uses fresh randomness when random16 is omitted, and round-trips', () => {
    const c = setC();
    const a = c.encrypt(C.plaintext);
    const b = c.encrypt(C.plaintext);
    expect(a).not.toBe(b);
    expect(c.decrypt(a)).toBe(C.plaintext);
    expect(c.decrypt(b)).toBe(C.plaintext);
  });

  it('rejects a random16 that is not 16 bytes', () => {
    expect(() => setC().encrypt('x', Buffer.alloc(15))).toThrow(RangeError);
    expect(() => setC().encrypt('x', Buffer.alloc(17))).toThrow(RangeError);
  });

  it('a 26-byte message makes a 64-byte plaintext, a full 32-byte pad block and a 96-byte ciphertext', () => {
    const c = setC();
    const msg = 'abcdefghijklmnopqrstuvwxyz';
    expect(Buffer.byteLength(msg)).toBe(26);
    expect(16 + 4 + 26 + Buffer.byteLength(C.receiveId)).toBe(64);
    const enc = c.encrypt(msg, C.random16);
    expect(Buffer.from(enc, 'base64')).toHaveLength(96);
    const plain = rawDecrypt(C.key, enc);
    expect(plain.subarray(64).equals(Buffer.alloc(32, 32))).toBe(true);
    expect(c.decrypt(enc)).toBe(msg);
  });

  it('pads every length to a multiple of 32 with a pad of 1..32', () => {
    const c = setC();
    for (let n = 0; n < 70; n++) {
      const msg = 'x'.repeat(n);
      const enc = c.encrypt(msg, C.random16);
      const plain = rawDecrypt(C.key, enc);
      expect(plain.length % 32).toBe(0);
      const pad = plain[plain.length - 1];
      expect(pad).toBeGreaterThanOrEqual(1);
      expect(pad).toBeLessThanOrEqual(32);
      expect(c.decrypt(enc)).toBe(msg);
    }
  });
});

describe('round trips', () => {
  it('AI bot (receiveid "") with JSON and multi-byte content', () => {
    const bot = new WecomCrypto(C.token, C.key, '');
    const json = JSON.stringify({ msgid: 'm1', msgtype: 'text', text: { content: '你好 👋 ]]>' } });
    expect(bot.decrypt(bot.encrypt(json))).toBe(json);
  });

  it('keeps a leading BOM in the message', () => {
    const c = setC();
    expect(c.decrypt(c.encrypt('\uFEFFhi'))).toBe('\uFEFFhi');
  });

  it('empty message', () => {
    const c = setC();
    expect(c.decrypt(c.encrypt(''))).toBe('');
  });
});

describe('negative cases', () => {
  it('Set B data with another token fails the signature (-40001), GET and POST', () => {
    const other = new WecomCrypto(C.token, B.key, B.receiveId);
    expect(other.verifySignature(B.get.msgSignature, B.get.timestamp, B.get.nonce, B.get.echostr)).toBe(false);
    expect(other.verifySignature(B.post.msgSignature, B.post.timestamp, B.post.nonce, B.post.encrypt)).toBe(false);
    expect(
      codeOf(() =>
        other.verifyAndDecrypt({
          msgSignature: B.get.msgSignature,
          timestamp: B.get.timestamp,
          nonce: B.get.nonce,
          encrypt: B.get.echostr,
        }),
      ),
    ).toBe(WecomErrorCode.Signature);
    expect(
      codeOf(() =>
        other.verifyAndDecrypt({
          msgSignature: B.post.msgSignature,
          timestamp: B.post.timestamp,
          nonce: B.post.nonce,
          encrypt: B.post.encrypt,
        }),
      ),
    ).toBe(WecomErrorCode.Signature);
  });

  it('Set C data with Set B token fails the signature (-40001)', () => {
    const other = new WecomCrypto(B.token, C.key, C.receiveId);
    expect(
      codeOf(() =>
        other.verifyAndDecrypt({ msgSignature: C.msgSignature, timestamp: C.timestamp, nonce: C.nonce, encrypt: C.encrypt }),
      ),
    ).toBe(WecomErrorCode.Signature);
  });

  it('verifyAndDecrypt with missing fields is -40001', () => {
    expect(codeOf(() => setB().verifyAndDecrypt({} as never))).toBe(WecomErrorCode.Signature);
  });

  it.each([
    ['another corpId', 'wx0000000000000000'],
    ['"" (AI bot)', ''],
    ['a prefix of the right one', 'wx5823bf96d3bd56c'],
    ['the right one plus a character', 'wx5823bf96d3bd56c7x'],
  ])('right ciphertext, wrong receiveid (%s) is -40005', (_label, receiveId) => {
    const c = new WecomCrypto(B.token, B.key, receiveId);
    expect(codeOf(() => c.decrypt(B.post.encrypt))).toBe(WecomErrorCode.ReceiveIdMismatch);
    expect(codeOf(() => c.decrypt(B.get.echostr))).toBe(WecomErrorCode.ReceiveIdMismatch);
    // the signature does not involve the receiveid, so the check happens after it passes
    expect(
      codeOf(() =>
        c.verifyAndDecrypt({
          msgSignature: B.post.msgSignature,
          timestamp: B.post.timestamp,
          nonce: B.post.nonce,
          encrypt: B.post.encrypt,
        }),
      ),
    ).toBe(WecomErrorCode.ReceiveIdMismatch);
  });

  describe('flipped ciphertext byte', () => {
    const flip = (b64: string, index: number, mask = 0x01): string => {
      const buf = Buffer.from(b64, 'base64');
      const i = index < 0 ? buf.length + index : index;
      buf[i] ^= mask;
      return buf.toString('base64');
    };

    it('is caught by the signature (-40001) wherever the byte is', () => {
      const c = setB();
      const len = Buffer.from(B.post.encrypt, 'base64').length;
      for (const i of [0, 1, 15, 16, 100, len - 33, len - 17, len - 1]) {
        const tampered = flip(B.post.encrypt, i);
        expect(
          codeOf(() =>
            c.verifyAndDecrypt({
              msgSignature: B.post.msgSignature,
              timestamp: B.post.timestamp,
              nonce: B.post.nonce,
              encrypt: tampered,
            }),
          ),
        ).toBe(WecomErrorCode.Signature);
      }
    });

    it('in the last block garbles the padding: decrypt() is -40007', () => {
      expect(codeOf(() => setB().decrypt(flip(B.post.encrypt, -1)))).toBe(WecomErrorCode.Decrypt);
      expect(codeOf(() => setB().decrypt(flip(B.get.echostr, -1)))).toBe(WecomErrorCode.Decrypt);
    });

    it('at the end of the second-to-last block turns pad 30 into 31 with inconsistent bytes: -40007', () => {
      // CBC: flipping byte k of block n-1 flips byte k of plaintext block n.
      expect(rawDecrypt(B.key, B.post.encrypt).at(-1)).toBe(30);
      expect(codeOf(() => setB().decrypt(flip(B.post.encrypt, -17, 30 ^ 31)))).toBe(WecomErrorCode.Decrypt);
    });

    it('never yields the original plaintext', () => {
      const c = setB();
      const len = Buffer.from(B.post.encrypt, 'base64').length;
      for (let i = 0; i < len; i++) {
        let out: string | undefined;
        try {
          out = c.decrypt(flip(B.post.encrypt, i));
        } catch (e) {
          expect(e).toBeInstanceOf(WecomCryptoError);
        }
        expect(out).not.toBe(B.post.plaintext);
      }
    });
  });

  describe('crafted padding (raw key, no auto padding)', () => {
    const msg = Buffer.from('hello', 'utf8');

    it('control: a crafted, correctly padded plaintext decrypts', () => {
      const enc = rawEncrypt(C.key, pkcs7(frame(msg, C.receiveId)));
      expect(setC().decrypt(enc)).toBe('hello');
    });

    it('pad 0 is -40007', () => {
      const padded = pkcs7(frame(msg, C.receiveId));
      padded[padded.length - 1] = 0;
      expect(codeOf(() => setC().decrypt(rawEncrypt(C.key, padded)))).toBe(WecomErrorCode.Decrypt);
    });

    it('pad 0 on a block-aligned body is -40007', () => {
      // 16 + 4 + 5 + 18 = 43 bytes; add 21 zero bytes -> 64
      const body = frame(msg, C.receiveId);
      const padded = Buffer.concat([body, Buffer.alloc(64 - body.length, 0)]);
      expect(codeOf(() => setC().decrypt(rawEncrypt(C.key, padded)))).toBe(WecomErrorCode.Decrypt);
    });

    it('pad 33 (> 32, all pad bytes consistent) is -40007', () => {
      const body = frame(Buffer.alloc(0), 'x'.repeat(11)); // 16 + 4 + 0 + 11 = 31 bytes
      expect(body.length).toBe(31);
      const padded = Buffer.concat([body, Buffer.alloc(33, 33)]); // 64 bytes
      expect(codeOf(() => setC().decrypt(rawEncrypt(C.key, padded)))).toBe(WecomErrorCode.Decrypt);
      // the same body with a correct pad decrypts, so the pad value alone is what fails
      const withX = new WecomCrypto(C.token, C.key, 'x'.repeat(11));
      expect(withX.decrypt(rawEncrypt(C.key, pkcs7(body)))).toBe('');
    });

    it('pad 255 (> 32) is -40007', () => {
      const padded = pkcs7(frame(msg, C.receiveId));
      padded[padded.length - 1] = 255;
      expect(codeOf(() => setC().decrypt(rawEncrypt(C.key, padded)))).toBe(WecomErrorCode.Decrypt);
    });

    it('inconsistent pad bytes are -40007', () => {
      const padded = pkcs7(frame(msg, C.receiveId)); // pad 21
      expect(padded[padded.length - 1]).toBe(21);
      padded[padded.length - 5] = 20;
      expect(codeOf(() => setC().decrypt(rawEncrypt(C.key, padded)))).toBe(WecomErrorCode.Decrypt);
    });

    it('a pad larger than the whole plaintext (16-byte ciphertext, pad 32) is -40007', () => {
      const padded = Buffer.alloc(16, 32);
      expect(codeOf(() => setC().decrypt(rawEncrypt(C.key, padded)))).toBe(WecomErrorCode.Decrypt);
    });
  });

  describe('crafted framing', () => {
    it('msg_len one past the end is -40008', () => {
      const msg = Buffer.from('hello', 'utf8');
      const body = frame(msg, C.receiveId, msg.length + Buffer.byteLength(C.receiveId) + 1);
      expect(codeOf(() => setC().decrypt(rawEncrypt(C.key, pkcs7(body))))).toBe(WecomErrorCode.IllegalBuffer);
    });

    it('msg_len 0xFFFFFFFF is -40008', () => {
      const body = frame(Buffer.from('hello'), C.receiveId, 0xffffffff);
      expect(codeOf(() => setC().decrypt(rawEncrypt(C.key, pkcs7(body))))).toBe(WecomErrorCode.IllegalBuffer);
    });

    it('msg_len exactly up to the end (receiveid swallowed into msg) is a receiveid mismatch, -40005', () => {
      const msg = Buffer.from('hello', 'utf8');
      const body = frame(msg, C.receiveId, msg.length + Buffer.byteLength(C.receiveId));
      expect(codeOf(() => setC().decrypt(rawEncrypt(C.key, pkcs7(body))))).toBe(WecomErrorCode.ReceiveIdMismatch);
    });

    it('a plaintext shorter than random(16) + msg_len(4) is -40008', () => {
      const padded = pkcs7(Buffer.alloc(10, 0x61)); // 10 bytes + pad 22
      expect(codeOf(() => setC().decrypt(rawEncrypt(C.key, padded)))).toBe(WecomErrorCode.IllegalBuffer);
      const allPad = Buffer.alloc(32, 32); // content empty
      expect(codeOf(() => setC().decrypt(rawEncrypt(C.key, allPad)))).toBe(WecomErrorCode.IllegalBuffer);
    });

    it('invalid UTF-8 in the message is -40002', () => {
      for (const bad of [[0xff], [0xc3], [0xe4, 0xbd], [0xed, 0xa0, 0x80], [0xc0, 0xaf]]) {
        const body = frame(Buffer.from([0x61, ...bad, 0x62]), C.receiveId);
        expect(codeOf(() => setC().decrypt(rawEncrypt(C.key, pkcs7(body))))).toBe(WecomErrorCode.Parse);
      }
    });
  });

  describe('ciphertext encoding', () => {
    it.each([
      ['empty', ''],
      ['not base64', '@@@@'],
      ['URL-safe base64', B.post.encrypt.replace(/\+/g, '-').replace(/\//g, '_')],
      ['base64 with whitespace', B.post.encrypt.slice(0, 40) + '\n' + B.post.encrypt.slice(40)],
      ['base64 with a missing padding character', B.post.encrypt.slice(0, -1)],
      ['17 bytes (not a multiple of 16)', Buffer.alloc(17, 1).toString('base64')],
      ['15 bytes (not a multiple of 16)', Buffer.alloc(15, 1).toString('base64')],
      ['spaces instead of "+" (form-decoded)', B.post.encrypt.replace(/\+/g, ' ')],
    ])('%s is -40007', (_label, value) => {
      expect(codeOf(() => setB().decrypt(value))).toBe(WecomErrorCode.Decrypt);
    });

    it('a non-string is -40007', () => {
      expect(codeOf(() => setB().decrypt(undefined as unknown as string))).toBe(WecomErrorCode.Decrypt);
    });

    it('a different key (same receiveid) is rejected, never silently accepted', () => {
      const wrongKey = new WecomCrypto(B.token, C.key, B.receiveId);
      const code = codeOf(() => wrongKey.decrypt(B.post.encrypt));
      expect([WecomErrorCode.Decrypt, WecomErrorCode.IllegalBuffer, WecomErrorCode.ReceiveIdMismatch]).toContain(code);
    });
  });
});
