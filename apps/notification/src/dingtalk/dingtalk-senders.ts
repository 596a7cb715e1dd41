import { signDingtalkRobotUrl } from '@zs/channels';
import { NotifyTarget } from '@zs/contracts';
import {
  ChannelSender,
  OutboundMessage,
  PermanentSendError,
  RetryLaterError,
  SendContext,
  SendOutcome,
  TargetExpiredError,
} from '../channels/channel-sender';
import { acquireSoon, RateLimit, RateLimiter } from '../rate-limit';
import { classifyOpenApi, classifyWebhook, DINGTALK_THROTTLE_MS, DINGTALK_TOO_FAST } from './dingtalk-errors';
import { planDingtalkParts, openApiMessage, webhookBody } from './dingtalk-message';
import { DingtalkApiError, DingtalkOpenApi } from './dingtalk-openapi';
import { RobotCredentials } from './robot-credentials';

type Target<C extends NotifyTarget['channel']> = Extract<NotifyTarget, { channel: C }>;

/** A sessionWebhook this close to its expiry is not used: the fallback goes out instead. */
export const SESSION_EXPIRY_MARGIN_MS = 30_000;

/** The limiter key of a DingTalk robot: ids only, never an access_token. */
export const dingtalkRobotLimitKey = (id: string) => `dingtalk-robot:${id}`;

export interface DingtalkLimits {
  limiter?: RateLimiter;
  /** Per robot (custom robot; app robot per group), margins included. */
  perRobot: RateLimit[];
}

async function postJson(url: string, body: unknown, timeoutMs: number): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  }).catch((e: Error) => {
    // fetch errors can carry the URL, and these URLs carry credentials.
    throw new DingtalkApiError(0, e.name, `DingTalk webhook request failed: ${e.name}`);
  });
  const text = await res.text().catch(() => '');
  let json: unknown = {};
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    json = {};
  }
  return { status: res.status, body: json && typeof json === 'object' ? (json as Record<string, unknown>) : {} };
}

/**
 * Takes a slot of the robot's limit for one part (reserved under `<dedupKey>#<part>`, so the job
 * claims it when it comes back), or raises RetryLaterError. Returns what to call once DingTalk
 * has answered: later slots are measured from that time.
 */
async function takeSlot(limits: DingtalkLimits, key: string, ctx: SendContext, part: number): Promise<() => Promise<void>> {
  if (!limits.limiter || limits.perRobot.length === 0) return async () => undefined;
  const slot = await acquireSoon(limits.limiter, key, limits.perRobot, { holder: ctx.dedupKey && `${ctx.dedupKey}#${part}` });
  if (!slot.ok) throw new RetryLaterError(slot.retryAfterMs, `${key}: rate limit, next slot in ${slot.retryAfterMs} ms`, 'limiter');
  return () => slot.sent().catch(() => undefined);
}

/** DingTalk said "too fast" anyway: hold every sender of this robot for the throttle period. */
async function throttled(limits: DingtalkLimits, key: string, e: unknown): Promise<void> {
  if (e instanceof RetryLaterError && e.delayMs >= DINGTALK_THROTTLE_MS && limits.limiter) await limits.limiter.penalize(key, e.delayMs);
}

/**
 * The app robot's answer through the callback's sessionWebhook (no token needed), while it is
 * valid. An expired one, or one DingTalk no longer accepts, raises TargetExpiredError so the
 * worker sends the fallback (OpenAPI group or 1:1 message) instead.
 */
export class DingtalkSessionSender implements ChannelSender<'dingtalk-session'> {
  readonly channel = 'dingtalk-session' as const;

  constructor(
    /** Origins a sessionWebhook may point at (DINGTALK_OAPI_BASE's). */
    private readonly allowedOrigins: string[],
    private readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async send(target: Target<'dingtalk-session'>, message: OutboundMessage, ctx: SendContext): Promise<SendOutcome> {
    if (!this.allowed(target.sessionWebhook)) throw new TargetExpiredError('sessionWebhook is not on the configured DingTalk origin');
    const parts = planDingtalkParts(message);
    for (let i = ctx.alreadySentParts; i < parts.length; i++) {
      if (this.now() >= target.expiresAt - SESSION_EXPIRY_MARGIN_MS) throw new TargetExpiredError('sessionWebhook expired');
      const r = await postJson(target.sessionWebhook, webhookBody(parts[i]), this.timeoutMs);
      if (r.status >= 500 || r.status === 429) throw new DingtalkApiError(r.status, `HTTP ${r.status}`, `sessionWebhook HTTP ${r.status}`);
      const errcode = typeof r.body.errcode === 'number' ? r.body.errcode : undefined;
      if (r.status === 200 && errcode === 0) {
        await ctx.onPartSent(i + 1);
        continue;
      }
      if (errcode === DINGTALK_TOO_FAST) throw new RetryLaterError(DINGTALK_THROTTLE_MS, 'sessionWebhook: DingTalk 130101, waiting 10 minutes');
      // Anything else (session expired or unknown, 4xx): the session cannot be used; the OpenAPI can.
      throw new TargetExpiredError(`sessionWebhook refused (HTTP ${r.status}, errcode ${errcode ?? 'none'})`);
    }
    return { parts: parts.length };
  }

  private allowed(url: string): boolean {
    try {
      const u = new URL(url);
      return (u.protocol === 'https:' || u.protocol === 'http:') && this.allowedOrigins.includes(u.origin);
    } catch {
      return false;
    }
  }
}

/** The OpenAPI clients of the configured app robots, by robotCode. */
export class DingtalkApps {
  private readonly byRobot = new Map<string, DingtalkOpenApi>();

