export const NAMES = Symbol('NAMES');
export const REDIS = Symbol('REDIS');
export const OUTBOUND_QUEUE = Symbol('OUTBOUND_QUEUE');
export const OUTBOUND_SETTINGS = Symbol('OUTBOUND_SETTINGS');
export const OUTBOUND_ATTEMPTS = Symbol('OUTBOUND_ATTEMPTS');
/** Every configured ChannelSender, one per channel. */
export const CHANNEL_SENDERS = Symbol('CHANNEL_SENDERS');
/** The platform API clients (WeCom app, DingTalk app robots): one per app for the whole process. */
export const NOTIFICATION_API_CLIENTS = Symbol('NOTIFICATION_API_CLIENTS');
