import { loadConfig } from '@zs/platform';
import { gatewayConfigSchema } from '../config';
import { dingtalkSignIn, wecomSignIn } from './platform-sign-in';

const load = (env: Record<string, string>) => loadConfig(gatewayConfigSchema, 'bot-gateway', { ADMIN_TOKEN: 'admin-token-0123456789', ...env });

describe('platform web sign-in (企业微信登录, 钉钉登录)', () => {
  it('sends the browser to DingTalk with the parameters its OAuth page requires', () => {
    const p = dingtalkSignIn({ clientId: 'dingabc', clientSecret: 's', apiBase: 'https://api.dingtalk.com', loginBase: 'https://login.dingtalk.com' });
    const to = new URL(p.authorizeUrl('https://console.example/api/auth/dingtalk/callback', 'st'));
    expect(to.origin + to.pathname).toBe('https://login.dingtalk.com/oauth2/auth');
    expect(Object.fromEntries(to.searchParams)).toEqual({
      redirect_uri: 'https://console.example/api/auth/dingtalk/callback',
      response_type: 'code',
      client_id: 'dingabc',
      scope: 'openid',
      state: 'st',
      prompt: 'consent',
    });
    expect(p.codeParams).toEqual(['authCode']);
  });

  it('sends the browser to WeCom as before', () => {
    const p = wecomSignIn({ corpId: 'ww1', agentId: '1000002', secret: 's', apiBase: 'https://qyapi.weixin.qq.com', ssoBase: 'https://login.work.weixin.qq.com' });
    const to = new URL(p.authorizeUrl('https://console.example/api/auth/wecom/callback', 'st'));
    expect(to.pathname).toBe('/wwlogin/sso/login');
    expect(Object.fromEntries(to.searchParams)).toMatchObject({ login_type: 'CorpApp', appid: 'ww1', agentid: '1000002', state: 'st' });
  });

  it('configures 钉钉登录 with both the client id and secret or neither', () => {
    expect(load({}).DINGTALK_LOGIN_BASE).toBe('https://login.dingtalk.com');
    expect(load({ DINGTALK_LOGIN_CLIENT_ID: 'dingabc', DINGTALK_LOGIN_CLIENT_SECRET: 'secret' }).DINGTALK_LOGIN_CLIENT_ID).toBe('dingabc');
    expect(() => load({ DINGTALK_LOGIN_CLIENT_ID: 'dingabc' })).toThrow(/DINGTALK_LOGIN_CLIENT_SECRET/);
  });
});
