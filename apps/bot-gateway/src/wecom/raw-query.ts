/**
 * Parses a query string the way WeCom encodes it: percent-decoding only. Express's
 * parser turns '+' into a space, which would corrupt a base64 echostr sent unencoded.
 */
export function parseRawQuery(url: string): Record<string, string> {
  const q = url.indexOf('?');
  const out: Record<string, string> = {};
  if (q < 0) return out;
  for (const part of url.slice(q + 1).split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    try {
      out[decodeURIComponent(key)] = decodeURIComponent(value);
    } catch {
      // malformed percent-encoding: leave the parameter out; signature checks will fail cleanly
    }
  }
  return out;
}
