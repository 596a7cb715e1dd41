import { z } from 'zod';

/**
 * WeCom AI bot (智能机器人) settings of the gateway.
 *
 * Several bots: each bot is a "slot" of four variables. The first bot uses the bare names,
 * further bots an index 1–9 after `WECOM_AIBOT_`:
 *
 *   WECOM_AIBOT_BOT_ID, WECOM_AIBOT_SECRET, WECOM_AIBOT_TOKEN, WECOM_AIBOT_ENCODING_AES_KEY
 *   WECOM_AIBOT_2_BOT_ID, WECOM_AIBOT_2_SECRET, WECOM_AIBOT_2_TOKEN, WECOM_AIBOT_2_ENCODING_AES_KEY
 *
 * A slot with TOKEN + ENCODING_AES_KEY receives HTTP callbacks (POST /wecom/aibot/callback; the
 * signature tells the bots apart). A slot with BOT_ID + SECRET keeps a long connection
 * (WebSocket) to WeCom. A slot may have both. Indexed slots keep secrets out of list syntax
 * (no separator to escape) and map one-to-one onto Kubernetes secret keys.
 */

export const WECOM_AIBOT_SLOTS = ['', '1_', '2_', '3_', '4_', '5_', '6_', '7_', '8_', '9_'] as const;
type Slot = (typeof WECOM_AIBOT_SLOTS)[number];
const FIELDS = ['BOT_ID', 'SECRET', 'TOKEN', 'ENCODING_AES_KEY'] as const;
type Field = (typeof FIELDS)[number];
export type WecomAibotSlotKey = `WECOM_AIBOT_${Slot}${Field}`;

export const WECOM_AIBOT_DEFAULT_WS_URL = 'wss://openws.work.weixin.qq.com';
/** The acknowledgement shown at once for a message received over the long connection (a stream that the answer later replaces). */
export const WECOM_AIBOT_DEFAULT_ACK_TEXT = '收到，正在处理…';

/** An unset variable and an empty one mean the same: not configured. */
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

function fieldSchema(field: Field): z.ZodType<string | undefined, z.ZodTypeDef, unknown> {
  switch (field) {
    case 'BOT_ID':
      return z.preprocess(
        blankToUndefined,
        z.string().max(128, 'must be at most 128 characters').regex(/^[\x21-\x7e]+$/, 'must be the bot id from the WeCom admin console (no spaces)').optional(),
      );
    case 'SECRET':
      return z.preprocess(blankToUndefined, z.string().min(8, 'must be the bot secret from the WeCom admin console').optional());
    case 'TOKEN':
      return z.preprocess(
        blankToUndefined,
        z.string().max(128, 'must be at most 128 characters').regex(/^[A-Za-z0-9]+$/, 'must be letters and digits (the Token from the callback settings)').optional(),
      );
    case 'ENCODING_AES_KEY':
      return z.preprocess(
        blankToUndefined,
        z.string().regex(/^[A-Za-z0-9+/]{43}$/, 'must be exactly 43 characters (letters and digits), the EncodingAESKey from the callback settings').optional(),
      );
  }
}

const slotShape = Object.fromEntries(
  WECOM_AIBOT_SLOTS.flatMap((slot) => FIELDS.map((f) => [`WECOM_AIBOT_${slot}${f}`, fieldSchema(f)])),
) as { [K in WecomAibotSlotKey]: z.ZodType<string | undefined, z.ZodTypeDef, unknown> };

const ms = (min: number, max: number, def: number) => z.coerce.number().int().min(min).max(max).default(def);

