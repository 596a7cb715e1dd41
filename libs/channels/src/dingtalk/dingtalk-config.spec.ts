import { z } from 'zod';
import { dingtalkApps, dingtalkCustomRobots, dingtalkCustomRobotsEnv, dingtalkSharedEnv, envBoolean, refineDingtalkApps } from './dingtalk-config';

const schema = z.object({ ...dingtalkSharedEnv, ...dingtalkCustomRobotsEnv, FLAG: envBoolean }).superRefine(refineDingtalkApps);

describe('DingTalk configuration', () => {
  it('has the documented defaults and no robot when nothing is set', () => {
    const c = schema.parse({});
    expect(c.DINGTALK_API_BASE).toBe('https://api.dingtalk.com');
    expect(c.DINGTALK_OAPI_BASE).toBe('https://oapi.dingtalk.com');
    expect(dingtalkApps(c)).toEqual([]);
    expect(dingtalkCustomRobots(c)).toEqual([]);
    expect(c.FLAG).toBeUndefined();
  });

  it('reads the primary robot (robotCode defaults to the client id) and further robots from DINGTALK_ROBOTS', () => {
    const c = schema.parse({
      DINGTALK_CLIENT_ID: 'dinga',
      DINGTALK_CLIENT_SECRET: 'sa',
      DINGTALK_ROBOTS: JSON.stringify([{ clientId: 'dingb', clientSecret: 'sb', robotCode: 'rb' }, { clientId: 'dingc', clientSecret: 'sc' }]),
    });
    expect(dingtalkApps(c)).toEqual([
      { clientId: 'dinga', clientSecret: 'sa', robotCode: 'dinga' },
      { clientId: 'dingb', clientSecret: 'sb', robotCode: 'rb' },
      { clientId: 'dingc', clientSecret: 'sc', robotCode: 'dingc' },
    ]);
  });

  it('reads custom robots by id', () => {
    const c = schema.parse({ DINGTALK_CUSTOM_ROBOTS: '{"city-group":{"accessToken":"t1","secret":"SECabc"},"park":{"accessToken":"t2"}}' });
    expect(dingtalkCustomRobots(c)).toEqual([
      { robotId: 'city-group', accessToken: 't1', secret: 'SECabc' },
      { robotId: 'park', accessToken: 't2', secret: undefined },
    ]);
  });

  it('refuses half a robot, duplicates and bad JSON with messages that name the variable, never the value', () => {
    const secret = 'TOPSECRETVALUE123';
    const bad = [
      { DINGTALK_CLIENT_ID: 'dinga' },
      { DINGTALK_CLIENT_SECRET: secret },
      { DINGTALK_ROBOT_CODE: 'x' },
      { DINGTALK_CLIENT_ID: 'dinga', DINGTALK_CLIENT_SECRET: secret, DINGTALK_ROBOTS: JSON.stringify([{ clientId: 'dinga', clientSecret: secret }]) },
      { DINGTALK_ROBOTS: `[{"clientId":"x","clientSecret":"${secret}"` },
      { DINGTALK_ROBOTS: JSON.stringify([{ clientId: 'x', clientSecret: secret, extra: 1 }]) },
      { DINGTALK_CUSTOM_ROBOTS: JSON.stringify({ 'bad id!': { accessToken: secret } }) },
      { DINGTALK_CUSTOM_ROBOTS: JSON.stringify({ ok: {} }) },
      { DINGTALK_API_BASE: 'not a url' },
      { FLAG: 'maybe' },
    ];
    for (const env of bad) {
      const r = schema.safeParse(env);
      expect(r.success).toBe(false);
      if (!r.success) expect(JSON.stringify(r.error.issues)).not.toContain(secret);
    }
  });

  it('reads booleans leniently', () => {
    for (const [v, want] of [['true', true], ['1', true], ['YES', true], ['false', false], ['0', false], ['off', false]] as const) {
      expect(schema.parse({ FLAG: v }).FLAG).toBe(want);
    }
  });
});
