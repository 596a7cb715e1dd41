/**
 * DingTalk Stream mode frames (the protocol of the `dingtalk-stream` SDK).
 *
 * Down (server → client): `{specVersion, type: SYSTEM|EVENT|CALLBACK, headers: {topic,
 * messageId, contentType, time, ...}, data: "<json string>"}`.
 * Up (client → server) answers a frame by its messageId:
 * `{code: 200, headers: {messageId, contentType: "application/json"}, message: "OK", data: "<json string>"}`.
 */

export const TOPIC_ROBOT = '/v1.0/im/bot/messages/get';
/** Older gateways named the robot topic this way. */
export const TOPIC_ROBOT_LEGACY = 'bot_got_msg';

export type FrameType = 'SYSTEM' | 'EVENT' | 'CALLBACK';

export interface DownFrame {
  specVersion?: string;
  type: FrameType;
  headers: { topic: string; messageId: string; [k: string]: unknown };
  data: string;
}

export interface UpFrame {
  code: number;
  headers: Record<string, unknown>;
  message: string;
  data: string;
}

/** What the client must do with one received frame. */
export type FrameAction =
  /** Answer a SYSTEM ping: echo its headers and data. */
  | { kind: 'pong'; reply: UpFrame }
  /** The server will close this connection: open a new one with a fresh ticket. */
  | { kind: 'disconnect'; reason: string }
  /** A robot message: hand it over, then ACK with `ack`. `payload` is the parsed data (may be invalid). */
  | { kind: 'robot-message'; messageId: string; payload: unknown; ack: UpFrame }
  /** A callback or event we do not handle: acknowledge it so it is not pushed again. */
  | { kind: 'ack-only'; ack: UpFrame; topic: string }
  /** SYSTEM CONNECTED / REGISTERED / KEEPALIVE and other notices: nothing to send. */
  | { kind: 'notice'; topic: string }
  /** Unreadable frame: log and ignore. */
  | { kind: 'invalid'; reason: string };

export function callbackAck(messageId: string): UpFrame {
  return {
    code: 200,
    headers: { messageId, contentType: 'application/json' },
    message: 'OK',
    data: JSON.stringify({ response: null }),
  };
}

export function eventAck(messageId: string): UpFrame {
  return {
    code: 200,
    headers: { messageId, contentType: 'application/json' },
    message: 'OK',
    data: JSON.stringify({ status: 'SUCCESS', message: 'OK' }),
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** Parses one text frame and decides the answer. Never throws. */
export function interpretFrame(raw: string): FrameAction {
  let f: unknown;
  try {
    f = JSON.parse(raw);
  } catch {
    return { kind: 'invalid', reason: 'frame is not JSON' };
  }
  if (!isRecord(f) || !isRecord(f.headers)) return { kind: 'invalid', reason: 'frame without headers' };
  const type = f.type;
  const headers = f.headers;
  const topic = typeof headers.topic === 'string' ? headers.topic : '';
  const messageId = typeof headers.messageId === 'string' ? headers.messageId : '';
  const data = typeof f.data === 'string' ? f.data : '';

  if (type === 'SYSTEM') {
    if (topic === 'ping') {
      if (!messageId) return { kind: 'invalid', reason: 'ping without messageId' };
      return { kind: 'pong', reply: { code: 200, headers: { ...headers }, message: 'OK', data } };
    }
    if (topic === 'disconnect') {
      let reason = 'server asked to reconnect';
      try {
        const d = JSON.parse(data) as { reason?: unknown };
        if (d && typeof d.reason === 'string') reason = d.reason.slice(0, 200);
      } catch {
        /* keep the default */
      }
      return { kind: 'disconnect', reason };
    }
    return { kind: 'notice', topic: topic || '(none)' };
  }
  if (type === 'CALLBACK' || type === 'EVENT') {
    if (!messageId) return { kind: 'invalid', reason: `${type} without messageId` };
    if (type === 'CALLBACK' && (topic === TOPIC_ROBOT || topic === TOPIC_ROBOT_LEGACY)) {
      let payload: unknown;
      try {
        payload = JSON.parse(data);
      } catch {
        payload = undefined;
      }
      return { kind: 'robot-message', messageId, payload, ack: callbackAck(messageId) };
    }
    return { kind: 'ack-only', topic, ack: type === 'EVENT' ? eventAck(messageId) : callbackAck(messageId) };
  }
  return { kind: 'invalid', reason: 'unknown frame type' };
}