/** Spread into the gateway's config schema. */
export const wecomAibotEnvShape = {
  ...slotShape,
  /** Long-connection endpoint (private WeCom deployments show theirs in the admin console). */
  WECOM_AIBOT_WS_URL: z
    .string()
    .url()
    .refine((u) => /^wss?:\/\//i.test(u), 'must be a ws:// or wss:// URL')
    .default(WECOM_AIBOT_DEFAULT_WS_URL),
  WECOM_AIBOT_HEARTBEAT_MS: ms(1000, 300_000, 30_000),
  WECOM_AIBOT_RECONNECT_BASE_MS: ms(100, 60_000, 1000),
  WECOM_AIBOT_RECONNECT_MAX_MS: ms(1000, 600_000, 30_000),
  /** Shown at once on the long connection while the answer is prepared; empty: no acknowledgement stream. */
  WECOM_AIBOT_ACK_TEXT: z.string().max(200, 'must be at most 200 characters').default(WECOM_AIBOT_DEFAULT_ACK_TEXT),
  /** An identical callback (same nonce and signature) within this many seconds is WeCom's retry; later it is a replay. */
  WECOM_AIBOT_RETRY_WINDOW_S: z.coerce.number().int().min(1).max(3600).default(60),
};

type WecomAibotEnv = { [K in WecomAibotSlotKey]?: string } & {
  WECOM_AIBOT_RECONNECT_BASE_MS: number;
  WECOM_AIBOT_RECONNECT_MAX_MS: number;
};

export interface WecomAibotBot {
  /** The variable prefix of the slot, for messages: `WECOM_AIBOT` or `WECOM_AIBOT_2`. */
  slot: string;
  /** Bot id (aibotid). Required for the long connection; optional for callbacks (then taken from each message). */
  botId?: string;
  /** Long connection credentials. */
  secret?: string;
  /** HTTP callback credentials. */
  callback?: { token: string; encodingAesKey: string };
}

const prefixOf = (slot: Slot) => (slot ? `WECOM_AIBOT_${slot.slice(0, -1)}` : 'WECOM_AIBOT');

/** The configured bots, in slot order. */
export function wecomAibotBots(c: WecomAibotEnv): WecomAibotBot[] {
  const bots: WecomAibotBot[] = [];
  for (const slot of WECOM_AIBOT_SLOTS) {
    const get = (f: Field) => c[`WECOM_AIBOT_${slot}${f}` as WecomAibotSlotKey];
    const botId = get('BOT_ID');
    const secret = get('SECRET');
    const token = get('TOKEN');
    const encodingAesKey = get('ENCODING_AES_KEY');
    if (!botId && !secret && !token && !encodingAesKey) continue;
    bots.push({
      slot: prefixOf(slot),
      botId,
      secret: botId && secret ? secret : undefined,
      callback: token && encodingAesKey ? { token, encodingAesKey } : undefined,
    });
  }
  return bots;
}

export function wecomAibotEnabled(c: WecomAibotEnv): boolean {
  return wecomAibotBots(c).length > 0;
}

/** Cross-field checks; call from the gateway schema's superRefine. Messages name variables, never values. */
export function refineWecomAibot(c: WecomAibotEnv, ctx: z.RefinementCtx): void {
  const issue = (key: string, message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message });
  const botIds = new Map<string, string>();
  const tokens = new Map<string, string>();
  for (const slot of WECOM_AIBOT_SLOTS) {
    const p = prefixOf(slot);
    const key = (f: Field) => `WECOM_AIBOT_${slot}${f}` as WecomAibotSlotKey;
    const [botId, secret, token, aesKey] = FIELDS.map((f) => c[key(f)]);
    if (!botId && !secret && !token && !aesKey) continue;
    if (token && !aesKey) issue(key('ENCODING_AES_KEY'), `required with ${p}_TOKEN (the AI bot callback needs both)`);
    if (aesKey && !token) issue(key('TOKEN'), `required with ${p}_ENCODING_AES_KEY (the AI bot callback needs both)`);
    if (secret && !botId) issue(key('BOT_ID'), `required with ${p}_SECRET (the AI bot long connection needs both)`);
    if (botId && !secret && !token && !aesKey) {
      issue(key('SECRET'), `${p}_BOT_ID is set but neither ${p}_SECRET (long connection) nor ${p}_TOKEN + ${p}_ENCODING_AES_KEY (callback)`);
    }
    if (botId) {
      const other = botIds.get(botId);
      if (other) issue(key('BOT_ID'), `the same bot id is already configured in ${other}_BOT_ID`);
      else botIds.set(botId, p);
    }
    if (token) {
      const other = tokens.get(token);
      if (other) issue(key('TOKEN'), `the same token is already configured in ${other}_TOKEN (callbacks could not be told apart)`);
      else tokens.set(token, p);
    }
  }
  if (c.WECOM_AIBOT_RECONNECT_MAX_MS < c.WECOM_AIBOT_RECONNECT_BASE_MS) {
    issue('WECOM_AIBOT_RECONNECT_MAX_MS', 'must not be smaller than WECOM_AIBOT_RECONNECT_BASE_MS');
  }
}