  constructor(apis: DingtalkOpenApi[]) {
    for (const a of apis) this.byRobot.set(a.app.robotCode, a);
  }

  get(robotCode: string): DingtalkOpenApi {
    const api = this.byRobot.get(robotCode);
    if (!api) throw new PermanentSendError(0, `DingTalk robot ${robotCode} is not configured (DINGTALK_ROBOT_CODE / DINGTALK_ROBOTS)`, 'message');
    return api;
  }
}

/** App robot message to a group through the OpenAPI (`/v1.0/robot/groupMessages/send`). */
export class DingtalkGroupSender implements ChannelSender<'dingtalk-group'> {
  readonly channel = 'dingtalk-group' as const;

  constructor(
    private readonly apps: DingtalkApps,
    private readonly limits: DingtalkLimits,
  ) {}

  async send(target: Target<'dingtalk-group'>, message: OutboundMessage, ctx: SendContext): Promise<SendOutcome> {
    const api = this.apps.get(target.robotCode);
    const parts = planDingtalkParts(message);
    const key = dingtalkRobotLimitKey(`${target.robotCode}:${target.openConversationId}`);
    for (let i = ctx.alreadySentParts; i < parts.length; i++) {
      const done = await takeSlot(this.limits, key, ctx, i);
      const r = await api
        .post('/v1.0/robot/groupMessages/send', {
          robotCode: target.robotCode,
          openConversationId: target.openConversationId,
          ...openApiMessage(parts[i]),
        })
        .finally(done);
      const c = classifyOpenApi(r);
      if (!c.ok) {
        await throttled(this.limits, key, c.error);
        throw c.error;
      }
      await ctx.onPartSent(i + 1);
    }
    return { parts: parts.length };
  }
}

/** App robot 1:1 messages through the OpenAPI (`/v1.0/robot/oToMessages/batchSend`, ≤20 people). */
export class DingtalkOtoSender implements ChannelSender<'dingtalk-oto'> {
  readonly channel = 'dingtalk-oto' as const;

  constructor(private readonly apps: DingtalkApps) {}

  async send(target: Target<'dingtalk-oto'>, message: OutboundMessage, ctx: SendContext): Promise<SendOutcome> {
    const api = this.apps.get(target.robotCode);
    const parts = planDingtalkParts(message);
    const invalid = new Set<string>();
    for (let i = ctx.alreadySentParts; i < parts.length; i++) {
      const r = await api.post('/v1.0/robot/oToMessages/batchSend', { robotCode: target.robotCode, userIds: target.userIds, ...openApiMessage(parts[i]) });
      const c = classifyOpenApi(r);
      if (!c.ok) throw c.error;
      const bad = strings(r.body.invalidStaffIdList);
      const flow = strings(r.body.flowControlledStaffIdList);
      if (bad.length >= target.userIds.length) {
        throw new PermanentSendError(400, `no valid recipient: ${bad.join('|')}`, 'recipient');
      }
      if (flow.length && flow.length + bad.length >= target.userIds.length) {
        // Nobody got it: DingTalk's per-person flow control. Wait, then send this part again.
        throw new RetryLaterError(60_000, 'DingTalk flow control for every recipient');
      }
      for (const u of bad) invalid.add(u);
      await ctx.onPartSent(i + 1);
    }
    return invalid.size ? { parts: parts.length, partial: true, note: `invalid staffIds: ${[...invalid].join('|')}` } : { parts: parts.length };
  }
}

/**
 * Custom robot webhook (`POST {oapi}/robot/send?access_token=&timestamp=&sign=`), signed when the
 * robot has a 加签 secret. @-mentions by mobile or userid (also written into the text, as DingTalk
 * requires). Each part takes a slot of the robot's limit first (20 a minute), so a burst is
 * spread out; a 130101 anyway holds the robot for the 10 minutes DingTalk throttles it.
 */
export class DingtalkCustomRobotSender implements ChannelSender<'dingtalk-custom-robot'> {
  readonly channel = 'dingtalk-custom-robot' as const;

  constructor(
    private readonly oapiBase: string,
    private readonly robots: RobotCredentials,
    private readonly limits: DingtalkLimits,
    private readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async send(target: Target<'dingtalk-custom-robot'>, message: OutboundMessage, ctx: SendContext): Promise<SendOutcome> {
    const robot = await this.robots.customRobot(target.robotId);
    if (!robot) throw new PermanentSendError(0, `no DingTalk custom robot with id ${target.robotId}`, 'message');
    if (robot.broken) {
      throw new PermanentSendError(robot.broken.errcode ?? 0, `robot ${target.robotId} is marked broken (${robot.broken.reason ?? 'unknown'}); an administrator must reset it`, 'message');
    }
    const parts = planDingtalkParts(message, { userIds: target.mentionUserIds, mobiles: target.mentionMobiles });
    const key = dingtalkRobotLimitKey(target.robotId);
    for (let i = ctx.alreadySentParts; i < parts.length; i++) {
      const done = await takeSlot(this.limits, key, ctx, i);
      let url = `${this.oapiBase.replace(/\/+$/, '')}/robot/send?access_token=${encodeURIComponent(robot.accessToken)}`;
      if (robot.secret) {
        const s = signDingtalkRobotUrl(robot.secret, this.now());
        url += `&timestamp=${s.timestamp}&sign=${s.sign}`;
      }
      const r = await postJson(url, webhookBody(parts[i]), this.timeoutMs).finally(done);
      const c = classifyWebhook(r.status, r.body);
      if (!c.ok) {
        await throttled(this.limits, key, c.error);
        throw c.error;
      }
      await ctx.onPartSent(i + 1);
    }
    return { parts: parts.length };
  }
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && !!x) : [];
}
