import crypto from 'crypto';
import path from 'path';
import { startSystem, TestSystem, waitFor } from '../support/harness';

/**
 * PROTOCOLS.md conformance through the gateway's HTTP endpoint (not only the library):
 * the documentation's Set B vectors, and each negative case, against the real services.
 */
const SET_B = {
  token: 'QDG6eK',
  encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  corpId: 'wx5823bf96d3bd56c7',
};
const GET_QUERY =
  'msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D';
const POST = {
  signature: '477715d11cdb4164915debcba66cb864d751f3e6',
  timestamp: '1409659813',
  nonce: '1372623149',
  encrypt:
    'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==',
};

/** The services' clock at start: a minute before the POST vector, a few minutes after the GET vector. */
const VECTOR_CLOCK_MS = (Number(POST.timestamp) - 60) * 1000;

const key = Buffer.from(SET_B.encodingAesKey + '=', 'base64');
const sign = (token: string, timestamp: string, nonce: string, encrypt: string) =>
  crypto.createHash('sha1').update([token, timestamp, nonce, encrypt].sort().join('')).digest('hex');

/** Encrypts raw plaintext bytes with Set B's key and the given padding, as WeCom would (or would not). */
function encryptRaw(body: Buffer, receiveId: string, opts: { pad?: number; lenOverride?: number } = {}): string {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(opts.lenOverride ?? body.length);
  const plain = Buffer.concat([crypto.randomBytes(16), len, body, Buffer.from(receiveId)]);
  const pad = opts.pad ?? 32 - (plain.length % 32);
  // A pad value outside 1..32 still has to fill whole AES blocks: fill with that byte to the next block.
  const fill = opts.pad === undefined ? pad : 16 - (plain.length % 16) || 16;
  const padded = Buffer.concat([plain, Buffer.alloc(fill, pad)]);
  const c = crypto.createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  c.setAutoPadding(false);
  return Buffer.concat([c.update(padded), c.final()]).toString('base64');
}

