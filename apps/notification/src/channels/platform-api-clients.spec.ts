import type Redis from 'ioredis';
import { namesFor } from '@zs/contracts';
import { notificationConfigSchema } from '../config';
import { channelSenders } from './channel-senders';
import { evidenceMediaSources } from '../evidence/evidence-sources';
import { notificationApiClients } from './platform-api-clients';
import type { RateLimiter } from '../rate-limit';

// Nothing here talks to Redis or a platform: the clients are only constructed.
const redis = {} as Redis;
const limiter = {} as RateLimiter;
const names = namesFor('spec');

/** The API client a sender or media source was built with (its private `api` / `apps` field). */
const apiOf = (x: unknown) => (x as { api?: unknown }).api;
const dingtalkApiOf = (x: unknown, robotCode: string) => (x as { apps: { get(code: string): unknown } }).apps.get(robotCode);
const dingtalkApisOf = (x: unknown) => (x as { apis: unknown[] }).apis;

describe('notificationApiClients: one client per platform app for the process', () => {
  const config = notificationConfigSchema.parse({
    WECOM_CORP_ID: 'ww1',
    WECOM_AGENT_ID: '1000002',
    WECOM_SECRET: 's',
    DINGTALK_CLIENT_ID: 'ding1',
    DINGTALK_CLIENT_SECRET: 's1',
    DINGTALK_ROBOT_CODE: 'robot1',
  });

  it('builds the WeCom app client and one DingTalk client per app robot', () => {
    const clients = notificationApiClients(config, redis, names);
    expect(clients.wecomApp).not.toBeNull();
    expect(clients.dingtalkApps.map((a) => a.app.robotCode)).toEqual(['robot1']);
  });

  it('the senders and the evidence media sources use the same client instances', () => {
    const clients = notificationApiClients(config, redis, names);
    const senders = channelSenders(config, redis, names, clients, undefined, { limiter });
    const sources = evidenceMediaSources(config, clients);

    const wecomSender = senders.find((s) => s.channel === 'wecom-app');
    const wecomSource = sources.find((s) => s.platform === 'wecom-app');
    expect(apiOf(wecomSender)).toBe(clients.wecomApp);
    expect(apiOf(wecomSource)).toBe(clients.wecomApp);

    const [dingtalk] = clients.dingtalkApps;
    expect(dingtalkApiOf(senders.find((s) => s.channel === 'dingtalk-group'), 'robot1')).toBe(dingtalk);
    expect(dingtalkApiOf(senders.find((s) => s.channel === 'dingtalk-oto'), 'robot1')).toBe(dingtalk);
    expect(dingtalkApisOf(sources.find((s) => s.platform === 'dingtalk'))).toEqual([dingtalk]);
    expect(dingtalkApisOf(sources.find((s) => s.platform === 'dingtalk'))[0]).toBe(dingtalk);
  });

  it('no credentials: no WeCom app client, no DingTalk clients, and neither sender nor media source', () => {
    const bare = notificationConfigSchema.parse({});
    const clients = notificationApiClients(bare, redis, names);
    expect(clients).toEqual({ wecomApp: null, dingtalkApps: [] });
    expect(evidenceMediaSources(bare, clients)).toEqual([]);
    const channels = channelSenders(bare, redis, names, clients, undefined, { limiter }).map((s) => s.channel);
    expect(channels).not.toContain('wecom-app');
    expect(channels).not.toContain('dingtalk-group');
  });
});
