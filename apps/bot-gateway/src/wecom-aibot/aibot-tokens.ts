import type { WecomCrypto } from '@zs/channels';
import type { WecomAibotBot } from './aibot-config';

export const AIBOT_SETTINGS = Symbol('AIBOT_SETTINGS');
export const AIBOT_REDIS = Symbol('AIBOT_REDIS');
export const AIBOT_NONCE_GUARD = Symbol('AIBOT_NONCE_GUARD');

export interface AibotCallbackBot {
  bot: WecomAibotBot;
  crypto: WecomCrypto;
  /** Key for nonces and logs: the bot id, or the slot when the bot id is not configured. */
  key: string;
}

export interface AibotSettings {
  namespace: string;
  bots: WecomAibotBot[];
  callbackBots: AibotCallbackBot[];
  wsUrl: string;
  heartbeatMs: number;
  reconnectBaseMs: number;
  reconnectMaxMs: number;
  ackText: string;
  retryWindowMs: number;
}
