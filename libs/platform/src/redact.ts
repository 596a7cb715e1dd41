/**
 * Secrets must never reach a log line. Structured fields are redacted by key
 * (pino's `redact`); free text (URLs, error messages from HTTP clients) is scrubbed
 * by pattern here.
 */
export const SECRET_KEY_PATHS = [
  'secret',
  'token',
  'password',
  'authorization',
  'encodingAesKey',
  'access_token',
  'corpsecret',
  'clientSecret',
  'appSecret',
  '*.secret',
  '*.token',
  '*.password',
  '*.authorization',
  '*.encodingAesKey',
  '*.access_token',
  '*.corpsecret',
  '*.clientSecret',
  '*.appSecret',
  'headers.authorization',
  'req.headers.authorization',
];

const PATTERNS: Array<[RegExp, string]> = [
  // query-string credentials: access_token, corpsecret, key (robot webhooks), sign, ticket, session (DingTalk sessionWebhook), response_code (WeCom AI bot response_url)
  [/([?&](?:access_token|corpsecret|key|sign|ticket|secret|session|response_code)=)[^&\s"']+/gi, '$1[REDACTED]'],
  // credentials embedded in URLs: scheme://user:password@host
  [/([a-z][a-z0-9+.-]*:\/\/[^:/\s@]+:)[^@\s/]+@/gi, '$1[REDACTED]@'],
  // bearer tokens
  [/(Bearer\s+)[A-Za-z0-9._~+/=-]+/g, '$1[REDACTED]'],
];

export function redactText(text: string): string {
  let out = text;
  for (const [re, rep] of PATTERNS) out = out.replace(re, rep);
  return out;
}
