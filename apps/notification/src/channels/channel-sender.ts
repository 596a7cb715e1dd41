import { NotifyChannel, NotifyTarget, RichMessage } from '@zs/contracts';

export interface OutboundMessage {
  format: 'text' | 'markdown';
  title?: string;
  content: string;
  /** The structured form, when the producer gave one: senders render it for their target (see ../render). */
  rich?: RichMessage;
  /** A file to send after the message, where the channel takes files (see NotifyRequest.attachment). */
  attachment?: { fileName: string; base64: string };
}

export interface SendContext {
  /** Parts of a split message already delivered by an earlier attempt of the same job. */
  alreadySentParts: number;
  /** Records progress so a retry resumes after the last delivered part. */
  onPartSent: (sentSoFar: number) => Promise<void>;
  /** 1 for the first attempt. */
  attempt: number;
  /**
   * The request's dedupKey: names a send across retries, e.g. as the rate limiter's holder
   * (`${dedupKey}#${part}`) so a reserved slot is claimed when the job comes back.
   */
  dedupKey?: string;
}

export interface SendOutcome {
  parts: number;
  /** Delivered to some recipients only (e.g. WeCom `invaliduser`). */
  partial?: boolean;
  note?: string;
}

/** One way out. Each channel has exactly one sender, registered under CHANNEL_SENDERS. */
export interface ChannelSender<C extends NotifyChannel = NotifyChannel> {
  readonly channel: C;
  send(target: Extract<NotifyTarget, { channel: C }>, message: OutboundMessage, ctx: SendContext): Promise<SendOutcome>;
}

/**
 * What a permanent error says is wrong:
 * - `channel`: the robot or app itself (invalid webhook key 93000, bad signature 310000, no
 *   permission 48002, untrusted IP 60020...): it is marked broken and an administrator is told;
 * - `recipient`: the people addressed (all recipients invalid, 81013): an administrator is told,
 *   the channel stays usable;
 * - `message`: this message only (content rejected, unknown robot id, robot already broken): logged.
 */
export type PermanentScope = 'channel' | 'recipient' | 'message';

/** Retrying cannot help (invalid key, no permission, all recipients invalid): stop and tell an administrator. */
export class PermanentSendError extends Error {
  constructor(
    readonly errcode: number,
    message: string,
    readonly scope: PermanentScope = 'channel',
  ) {
    super(message);
  }
}

/** The platform asked us to slow down, or our own limiter says wait: try again after `delayMs`, without using up an attempt. */
export class RetryLaterError extends Error {
  constructor(
    readonly delayMs: number,
    message: string,
    /** Who asked for the wait: our own limiter (a slot is not free yet) or the platform ("too fast"). Counted apart in the metrics. */
    readonly by: 'limiter' | 'platform' = 'platform',
  ) {
    super(message);
  }
}

/** The target can no longer be used (an expired sessionWebhook or response_url): use the request's fallback. */
export class TargetExpiredError extends Error {}

/** A description of a target for the delivery log: ids only, never credentials or URLs with tokens. */
export function describeTarget(t: NotifyTarget): string {
  switch (t.channel) {
    case 'wecom-app':
      return t.userIds.join('|');
    case 'wecom-group-robot':
    case 'dingtalk-custom-robot':
      return `robot:${t.robotId}`;
    case 'wecom-aibot-response':
      return `aibot:${t.botId}:response_url`;
    case 'wecom-aibot-push':
      return `aibot:${t.botId}:${t.chatId ?? t.userId ?? ''}`;
    case 'wecom-aibot-stream':
      return `aibot:${t.botId}:stream`;
    case 'dingtalk-session':
      return `dingtalk:${t.robotCode}:session`;
    case 'dingtalk-group':
      return `dingtalk:${t.robotCode}:${t.openConversationId}`;
    case 'dingtalk-oto':
      return `dingtalk:${t.robotCode}:${t.userIds.join('|')}`;
  }
}
