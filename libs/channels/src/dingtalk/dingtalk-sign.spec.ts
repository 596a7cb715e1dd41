import { createHmac } from 'node:crypto';
import {
  DINGTALK_SIGN_WINDOW_MS,
  dingtalkCallbackSign,
  signDingtalkRobotUrl,
  verifyDingtalkCallback,
} from './dingtalk-sign';

// PROTOCOLS.md vector
const SECRET = 'SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const TS = 1690362102194;
const BASE64 = 'sEYyYxAlD2NFH91+AhjtdGBrQTxL4o9VzbtYGnH1NyY=';
const URL_SIGN = 'sEYyYxAlD2NFH91%2BAhjtdGBrQTxL4o9VzbtYGnH1NyY%3D';

describe('signDingtalkRobotUrl', () => {
  it('matches the PROTOCOLS vector (number timestamp)', () => {
    expect(signDingtalkRobotUrl(SECRET, TS)).toEqual({ timestamp: '1690362102194', sign: URL_SIGN, signBase64: BASE64 });
  });

  it('matches the PROTOCOLS vector (string timestamp)', () => {
    expect(signDingtalkRobotUrl(SECRET, '1690362102194')).toEqual({
      timestamp: '1690362102194',
      sign: URL_SIGN,
      signBase64: BASE64,
    });
  });

  it('the url-encoded sign decodes to the base64 one and fits in a URL', () => {
    const { timestamp, sign, signBase64 } = signDingtalkRobotUrl(SECRET, TS);
    expect(decodeURIComponent(sign)).toBe(signBase64);
    const url = new URL(`https://oapi.dingtalk.com/robot/send?access_token=T&timestamp=${timestamp}&sign=${sign}`);
    expect(url.searchParams.get('sign')).toBe(BASE64);
  });

  it('is HmacSHA256(key = secret, message = ts + "\\n" + secret), not the Feishu scheme', () => {
    const expected = createHmac('sha256', SECRET).update(`${TS}\n${SECRET}`).digest('base64');
    expect(expected).toBe(BASE64);
    // Feishu: key = ts + "\n" + secret, empty message
    const feishu = createHmac('sha256', `${TS}\n${SECRET}`).update('').digest('base64');
    expect(signDingtalkRobotUrl(SECRET, TS).signBase64).not.toBe(feishu);
  });

  it.each([[-1], [1.5], [Number.NaN], ['abc'], [''], ['1e12'], ['-5']])('rejects timestamp %p', (ts) => {
    expect(() => signDingtalkRobotUrl(SECRET, ts as number | string)).toThrow(RangeError);
  });
});

describe('dingtalkCallbackSign', () => {
  it('is base64, not url-encoded', () => {
    expect(dingtalkCallbackSign(SECRET, TS)).toBe(BASE64);
    expect(dingtalkCallbackSign(SECRET, String(TS))).toBe(BASE64);
  });
});

describe('verifyDingtalkCallback', () => {
  const headers = { timestamp: String(TS), sign: BASE64 };

  it('accepts a valid signature at the same instant', () => {
    expect(verifyDingtalkCallback(headers, SECRET, TS)).toEqual({ ok: true });
  });

  it('accepts exactly one hour off, both ways', () => {
    expect(DINGTALK_SIGN_WINDOW_MS).toBe(3_600_000);
    expect(verifyDingtalkCallback(headers, SECRET, TS + 3_600_000)).toEqual({ ok: true });
    expect(verifyDingtalkCallback(headers, SECRET, TS - 3_600_000)).toEqual({ ok: true });
  });

  it('rejects more than one hour off, both ways, as stale', () => {
    expect(verifyDingtalkCallback(headers, SECRET, TS + 3_600_001)).toEqual({ ok: false, reason: 'stale' });
    expect(verifyDingtalkCallback(headers, SECRET, TS - 3_600_001)).toEqual({ ok: false, reason: 'stale' });
  });

  it('a timestamp in seconds (not ms) is stale', () => {
    const secs = String(Math.floor(TS / 1000));
    expect(verifyDingtalkCallback({ timestamp: secs, sign: dingtalkCallbackSign(SECRET, secs) }, SECRET, TS)).toEqual({
      ok: false,
      reason: 'stale',
    });
  });

  it('a non-numeric timestamp is stale', () => {
    expect(verifyDingtalkCallback({ timestamp: 'abc', sign: BASE64 }, SECRET, TS)).toEqual({ ok: false, reason: 'stale' });
    expect(verifyDingtalkCallback({ timestamp: '-1', sign: BASE64 }, SECRET, TS)).toEqual({ ok: false, reason: 'stale' });
  });

  it.each([
    ['no headers', {}],
    ['no sign', { timestamp: String(TS) }],
    ['no timestamp', { sign: BASE64 }],
    ['empty sign', { timestamp: String(TS), sign: '' }],
    ['empty timestamp', { timestamp: '', sign: BASE64 }],
    ['duplicated sign header', { timestamp: String(TS), sign: [BASE64, BASE64] }],
  ])('%s is missing', (_label, h) => {
    expect(verifyDingtalkCallback(h, SECRET, TS)).toEqual({ ok: false, reason: 'missing' });
  });

  it('accepts a single-element header array (node req.headers shape)', () => {
    expect(verifyDingtalkCallback({ timestamp: [String(TS)], sign: [BASE64] }, SECRET, TS)).toEqual({ ok: true });
  });

  it.each([
    ['the url-encoded sign', URL_SIGN],
    ['a wrong secret', dingtalkCallbackSign(SECRET + 'x', TS)],
    ['another timestamp', dingtalkCallbackSign(SECRET, TS + 1)],
    ['a truncated sign (length mismatch)', BASE64.slice(0, -1)],
    ['a longer sign', BASE64 + '='],
    ['one changed character', 'tEYyYxAlD2NFH91+AhjtdGBrQTxL4o9VzbtYGnH1NyY='],
  ])('%s is bad-signature', (_label, sign) => {
    expect(verifyDingtalkCallback({ timestamp: String(TS), sign }, SECRET, TS)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });
});
