/**
 * A personal API token of a console account, the way a script gets one: sign in with the
 * password (session cookie + CSRF token), then POST /api/auth/tokens. Tests use it to call the
 * admin API as that account with a bearer token.
 */
export async function personalTokenFor(gatewayUrl: string, username: string, password: string, name = 'test'): Promise<string> {
  const login = await fetch(`${gatewayUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (login.status !== 200) throw new Error(`sign-in of ${username} answered ${login.status}: ${await login.text()}`);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const t = await fetch(`${gatewayUrl}/api/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken }, body: JSON.stringify({ name }) });
  if (t.status !== 201) throw new Error(`token for ${username} answered ${t.status}: ${await t.text()}`);
  return ((await t.json()) as { token: string }).token;
}
