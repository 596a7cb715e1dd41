import { z } from 'zod';
import { dingtalkGatewayEnv, dingtalkGatewaySettings, refineDingtalkGateway } from './dingtalk.config';

const schema = z.object({ ...dingtalkGatewayEnv, CALLBACK_MAX_BYTES: z.number().default(65536) }).superRefine(refineDingtalkGateway);

describe('bot-gateway DingTalk settings', () => {
  it('is off without a robot; HTTP on and Stream off by default with one', () => {
    expect(dingtalkGatewaySettings(schema.parse({}))).toMatchObject({ robots: [], httpEnabled: false, streamEnabled: false });
    const s = dingtalkGatewaySettings(schema.parse({ DINGTALK_CLIENT_ID: 'dinga', DINGTALK_CLIENT_SECRET: 's' }));
    expect(s).toMatchObject({ httpEnabled: true, streamEnabled: false, apiBase: 'https://api.dingtalk.com', sessionWebhookOrigins: ['https://oapi.dingtalk.com'] });
    const stream = dingtalkGatewaySettings(schema.parse({ DINGTALK_CLIENT_ID: 'dinga', DINGTALK_CLIENT_SECRET: 's', DINGTALK_STREAM_ENABLED: 'true', DINGTALK_HTTP_ENABLED: 'false' }));
    expect(stream).toMatchObject({ httpEnabled: false, streamEnabled: true });
  });

  it('refuses a mode without a robot and an inverted backoff, naming the variable', () => {
    const r = schema.safeParse({ DINGTALK_STREAM_ENABLED: 'true', DINGTALK_STREAM_BACKOFF_BASE_MS: '5000', DINGTALK_STREAM_BACKOFF_MAX_MS: '1000' });
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues.map((i) => i.path.join('.')).sort()).toEqual(['DINGTALK_STREAM_BACKOFF_MAX_MS', 'DINGTALK_STREAM_ENABLED']);
  });
});
