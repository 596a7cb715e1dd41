import Redis from 'ioredis';
import { WecomSimulator } from '@zs/platform-sim';
import { fileNameOf, MediaPermanentError, MediaTooLargeError, readCapped, WecomMediaSource } from './media-sources';
import { WecomAppApi } from '../wecom/wecom-api';

describe('evidence media download helpers', () => {
  const body = (bytes: Buffer, headers: Record<string, string> = {}) => new Response(bytes, { headers });

  it('reads a body within the limit, refuses one whose Content-Length or stream goes over', async () => {
    expect((await readCapped(body(Buffer.from('hello')), 5)).toString()).toBe('hello');
    await expect(readCapped(body(Buffer.alloc(10), { 'content-length': '10' }), 5)).rejects.toBeInstanceOf(MediaTooLargeError);
    const streamed = new Response(new ReadableStream({ start: (c) => { c.enqueue(new Uint8Array(4)); c.enqueue(new Uint8Array(4)); c.close(); } }));
    await expect(readCapped(streamed, 6)).rejects.toBeInstanceOf(MediaTooLargeError);
  });

  it.each([
    ['attachment; filename="a.jpg"', 'a.jpg'],
    [`attachment; filename="${encodeURIComponent('凭证.pdf')}"`, '凭证.pdf'],
    [`inline; filename*=UTF-8''${encodeURIComponent('开工 照片.png')}`, '开工 照片.png'],
    ['attachment', undefined],
    [null, undefined],
  ])('file name of %s', (header, name) => {
    expect(fileNameOf(header)).toBe(name);
  });
});

/** Against the WeCom simulator and the machine's Redis (token cache), as the service runs it. */
describe('WecomMediaSource', () => {
  const creds = { corpId: 'wwspecmedia0001', agentId: '1000002', secret: 'spec-media-secret-0123456789' };
  const sim = new WecomSimulator({ ...creds, token: 'sim-token', encodingAesKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt', callbackUrl: 'http://127.0.0.1:9/unused' });
  let redis: Redis;
  let source: WecomMediaSource;

  beforeAll(async () => {
    await sim.start();
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
    await redis.connect();
    const api = new WecomAppApi(sim.baseUrl, creds, redis, `spec-media-${process.pid}`, 5000);
    source = new WecomMediaSource(api, sim.baseUrl, 5000);
  });
  afterAll(async () => {
    await redis?.quit();
    await sim.stop();
  });

  it('answers the bytes with their type and name; busy is retryable, an unknown media id is permanent, too large is refused', async () => {
    const bytes = Buffer.from('%PDF-1.4 evidence');
    sim.addMedia('M1', bytes, { contentType: 'application/pdf', fileName: '凭证.pdf', busyAnswers: 1 });
    await expect(source.fetch({ mediaId: 'M1' }, 1024)).rejects.toThrow(/errcode -1/);
    const got = await source.fetch({ mediaId: 'M1' }, 1024);
    expect(got).toEqual({ bytes, contentType: 'application/pdf', fileName: '凭证.pdf' });
    await expect(source.fetch({ mediaId: 'NOPE' }, 1024)).rejects.toBeInstanceOf(MediaPermanentError);
    await expect(source.fetch({ mediaId: 'M1' }, 4)).rejects.toBeInstanceOf(MediaTooLargeError);
  });
});
