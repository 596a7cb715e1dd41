import { loadConfig } from '@zs/platform';
import { gatewayConfigSchema } from '../config';
import { WECOM_AIBOT_DEFAULT_WS_URL, wecomAibotBots } from './aibot-config';

const BASE = { ADMIN_TOKEN: 'admin-token-0123456789' };
const KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';

const load = (env: Record<string, string>) => loadConfig(gatewayConfigSchema, 'bot-gateway', { ...BASE, ...env });
const errorOf = (env: Record<string, string>) => {
  try {
    load(env);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('configuration was accepted');
};

describe('WeCom AI bot configuration', () => {
  it('has no bot by default', () => {
    const c = load({});
    expect(wecomAibotBots(c)).toEqual([]);
    expect(c.WECOM_AIBOT_WS_URL).toBe(WECOM_AIBOT_DEFAULT_WS_URL);
  });

  it('reads a callback bot, a long-connection bot and a bot with both, in slot order', () => {
    const c = load({
      WECOM_AIBOT_TOKEN: 'tok1',
      WECOM_AIBOT_ENCODING_AES_KEY: KEY,
      WECOM_AIBOT_2_BOT_ID: 'aib-two',
      WECOM_AIBOT_2_SECRET: 'secret-two-123',
      WECOM_AIBOT_7_BOT_ID: 'aib-seven',
      WECOM_AIBOT_7_SECRET: 'secret-seven-1',
      WECOM_AIBOT_7_TOKEN: 'tok7',
      WECOM_AIBOT_7_ENCODING_AES_KEY: KEY,
      WECOM_AIBOT_3_TOKEN: '',
    });
    expect(wecomAibotBots(c)).toEqual([
      { slot: 'WECOM_AIBOT', botId: undefined, secret: undefined, callback: { token: 'tok1', encodingAesKey: KEY } },
      { slot: 'WECOM_AIBOT_2', botId: 'aib-two', secret: 'secret-two-123', callback: undefined },
      { slot: 'WECOM_AIBOT_7', botId: 'aib-seven', secret: 'secret-seven-1', callback: { token: 'tok7', encodingAesKey: KEY } },
    ]);
  });

  it('names the variable that is missing or wrong, never a value', () => {
    const msg = errorOf({
      WECOM_AIBOT_TOKEN: 'tok1',
      WECOM_AIBOT_2_SECRET: 'very-secret-value',
      WECOM_AIBOT_3_ENCODING_AES_KEY: 'short',
      WECOM_AIBOT_4_BOT_ID: 'lonely',
    });
    expect(msg).toContain('WECOM_AIBOT_ENCODING_AES_KEY: required with WECOM_AIBOT_TOKEN');
    expect(msg).toContain('WECOM_AIBOT_2_BOT_ID: required with WECOM_AIBOT_2_SECRET');
    expect(msg).toContain('WECOM_AIBOT_3_ENCODING_AES_KEY: must be exactly 43 characters');
    expect(msg).toContain('WECOM_AIBOT_4_SECRET: WECOM_AIBOT_4_BOT_ID is set but neither');
    expect(msg).not.toContain('very-secret-value');
  });

  it('refuses the same bot id or token twice, a ws URL of another scheme and a max delay under the base', () => {
    const msg = errorOf({
      WECOM_AIBOT_BOT_ID: 'same',
      WECOM_AIBOT_SECRET: 'secret-a-1234',
      WECOM_AIBOT_1_BOT_ID: 'same',
      WECOM_AIBOT_1_SECRET: 'secret-b-1234',
      WECOM_AIBOT_2_TOKEN: 'tok',
      WECOM_AIBOT_2_ENCODING_AES_KEY: KEY,
      WECOM_AIBOT_3_TOKEN: 'tok',
      WECOM_AIBOT_3_ENCODING_AES_KEY: KEY,
      WECOM_AIBOT_WS_URL: 'https://openws.work.weixin.qq.com',
      WECOM_AIBOT_RECONNECT_BASE_MS: '5000',
      WECOM_AIBOT_RECONNECT_MAX_MS: '2000',
    });
    expect(msg).toContain('WECOM_AIBOT_1_BOT_ID: the same bot id is already configured in WECOM_AIBOT_BOT_ID');
    expect(msg).toContain('WECOM_AIBOT_3_TOKEN: the same token is already configured in WECOM_AIBOT_2_TOKEN');
    expect(msg).toContain('WECOM_AIBOT_WS_URL: must be a ws:// or wss:// URL');
    expect(msg).toContain('WECOM_AIBOT_RECONNECT_MAX_MS: must not be smaller than WECOM_AIBOT_RECONNECT_BASE_MS');
  });

  it('allows an empty acknowledgement text (no acknowledgement stream)', () => {
    expect(load({ WECOM_AIBOT_ACK_TEXT: '' }).WECOM_AIBOT_ACK_TEXT).toBe('');
  });
});
