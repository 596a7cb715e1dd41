import { EntityManager } from 'typeorm';
import { InboundChatMessage, NotifyRequest } from '@zs/contracts';
import { PolicyProfile } from '@zs/domain';
import { InboundOutcome, MemberRow } from '@zs/persistence';

/** Who makes a change: a member by chat, or an administrator through the API. */
export type Actor = { kind: 'member'; member: MemberRow } | { kind: 'admin'; name: string };

export function actorLabel(a: Actor): string {
  return a.kind === 'member' ? `member:${a.member.id}:${a.member.name}` : `admin:${a.name}`;
}

export interface IntakeSettings {
  /** How long a pending conversation (the rest of a lead, a 确认) waits, in seconds. */
  conversationTtlSeconds: number;
  /** pg_trgm similarity from which a registered company counts as a possible duplicate. */
  similarityThreshold: number;
  /** Minutes after a stage message within which an image or file is attached to it as evidence. */
  evidenceWindowMinutes: number;
}

/** One chat message being decided, inside its transaction. */
export interface IntakeContext {
  em: EntityManager;
  msg: InboundChatMessage;
  member: MemberRow;
  policy: PolicyProfile;
  settings: IntakeSettings;
  /** The member's conversation key in this chat: one pending conversation per member and chat. */
  chatKey: string;
  /** Outbox ids written by this decision, published right after commit. */
  outbox: string[];
}

export interface Decision {
  outcome: InboundOutcome;
  leadId: string | null;
  replyText: string;
}

export function chatKeyOf(msg: InboundChatMessage): string {
  const family = msg.platform.startsWith('wecom') ? 'wecom' : 'dingtalk';
  return `${family}:${msg.chatType}:${msg.chatType === 'group' ? msg.chatId ?? '-' : 'direct'}`;
}

export const LEDGER_OUTBOX_SUBJECTS = ['leadRegistered', 'leadStageChanged', 'leadTransferred', 'leadUpdated', 'notifySend'] as const;
export type OutboxSubject = (typeof LEDGER_OUTBOX_SUBJECTS)[number];

export type NoticeTargets = NotifyRequest['target'][];
