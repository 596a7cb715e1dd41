import { Readable, Writable } from 'node:stream';
import type { Request, Response } from 'express';
import { dingtalkCallbackSign } from '@zs/channels';
import { createLogger } from '@zs/platform';
import { DingtalkCallbackController } from './dingtalk-callback.controller';
import type { DingtalkGatewaySettings } from './dingtalk.config';
import type { DingtalkInboundService } from './dingtalk-inbound.service';

const robotA = { clientId: 'dinga', clientSecret: 'secret-a-0123456789', robotCode: 'dinga' };
const robotB = { clientId: 'dingb', clientSecret: 'secret-b-0123456789', robotCode: 'dingb' };

function settings(over: Partial<DingtalkGatewaySettings> = {}): DingtalkGatewaySettings {
  return {
    robots: [robotA, robotB],
    httpEnabled: true,
    streamEnabled: false,
    apiBase: 'https://api.dingtalk.com',
    sessionWebhookOrigins: ['https://oapi.dingtalk.com'],
    maxBodyBytes: 1024,
    backoffBaseMs: 1000,
    backoffMaxMs: 60000,
    ...over,
  };
}

function req(headers: Record<string, string>, body: string | Buffer): Request {
  const r = Readable.from([Buffer.isBuffer(body) ? body : Buffer.from(body)]) as unknown as Request;
  Object.assign(r, { headers: { 'content-length': String(Buffer.byteLength(body)), ...headers }, ip: '127.0.0.1' });
  return r;
}

function res() {
  const out = { status: 0, body: '' };
  const r = {
    headersSent: false,
    status(s: number) {
      out.status = s;
      return r;
    },
    type() {
      return r;
    },
    setHeader() {
      return r;
    },
    send(b: string) {
      out.body = b;
      r.headersSent = true;
      return r;
    },
  };
  return { r: r as unknown as Response, out };
}

function controller(s = settings(), fail = false) {
  const accepted: Array<{ robot: string; payload: unknown }> = [];
  const inbound = {
    accept: async (payload: unknown, robot: { robotCode: string }) => {
      if (fail) throw new Error('JetStream down');
      accepted.push({ robot: robot.robotCode, payload });
      return { status: 'accepted', msgId: 'm' };
    },
  } as unknown as DingtalkInboundService;
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  return { c: new DingtalkCallbackController(s, inbound, createLogger('t', 'silent', sink)), accepted };
}

const signed = (secret: string, ts = Date.now()) => ({ timestamp: String(ts), sign: dingtalkCallbackSign(secret, ts) });

describe('POST /dingtalk/callback', () => {
  it('finds the robot whose secret signed the request (several robots, one URL)', async () => {
    const { c, accepted } = controller();
    const { r, out } = res();
    await c.receive(req(signed(robotB.clientSecret), '{"msgId":"x"}'), r);
    expect(out).toEqual({ status: 200, body: '{}' });
    expect(accepted).toEqual([{ robot: 'dingb', payload: { msgId: 'x' } }]);
  });

  it('answers 404 when HTTP mode is off', async () => {
    const { c } = controller(settings({ httpEnabled: false }));
    const { r, out } = res();
    await c.receive(req(signed(robotA.clientSecret), '{}'), r);
    expect(out.status).toBe(404);
  });

  it('answers 413 past the size limit, 400 for bad UTF-8, 503 when JetStream is down', async () => {
    const big = controller();
    const a = res();
    await big.c.receive(req(signed(robotA.clientSecret), 'x'.repeat(2000)), a.r);
    expect(a.out.status).toBe(413);
    const huge = res();
    await big.c.receive(req({ ...signed(robotA.clientSecret), 'content-length': String(1024 * 17) }, 'x'), huge.r);
    expect(huge.out.status).toBe(413);
    const utf = res();
    await big.c.receive(req(signed(robotA.clientSecret), Buffer.from([0x7b, 0xff, 0x7d])), utf.r);
    expect(utf.out).toEqual({ status: 400, body: '{"error":"body is not valid UTF-8"}' });
    expect(big.accepted).toHaveLength(0);
    const down = controller(settings(), true);
    const d = res();
    await down.c.receive(req(signed(robotA.clientSecret), '{"msgId":"x"}'), d.r);
    expect(d.out.status).toBe(503);
  });

  it('tells missing headers (401) from a bad or stale signature (403)', async () => {
    const { c } = controller();
    for (const [headers, status] of [
      [{}, 401],
      [{ sign: 'abc' }, 401],
      [{ ...signed(robotA.clientSecret), sign: dingtalkCallbackSign('other', Date.now()) }, 403],
      [signed(robotA.clientSecret, Date.now() - 3_600_001), 403],
    ] as const) {
      const { r, out } = res();
      await c.receive(req(headers as Record<string, string>, '{}'), r);
      expect(out.status).toBe(status);
    }
  });
});
