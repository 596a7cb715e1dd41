import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { PolicyProfile, receiptLine, replyUnknownSender, replyUnsupportedMessageType, truncateUtf8, WECOM_TEXT_MAX_BYTES } from '@zs/domain';
import { InboundChatMessage, Names, NotifyRequest } from '@zs/contracts';
import { DirectoryRepository, InboundRepository } from '@zs/persistence';
import { HANDLER_PUBLISH_WITHIN_MS, JetStreamBus, LOGGER, OutboxRelay } from '@zs/platform';
import { INTAKE_SETTINGS, NAMES, POLICY } from '../tokens';
import { CommandRouter } from '../intake/command-router';
import { chatKeyOf, Decision, IntakeContext, IntakeSettings } from '../intake/intake-context';
import { EvidenceAttacher } from '../intake/evidence-attacher';
import { ScheduleChatForwarder } from '../schedule-chat/schedule-chat.forwarder';

interface ProcessedDecision extends Decision {
  senderMemberId: string | null;
  outbox: string[];
}

/**
 * Turns one accepted chat message into its effect and its answer, exactly once.
 *
 * The message id is claimed, the command routed to its handler (which registers, completes,
 * changes a stage... and opens or closes the member's conversation), ledger events written to
 * the outbox, and the answer stored, all in one transaction. The answer and the outbox entries
 * are published after commit with deterministic ids, so a crash anywhere leads to a redelivery
 * that re-publishes the same answer (deduplicated downstream) and never applies twice; events a
 * crash left unpublished are swept by the outbox relay.
 */
@Injectable()
export class InboundMessageProcessor {
  constructor(
    private readonly ds: DataSource,
    private readonly bus: JetStreamBus,
    private readonly router: CommandRouter,
    private readonly relay: OutboxRelay,
    private readonly evidence: EvidenceAttacher,
    private readonly scheduleChat: ScheduleChatForwarder,
    @Inject(POLICY) private readonly policy: PolicyProfile,
    @Inject(INTAKE_SETTINGS) private readonly settings: IntakeSettings,
    @Inject(NAMES) private readonly names: Names,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async process(msg: InboundChatMessage): Promise<void> {
    const decision = await this.ds.transaction(async (em) => {
      const ledger = new InboundRepository(em);
      const serial = await ledger.claim({
        platform: msg.platform,
        msgId: msg.msgId,
        senderId: msg.senderId,
        chatType: msg.chatType,
        chatId: msg.chatId ?? null,
        msgType: msg.msgType,
        text: msg.text,
        platformCreatedAt: new Date(msg.createdAt),
        receivedAt: new Date(msg.receivedAt),
      });
      if (!serial) return this.replayEarlierDecision(ledger, msg);
      const outbox: string[] = [];
      const d = await this.decide(em, msg, outbox);
      const replyText = withReceipt(d.replyText, receiptLine(serial, msg.receivedAt, this.policy.timezone));
      await ledger.complete(msg.platform, msg.msgId, {
        senderMemberId: d.senderMemberId,
        outcome: d.outcome,
        leadId: d.leadId,
        replyFormat: 'text',
        replyText,
      });
      return { ...d, replyText, outbox };
    });
    await this.publishAfterCommit(msg, decision);
  }

  private async replayEarlierDecision(ledger: InboundRepository, msg: InboundChatMessage): Promise<ProcessedDecision | null> {
    const prior = await ledger.findProcessed(msg.platform, msg.msgId);
    if (!prior || !prior.replyText) return null;
    this.logger.info({ platform: msg.platform, msgId: msg.msgId }, 'redelivered message already processed; re-publishing its answer');
    return { outcome: prior.outcome, senderMemberId: null, leadId: prior.leadId, replyText: prior.replyText, outbox: [] };
  }

  private async decide(em: IntakeContext['em'], msg: InboundChatMessage, outbox: string[]): Promise<Omit<ProcessedDecision, 'outbox'>> {
    const family = msg.platform.startsWith('wecom') ? 'wecom' : 'dingtalk';
    const member = await new DirectoryRepository(em).findMemberByChatIdentity(family, msg.senderId);
    if (!member) {
      // Kept in inbound_messages with this outcome for an administrator (GET /api/inbox).
      return { outcome: 'unknown-sender', senderMemberId: null, leadId: null, replyText: replyUnknownSender() };
    }
    const ctx: IntakeContext = { em, msg, member, policy: this.policy, settings: this.settings, chatKey: chatKeyOf(msg), outbox };
    if (msg.msgType !== 'text') {
      const attached = await this.evidence.attach(ctx);
      if (attached) return { ...attached, senderMemberId: member.id };
      return { outcome: 'ignored', senderMemberId: member.id, leadId: null, replyText: replyUnsupportedMessageType() };
    }
    // The rhythm's commands (日程, 暂停, 恢复, 改期, 外出招商) belong to the scheduler, which owns schedules and trips.
    if (this.scheduleChat.handles(msg.text)) {
      return { outcome: 'schedule-command', senderMemberId: member.id, leadId: null, replyText: await this.scheduleChat.answer(msg.text, member) };
    }
    const d = await this.router.route(ctx, this.router.parse(msg.text));
    return { ...d, senderMemberId: member.id };
  }

  private async publishAfterCommit(msg: InboundChatMessage, d: ProcessedDecision | null): Promise<void> {
    if (!d) return;
    const reply: NotifyRequest = {
      dedupKey: `reply:${msg.platform}:${msg.msgId}`,
      target: msg.replyTo,
      fallback: msg.replyFallback,
      format: 'text',
      content: d.replyText,
      requestedAt: Date.now(),
    };
    // Retried while the notify stream's leader is being elected (a NATS node lost): see HANDLER_PUBLISH_WITHIN_MS.
    await Promise.all([
      this.bus.publish(this.names.subjects.notifySend, reply, reply.dedupKey, { withinMs: HANDLER_PUBLISH_WITHIN_MS }),
      this.relay.publishIds(d.outbox),
    ]);
  }
}

/** The answer with its receipt line, within one WeCom text message. */
function withReceipt(text: string, receipt: string): string {
  return `${truncateUtf8(text, WECOM_TEXT_MAX_BYTES - Buffer.byteLength(receipt, 'utf8') - 1)}\n${receipt}`;
}