describe('WeCom app callback conformance, through HTTP', () => {
  let sys: TestSystem;

  beforeAll(async () => {
    sys = await startSystem({
      services: ['bot-gateway', 'lead-intake'],
      extraEnv: async () => ({
        WECOM_TOKEN: SET_B.token,
        WECOM_ENCODING_AES_KEY: SET_B.encodingAesKey,
        WECOM_CORP_ID: SET_B.corpId,
        // The vectors were signed in 2014 and the gateway refuses stale timestamps: run it with its clock set then.
        NODE_OPTIONS: `--require ${path.resolve(__dirname, '../support/fake-clock.js')}`,
        FAKE_CLOCK_AT_MS: String(VECTOR_CLOCK_MS),
      }),
    });
  }, 180000);
  afterAll(async () => {
    await sys?.stop();
  });

  const post = (query: string, encrypt: string, extra = '') =>
    fetch(`${sys.gatewayUrl}/wecom/callback?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: `<xml><ToUserName><![CDATA[${SET_B.corpId}]]></ToUserName>${extra}<Encrypt><![CDATA[${encrypt}]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>`,
    });
  const signedPost = (encrypt: string) => {
    const ts = POST.timestamp; // the services' clock is set near it
    const nonce = String(crypto.randomInt(1e9));
    return post(`msg_signature=${sign(SET_B.token, ts, nonce, encrypt)}&timestamp=${ts}&nonce=${nonce}`, encrypt);
  };
  const inboundCount = async () => (await sys.db.query(`SELECT count(*)::int AS n FROM inbound_messages`)).rows[0].n as number;

  it('answers the Set B URL check with the bare plaintext', async () => {
    const r = await fetch(`${sys.gatewayUrl}/wecom/callback?${GET_QUERY}`);
    expect(r.status).toBe(200);
    expect(await r.text()).toBe('1616140317555161061');
  });

  it('accepts the Set B message and keeps its 64-bit MsgId exact', async () => {
    const r = await post(`msg_signature=${POST.signature}&timestamp=${POST.timestamp}&nonce=${POST.nonce}`, POST.encrypt);
    expect(r.status).toBe(200);
    expect(await r.text()).toBe('');
    const row = await waitFor(
      async () => (await sys.db.query(`SELECT msg_id, sender_id, text, outcome FROM inbound_messages WHERE msg_id = '4561255354251345929'`)).rows[0],
      15000,
      'the Set B message processed',
    );
    // "mycreate" is not a registered member: kept for an administrator.
    expect(row).toEqual({ msg_id: '4561255354251345929', sender_id: 'mycreate', text: 'hello', outcome: 'unknown-sender' });
  });

  it('refuses each negative case and processes none of them', async () => {
    const before = await inboundCount();
    // Set B data signed with another token.
    const otherToken = sign('another', POST.timestamp, POST.nonce, POST.encrypt);
    expect((await post(`msg_signature=${otherToken}&timestamp=${POST.timestamp}&nonce=${POST.nonce}`, POST.encrypt)).status).toBe(403);
    // A right ciphertext for another receiveid.
    const xml = Buffer.from('<xml><FromUserName><![CDATA[u1]]></FromUserName><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[x]]></Content><MsgId>1</MsgId></xml>');
    expect((await signedPost(encryptRaw(xml, 'wx0000000000000000'))).status).toBe(400);
    // A flipped ciphertext byte (re-signed, so the decryption itself must catch it).
    const good = Buffer.from(encryptRaw(xml, SET_B.corpId), 'base64');
    good[good.length - 20] ^= 0x01;
    expect((await signedPost(good.toString('base64'))).status).toBe(400);
    // Pad 0 and pad > 32.
    expect((await signedPost(encryptRaw(xml, SET_B.corpId, { pad: 0 }))).status).toBe(400);
    expect((await signedPost(encryptRaw(xml, SET_B.corpId, { pad: 40 }))).status).toBe(400);
    // msg_len past the end of the buffer.
    expect((await signedPost(encryptRaw(xml, SET_B.corpId, { lenOverride: 5000 }))).status).toBe(400);
    // Invalid UTF-8 in the message.
    expect((await signedPost(encryptRaw(Buffer.from([0x3c, 0x78, 0xff, 0xfe, 0x3e]), SET_B.corpId))).status).toBe(400);
    // A correctly signed message whose timestamp is far from the services' clock (today's real time).
    const realTs = String(Math.floor(Date.now() / 1000));
    const fresh = encryptRaw(xml, SET_B.corpId);
    expect((await post(`msg_signature=${sign(SET_B.token, realTs, '42', fresh)}&timestamp=${realTs}&nonce=42`, fresh)).status).toBe(403);
    // Missing signature, and an oversized body.
    expect((await post(`timestamp=1&nonce=2`, POST.encrypt)).status).toBe(400);
    expect((await post(`msg_signature=${POST.signature}&timestamp=${POST.timestamp}&nonce=${POST.nonce}`, 'A'.repeat(200 * 1024))).status).toBe(413);
    // The gateway is still up and nothing was processed.
    expect((await fetch(`${sys.gatewayUrl}/health/live`)).status).toBe(200);
    expect(await inboundCount()).toBe(before);
  });

  it('never writes the Set B token or key to its logs', async () => {
    // Its own traffic: a URL check, a good message and a badly signed one pass through the
    // code that holds the token and the key.
    expect((await fetch(`${sys.gatewayUrl}/wecom/callback?${GET_QUERY}`)).status).toBe(200);
    const xml = Buffer.from('<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><FromUserName><![CDATA[mycreate]]></FromUserName><CreateTime>1409659813</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[日志检查]]></Content><MsgId>4561255354251345930</MsgId><AgentID>128</AgentID></xml>');
    expect((await signedPost(encryptRaw(xml, SET_B.corpId))).status).toBe(200);
    await waitFor(
      async () => (await sys.db.query(`SELECT 1 FROM inbound_messages WHERE msg_id = '4561255354251345930'`)).rowCount === 1,
      15000,
      'the message processed',
    );
    expect((await post(`msg_signature=${'0'.repeat(40)}&timestamp=${POST.timestamp}&nonce=${POST.nonce}`, POST.encrypt)).status).toBe(403);
    const all = sys.logs.join('\n');
    expect(all).toContain('[bot-gateway]');
    // Anywhere, in any form: bare, quoted, or inside a longer string.
    for (const secret of [SET_B.encodingAesKey, SET_B.token]) {
      expect(all).not.toContain(secret);
      expect(all.toLowerCase()).not.toContain(secret.toLowerCase());
    }
  });
});
