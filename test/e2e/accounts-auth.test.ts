import crypto from 'crypto';
import { DingtalkSimulator, dingtalkSimUnionIdOf } from '@zs/platform-sim';
import { startSystem, TestSystem } from '../support/harness';

/** Console accounts through the real gateway (ADR 0021): accounts, sign-in, cookie + CSRF, tokens, lockout, audit. */
describe('accounts and sign-in', () => {
  let sys: TestSystem;
  let dt: DingtalkSimulator;
  const dingApp = { clientId: 'dinglogin0000000001', clientSecret: crypto.randomBytes(24).toString('hex') };

  interface Answer {
    status: number;
    body: any;
    headers: Headers;
  }
  const call = async (path: string, init: { method?: string; body?: unknown; bearer?: string; cookie?: string; csrf?: string; headers?: Record<string, string> } = {}): Promise<Answer> => {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    if (init.bearer) headers.authorization = `Bearer ${init.bearer}`;
    if (init.cookie) headers.cookie = init.cookie;
    if (init.csrf) headers['x-csrf-token'] = init.csrf;
    const res = await fetch(`${sys.gatewayUrl}${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body, headers: res.headers };
  };
  const cookiesOf = (a: Answer) => a.headers.getSetCookie();
  const cookieHeader = (setCookies: string[]) => setCookies.map((c) => c.split(';')[0]).join('; ');
  const login = async (username: string, password: string) => {
    const r = await call('/api/auth/login', { method: 'POST', body: { username, password } });
    return { ...r, cookie: cookieHeader(cookiesOf(r)), csrf: r.body?.csrfToken as string };
  };

  /** An account made by the super-administrator (ADMIN_TOKEN) for a test's own use; anything but 201 stops the test. */
  const createAccount = async (account: { username: string; displayName: string; password: string; role: string; unit?: string; wecomUserId?: string }) => {
    const r = await sys.admin('/api/accounts', { method: 'POST', body: JSON.stringify(account) });
    if (r.status !== 201) throw new Error(`creating account ${account.username}: ${r.status} ${JSON.stringify(r.body)}`);
    return r;
  };
  /** Wrong passwords for one account until sign-in answers 429 (at most nine tries); the statuses seen. */
  const lockOut = async (username: string) => {
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) statuses.push((await login(username, `wrong-${i}`)).status);
    return statuses;
  };

  beforeAll(async () => {
    // 企业微信登录 is played by the WeCom simulator (WECOM_API_BASE), 钉钉登录 by the DingTalk simulator.
    dt = new DingtalkSimulator({ apps: [dingApp], members: async () => [{ staffId: 'dtlogin01', name: '钉钉登录者', unitName: '市商务局' }] });
    await dt.start();
    sys = await startSystem({
      services: ['bot-gateway', 'lead-intake'],
      extraEnv: async ({ env }) => ({
        WECOM_SSO_BASE: env.WECOM_API_BASE,
        DINGTALK_LOGIN_CLIENT_ID: dingApp.clientId,
        DINGTALK_LOGIN_CLIENT_SECRET: dingApp.clientSecret,
        DINGTALK_LOGIN_BASE: dt.baseUrl,
        DINGTALK_API_BASE: dt.baseUrl,
      }),
    });
    // Accounts several tests sign in with and none changes: a city administrator and a unit administrator.
    await createAccount({ username: 'city1', displayName: '市商务局张科长', password: 'city-pass-0001', role: 'city-admin' });
    await createAccount({ username: 'heshan1', displayName: '赫山区李主任', password: 'unit-pass-0001', role: 'unit-admin', unit: '赫山区' });
  }, 180000);
  afterAll(async () => {
    await sys?.stop();
    await dt?.stop();
  });

  it('the super-administrator creates accounts; the answer never carries the hash', async () => {
    const city = await sys.admin('/api/accounts', { method: 'POST', body: JSON.stringify({ username: 'city2', displayName: '市商务局王科员', password: 'city-pass-0003', role: 'city-admin' }) });
    expect(city.status).toBe(201);
    expect(city.body).toMatchObject({ username: 'city2', displayName: '市商务局王科员', role: 'city-admin', unit: null, disabled: false });
    expect(JSON.stringify(city.body)).not.toMatch(/hash|\$2[aby]\$/);
    const unit = await sys.admin('/api/accounts', { method: 'POST', body: JSON.stringify({ username: 'heshan2', displayName: '赫山区陈干事', password: 'unit-pass-0003', role: 'unit-admin', unit: '赫山区' }) });
    expect(unit.status).toBe(201);
    expect(unit.body.unit).toMatchObject({ name: '赫山区' });
    const noUnit = await sys.admin('/api/accounts', { method: 'POST', body: JSON.stringify({ username: 'x1', displayName: 'x', password: 'unit-pass-0001', role: 'unit-admin' }) });
    expect(noUnit.status).toBe(400);
    const dup = await sys.admin('/api/accounts', { method: 'POST', body: JSON.stringify({ username: 'city2', displayName: 'y', password: 'city-pass-0002', role: 'leader' }) });
    expect(dup.status).toBe(409);
    const stored = (await sys.db.query(`SELECT password_hash FROM admin_accounts WHERE username = 'city2'`)).rows[0].password_hash;
    expect(stored).toMatch(/^\$2[aby]\$10\$/);
  });

  it('signs in with a session cookie (HttpOnly, SameSite=Strict) and a readable CSRF cookie; writes need X-CSRF-Token', async () => {
    const wrong = await login('city1', 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(wrong.body.message).toBe('用户名或密码错误');
    const unknown = await login('nobody', 'not-the-password');
    expect(unknown.status).toBe(401);
    expect(unknown.body.message).toBe('用户名或密码错误');

    const s = await login('city1', 'city-pass-0001');
    expect(s.status).toBe(200);
    expect(s.body.account).toEqual({ id: expect.any(String), username: 'city1', displayName: '市商务局张科长', role: 'city-admin', unit: null });
    const set = cookiesOf(s);
    const session = set.find((c) => c.startsWith('zs_session='))!;
    const csrf = set.find((c) => c.startsWith('zs_csrf='))!;
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Strict/i);
    expect(session).not.toMatch(/Secure/i); // plain http in the test
    expect(csrf).not.toMatch(/HttpOnly/i);
    expect(csrf).toContain(`zs_csrf=${s.csrf}`);

    const me = await call('/api/auth/me', { cookie: s.cookie });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ via: 'session', account: { username: 'city1', role: 'city-admin' }, csrfToken: s.csrf });

    // Reads with the cookie alone; writes without or with a wrong CSRF token are refused.
    expect((await call('/api/accounts', { cookie: s.cookie })).status).toBe(200);
    const body = { username: 'leader1', displayName: '分管副市长', password: 'lead-pass-0001', role: 'leader' };
    expect((await call('/api/accounts', { method: 'POST', cookie: s.cookie, body })).status).toBe(403);
    expect((await call('/api/accounts', { method: 'POST', cookie: s.cookie, csrf: 'forged', body })).status).toBe(403);
    const created = await call('/api/accounts', { method: 'POST', cookie: s.cookie, csrf: s.csrf, body });
    expect(created.status).toBe(201);

    // Behind an https proxy the cookies are Secure.
    const viaHttps = await call('/api/auth/login', { method: 'POST', body: { username: 'leader1', password: 'lead-pass-0001' }, headers: { 'x-forwarded-proto': 'https' } });
    expect(cookiesOf(viaHttps).every((c) => /;\s*Secure/i.test(c))).toBe(true);

    // Sign-out ends the session on the server: the old cookie no longer works.
    expect((await call('/api/auth/logout', { method: 'POST', cookie: s.cookie })).status).toBe(403);
    const out = await call('/api/auth/logout', { method: 'POST', cookie: s.cookie, csrf: s.csrf });
    expect(out.status).toBe(204);
    expect(cookiesOf(out).some((c) => /^zs_session=;/.test(c))).toBe(true);
    expect((await call('/api/auth/me', { cookie: s.cookie })).status).toBe(401);
    expect((await call('/api/auth/me')).status).toBe(401);
  });

  it('personal API tokens carry the account rights, are stored only as a hash and can be revoked', async () => {
    const s = await login('heshan1', 'unit-pass-0001');
    const t = await call('/api/auth/tokens', { method: 'POST', cookie: s.cookie, csrf: s.csrf, body: { name: '月报脚本' } });
    expect(t.status).toBe(201);
    expect(t.body.token).toMatch(/^zsp_/);
    const stored = (await sys.db.query(`SELECT token_sha256, hint FROM admin_api_tokens WHERE id = $1`, [t.body.id])).rows[0];
    expect(stored.token_sha256).not.toContain(t.body.token);
    expect(t.body.token.endsWith(stored.hint)).toBe(true);

    const me = await call('/api/auth/me', { bearer: t.body.token });
    expect(me.body).toMatchObject({ via: 'api-token', account: { username: 'heshan1', role: 'unit-admin', unit: { name: '赫山区' } } });
    // A unit administrator may not manage accounts, with a token as with the cookie.
    expect((await call('/api/accounts', { bearer: t.body.token })).status).toBe(403);
    expect((await call('/api/audit', { bearer: t.body.token })).status).toBe(403);
    // A token needs no CSRF header (it is not sent by the browser on its own).
    const listed = await call('/api/auth/tokens', { bearer: t.body.token });
    expect(listed.body).toEqual([expect.objectContaining({ id: t.body.id, name: '月报脚本', hint: stored.hint })]);
    expect(JSON.stringify(listed.body)).not.toContain(t.body.token);

    expect((await call(`/api/auth/tokens/${t.body.id}`, { method: 'DELETE', bearer: t.body.token })).status).toBe(204);
    expect((await call('/api/auth/me', { bearer: t.body.token })).status).toBe(401);
  });

  it('refuses repeated wrong passwords for one account with 429 before the tenth try, even the right one then', async () => {
    await createAccount({ username: 'leader2', displayName: '分管副市长秘书', password: 'lead-pass-0002', role: 'leader' });
    const statuses = await lockOut('leader2');
    expect(statuses.indexOf(429)).toBeGreaterThan(0);
    expect(statuses.indexOf(429)).toBeLessThan(9);
    const locked = await login('leader2', 'lead-pass-0002');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Other accounts are not locked out by it.
    expect((await login('city1', 'city-pass-0001')).status).toBe(200);
  });

  it('a city administrator changes accounts: password reset and disabling end the sessions', async () => {
    await createAccount({ username: 'ziyang1', displayName: '资阳区刘主任', password: 'unit-pass-0001', role: 'unit-admin', unit: '资阳区' });
    const city = await login('city1', 'city-pass-0001');
    const unit = await login('ziyang1', 'unit-pass-0001');
    expect((await call('/api/auth/me', { cookie: unit.cookie })).status).toBe(200);
    const id = unit.body.account.id;
    const reset = await call(`/api/accounts/${id}`, { method: 'PATCH', cookie: city.cookie, csrf: city.csrf, body: { password: 'unit-pass-0002', displayName: '资阳区刘主任（新）' } });
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ displayName: '资阳区刘主任（新）', role: 'unit-admin', disabled: false });
    expect((await call('/api/auth/me', { cookie: unit.cookie })).status).toBe(401);
    expect((await login('ziyang1', 'unit-pass-0001')).status).toBe(401);
    expect((await login('ziyang1', 'unit-pass-0002')).status).toBe(200);

    const off = await call(`/api/accounts/${id}`, { method: 'PATCH', cookie: city.cookie, csrf: city.csrf, body: { disabled: true } });
    expect(off.body.disabled).toBe(true);
    expect((await login('ziyang1', 'unit-pass-0002')).status).toBe(401);
    const on = await call(`/api/accounts/${id}`, { method: 'PATCH', cookie: city.cookie, csrf: city.csrf, body: { disabled: false, role: 'leader' } });
    expect(on.body).toMatchObject({ role: 'leader', unit: null, disabled: false });

    const list = await call('/api/accounts?limit=10', { cookie: city.cookie });
    expect(list.body.total).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(list.body)).not.toMatch(/hash|\$2[aby]\$/);
  });

  it('the audit log shows every administrative action with who, when, what and before/after', async () => {
    // The actions the log is read for, done here: an account made by the super-administrator (admin-api)
    // and one by a signed-in city administrator, a token, a password reset, a lockout and a sign-out.
    const city = await login('city1', 'city-pass-0001');
    const audited = await createAccount({ username: 'anhua1', displayName: '安化县赵主任', password: 'unit-pass-0001', role: 'unit-admin', unit: '安化县' });
    const viaSession = await call('/api/accounts', { method: 'POST', cookie: city.cookie, csrf: city.csrf, body: { username: 'leader3', displayName: '分管副市长助理', password: 'lead-pass-0003', role: 'leader' } });
    expect(viaSession.status).toBe(201);
    const unit = await login('anhua1', 'unit-pass-0001');
    expect((await call('/api/auth/tokens', { method: 'POST', cookie: unit.cookie, csrf: unit.csrf, body: { name: '审计脚本' } })).status).toBe(201);
    expect((await call('/api/auth/logout', { method: 'POST', cookie: unit.cookie, csrf: unit.csrf })).status).toBe(204);
    const reset = await call(`/api/accounts/${audited.body.id}`, { method: 'PATCH', cookie: city.cookie, csrf: city.csrf, body: { password: 'unit-pass-0002', displayName: '安化县赵主任（新）' } });
    expect(reset.status).toBe(200);
    expect(await lockOut('leader3')).toContain(429);

    const log = await call('/api/audit?limit=200', { cookie: city.cookie });
    expect(log.status).toBe(200);
    const items: any[] = log.body.items;
    const created = items.find((e) => e.action === 'POST /api/accounts' && e.status === 201 && e.target.includes('leader3'));
    expect(created).toMatchObject({ actor: '市商务局张科长(city1)', after: { username: 'leader3', role: 'leader' } });
    const patched = items.find((e) => e.action === 'PATCH /api/accounts/:id' && e.after?.passwordReset && e.target?.includes('anhua1'));
    expect(patched.before).toMatchObject({ displayName: '安化县赵主任' });
    expect(patched.after).toMatchObject({ displayName: '安化县赵主任（新）' });
    expect(items.some((e) => e.actor === 'admin-api' && e.action === 'POST /api/accounts')).toBe(true);
    expect(items.some((e) => e.action === 'POST /api/auth/login' && e.status === 429)).toBe(true);
    expect(items.some((e) => e.action === 'POST /api/auth/tokens' && e.status === 201)).toBe(true);
    expect(items.some((e) => e.action === 'POST /api/auth/logout' && e.status === 204)).toBe(true);
    // Passwords never reach the log.
    expect(JSON.stringify(items)).not.toMatch(/pass-000/);
    expect(new Date(items[0].at).getTime()).toBeGreaterThan(0);
  });

  it('signs in through WeCom web login (played by the simulator) an account bound to that WeCom userid', async () => {
    const bound = await sys.admin('/api/accounts', {
      method: 'POST',
      body: JSON.stringify({ username: 'wecom1', displayName: '企业微信登录者', password: 'wecom-pass-0001', role: 'leader', wecomUserId: 'wxlogin01' }),
    });
    expect(bound.status).toBe(201);
    expect(bound.body.wecomUserId).toBe('wxlogin01');

    // 1. The gateway sends the browser to WeCom's sign-in page with a state bound to it.
    const start = await fetch(`${sys.gatewayUrl}/api/auth/wecom/login`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const toWecom = new URL(start.headers.get('location')!);
    expect(toWecom.pathname).toBe('/wwlogin/sso/login');
    expect(toWecom.searchParams.get('redirect_uri')).toBe(`${sys.gatewayUrl}/api/auth/wecom/callback`);
    const stateCookie = cookieHeader(start.headers.getSetCookie());
    expect(stateCookie).toMatch(/^zs_oauth_state=/);
    // 2. The person picks who they are; WeCom redirects back with a code.
    const picked = await fetch(`${toWecom.toString()}&userid=wxlogin01`, { redirect: 'manual' });
    expect(picked.status).toBe(302);
    const back = picked.headers.get('location')!;
    expect(back.startsWith(`${sys.gatewayUrl}/api/auth/wecom/callback?`)).toBe(true);
    // Without the browser's state cookie the code is refused (login CSRF).
    expect((await fetch(back, { redirect: 'manual' })).status).toBe(400);
    // 3. The code is exchanged: a session for the bound account, then to the console.
    const done = await fetch(back, { redirect: 'manual', headers: { cookie: stateCookie } });
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe('/console/');
    const session = cookieHeader(done.headers.getSetCookie().filter((c) => /^zs_(session|csrf)=./.test(c)));
    const me = await call('/api/auth/me', { cookie: session });
    expect(me.body).toMatchObject({ via: 'session', account: { username: 'wecom1', role: 'leader' } });
    // A code is good once.
    expect((await fetch(back, { redirect: 'manual', headers: { cookie: stateCookie } })).status).toBe(403);

    // A WeCom user without a bound account gets no session.
    const start2 = await fetch(`${sys.gatewayUrl}/api/auth/wecom/login`, { redirect: 'manual' });
    const picked2 = await fetch(`${start2.headers.get('location')}&userid=stranger01`, { redirect: 'manual' });
    const refused = await fetch(picked2.headers.get('location')!, { redirect: 'manual', headers: { cookie: cookieHeader(start2.headers.getSetCookie()) } });
    expect(refused.status).toBe(403);
    expect(refused.headers.getSetCookie().some((c) => c.startsWith('zs_session='))).toBe(false);
  });

  it('signs in through DingTalk web login (played by the simulator) an account bound to that DingTalk unionId', async () => {
    const unionId = dingtalkSimUnionIdOf('dtlogin01');
    const bound = await sys.admin('/api/accounts', {
      method: 'POST',
      body: JSON.stringify({ username: 'dingtalk1', displayName: '钉钉登录者', password: 'dingtalk-pass-01', role: 'leader' }),
    });
    expect(bound.status).toBe(201);
    expect(bound.body.dingtalkUnionId).toBeNull();
    // Bound afterwards, as an administrator would (PATCH), and the binding shows in the list.
    const patched = await sys.admin(`/api/accounts/${bound.body.id}`, { method: 'PATCH', body: JSON.stringify({ dingtalkUnionId: unionId }) });
    expect(patched.status).toBe(200);
    expect(patched.body.dingtalkUnionId).toBe(unionId);
    // One DingTalk identity signs in to one account only.
    const twice = await sys.admin('/api/accounts', {
      method: 'POST',
      body: JSON.stringify({ username: 'dingtalk2', displayName: '重复绑定', password: 'dingtalk-pass-02', role: 'leader', dingtalkUnionId: unionId }),
    });
    expect(twice.status).toBe(409);

    // 1. The gateway sends the browser to DingTalk's sign-in page with a state bound to it.
    const start = await fetch(`${sys.gatewayUrl}/api/auth/dingtalk/login`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const toDingtalk = new URL(start.headers.get('location')!);
    expect(toDingtalk.pathname).toBe('/oauth2/auth');
    expect(Object.fromEntries(toDingtalk.searchParams)).toMatchObject({
      redirect_uri: `${sys.gatewayUrl}/api/auth/dingtalk/callback`,
      response_type: 'code',
      client_id: dingApp.clientId,
      scope: 'openid',
      prompt: 'consent',
    });
    const stateCookie = cookieHeader(start.headers.getSetCookie());
    expect(stateCookie).toMatch(/^zs_oauth_state=/);
    expect(start.headers.getSetCookie()[0]).toContain('Path=/api/auth/dingtalk');
    // 2. The person picks who they are; DingTalk redirects back with an authCode.
    const picked = await fetch(`${toDingtalk.toString()}&staffId=dtlogin01`, { redirect: 'manual' });
    expect(picked.status).toBe(302);
    const back = new URL(picked.headers.get('location')!);
    expect(back.toString().startsWith(`${sys.gatewayUrl}/api/auth/dingtalk/callback?`)).toBe(true);
    expect(back.searchParams.get('authCode')).toBeTruthy();
    // Without the browser's state cookie, or with another state, the code is refused (login CSRF).
    expect((await fetch(back, { redirect: 'manual' })).status).toBe(400);
    const forged = new URL(back);
    forged.searchParams.set('state', 'x'.repeat(back.searchParams.get('state')!.length));
    expect((await fetch(forged, { redirect: 'manual', headers: { cookie: stateCookie } })).status).toBe(400);
    // 3. The code is exchanged: a session for the bound account, then to the console.
    const done = await fetch(back, { redirect: 'manual', headers: { cookie: stateCookie } });
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe('/console/');
    const session = cookieHeader(done.headers.getSetCookie().filter((c) => /^zs_(session|csrf)=./.test(c)));
    const me = await call('/api/auth/me', { cookie: session });
    expect(me.body).toMatchObject({ via: 'session', account: { username: 'dingtalk1', role: 'leader' } });
    // A code is good once.
    expect((await fetch(back, { redirect: 'manual', headers: { cookie: stateCookie } })).status).toBe(403);

    // A DingTalk user without a bound account gets no session.
    const start2 = await fetch(`${sys.gatewayUrl}/api/auth/dingtalk/login`, { redirect: 'manual' });
    const picked2 = await fetch(`${start2.headers.get('location')}&staffId=stranger02`, { redirect: 'manual' });
    const refused = await fetch(picked2.headers.get('location')!, { redirect: 'manual', headers: { cookie: cookieHeader(start2.headers.getSetCookie()) } });
    expect(refused.status).toBe(403);
    expect(refused.headers.getSetCookie().some((c) => c.startsWith('zs_session='))).toBe(false);

    // Declining on DingTalk's page comes back with an error, not a session.
    const start4 = await fetch(`${sys.gatewayUrl}/api/auth/dingtalk/login`, { redirect: 'manual' });
    const declined = await fetch(`${start4.headers.get('location')}&deny=1`, { redirect: 'manual' });
    expect((await fetch(declined.headers.get('location')!, { redirect: 'manual', headers: { cookie: cookieHeader(start4.headers.getSetCookie()) } })).status).toBe(400);

    // Unbinding ends DingTalk sign-in for that account.
    expect((await sys.admin(`/api/accounts/${bound.body.id}`, { method: 'PATCH', body: JSON.stringify({ dingtalkUnionId: '' }) })).body.dingtalkUnionId).toBeNull();
    const start3 = await fetch(`${sys.gatewayUrl}/api/auth/dingtalk/login`, { redirect: 'manual' });
    const picked3 = await fetch(`${start3.headers.get('location')}&staffId=dtlogin01`, { redirect: 'manual' });
    expect((await fetch(picked3.headers.get('location')!, { redirect: 'manual', headers: { cookie: cookieHeader(start3.headers.getSetCookie()) } })).status).toBe(403);

    // Both ways show in the audit log.
    const audit = await sys.admin('/api/audit?limit=200');
    const items = audit.body.items as Array<{ action: string; status: number }>;
    expect(items.some((e) => e.action === 'GET /api/auth/dingtalk/callback' && e.status === 200)).toBe(true);
    expect(items.some((e) => e.action === 'GET /api/auth/dingtalk/callback' && e.status === 403)).toBe(true);
  });

  it('sends security headers and keeps CORS closed', async () => {
    const r = await fetch(`${sys.gatewayUrl}/api/auth/me`, { headers: { origin: 'https://evil.example' } });
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('content-security-policy')).toBeTruthy();
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await fetch(`${sys.gatewayUrl}/api/accounts`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
  });
});
