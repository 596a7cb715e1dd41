import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import {
  classifyTier,
  parseChatCommand,
  parseLeadFields,
  PolicyProfile,
  replyAlreadyRegistered,
  replyHelp,
  replyInvalidLead,
  replyLeadRegistered,
  replyUnknownCommand,
  replyUnknownSender,
  replyUnsupportedMessageType,
} from '@zs/domain';
import { InboundChatMessage, LeadRegisteredEvent, Names, NotifyRequest } from '@zs/contracts';
import { DirectoryRepository, InboundOutcome, InboundRepository, LeadRepository, MemberRow } from '@zs/persistence';
import { JetStreamBus, LOGGER } from '@zs/platform';
import { NAMES, POLICY } from '../tokens';
import { ScheduleChatForwarder } from '../schedule-chat/schedule-chat.forwarder';

interface Decision {
  outcome: InboundOutcome;
  senderMemberId: string | null;
  leadId: string | null;
  replyText: string;
  registered?: LeadRegisteredEvent;
}

/**
 * Turns one accepted chat message into its effect and its answer, exactly once.
 *
 * The message id is claimed, the effect applied (a lead registered) and the answer stored
 * in one transaction. The answer and events are published after commit with
 * deterministic ids, so a crash anywhere leads to a redelivery that re-publishes the same
 * answer (deduplicated downstream) and never registers twice.
 */
@Injectable()
export class InboundMessageProcessor {
  constructor(
    private readonly ds: DataSource,
    private readonly bus: JetStreamBus,
    @Inject(POLICY) private readonly policy: PolicyProfile,
    @Inject(NAMES) private readonly names: Names,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly scheduleChat: ScheduleChatForwarder,
  ) {}

  async process(msg: InboundChatMessage): Promise<void> {
    const decision = await this.ds.transaction(async (em) => {
      const ledger = new InboundRepository(em);
      const claimed = await ledger.claim({
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
      if (!claimed) return this.replayEarlierDecision(ledger, msg);
      const d = await this.decide(em, msg);
      await ledger.complete(msg.platform, msg.msgId, {
        senderMemberId: d.senderMemberId,
        outcome: d.outcome,
        leadId: d.leadId,
        replyFormat: 'text',
        replyText: d.replyText,
      });
      return d;
    });
    await this.publishAfterCommit(msg, decision);
  }

  private async replayEarlierDecision(ledger: InboundRepository, msg: InboundChatMessage): Promise<Decision | null> {
    const prior = await ledger.findProcessed(msg.platform, msg.msgId);
    if (!prior || !prior.replyText) return null;
    this.logger.info({ platform: msg.platform, msgId: msg.msgId }, 'redelivered message already processed; re-publishing its answer');
    return { outcome: prior.outcome, senderMemberId: null, leadId: prior.leadId, replyText: prior.replyText };
  }

  private async decide(em: EntityManager, msg: InboundChatMessage): Promise<Decision> {
    const family = msg.platform.startsWith('wecom') ? 'wecom' : 'dingtalk';
    const member = await new DirectoryRepository(em).findMemberByChatIdentity(family, msg.senderId);
    if (!member) {
      // Kept in inbound_messages with this outcome for an administrator (GET /api/inbox).
      return { outcome: 'unknown-sender', senderMemberId: null, leadId: null, replyText: replyUnknownSender() };
    }
    const base = { senderMemberId: member.id, leadId: null };
    if (msg.msgType !== 'text') return { ...base, outcome: 'ignored', replyText: replyUnsupportedMessageType() };
    if (this.scheduleChat.handles(msg.text)) {
      return { ...base, outcome: 'schedule-command', replyText: await this.scheduleChat.answer(msg.text, member) };
    }
    const command = parseChatCommand(msg.text);
    switch (command.kind) {
      case 'help':
        return { ...base, outcome: 'help', replyText: replyHelp() };
      case 'unknown':
        return { ...base, outcome: 'unknown-command', replyText: replyUnknownCommand(command.text) };
      case 'submit-lead':
        return this.submitLead(em, msg, member, command.body);
    }
  }

  private async submitLead(em: EntityManager, msg: InboundChatMessage, member: MemberRow, body: string): Promise<Decision> {
    const parsed = parseLeadFields(body);
    if (!parsed.ok) {
      return {
        outcome: 'invalid',
        senderMemberId: member.id,
        leadId: null,
        replyText: replyInvalidLead({ missing: parsed.missing, problems: parsed.problems }),
      };
    }
    const draft = parsed.lead;
    const tier = classifyTier(draft.amount, this.policy.leadTiers, this.policy.usdToCnyRate);
    const leads = new LeadRepository(em);
    const result = await leads.registerFirstContact({
      cityCode: this.policy.cityCode,
      companyName: draft.companyName,
      normalizedName: draft.normalizedName,
      creditCode: draft.creditCode,
      industry: draft.industry,
      amountWan: draft.amount.amountWan,
      currency: draft.amount.currency,
      tier: tier.tier,
      tierLabel: tier.label,
      ownerUnitId: member.unitId,
      reporterMemberId: member.id,
      contactName: draft.contactName,
      contactPhone: draft.contactPhone,
      content: draft.content,
      intendedArea: draft.intendedArea,
      originRegion: draft.originRegion,
      sourcePlatform: msg.platform,
      sourceMsgId: msg.msgId,
    });
    const lead = result.lead;
    if (result.kind === 'already-registered') {
      await leads.recordDuplicateReport({
        leadId: lead.id,
        unitId: member.unitId,
        memberId: member.id,
        companyName: draft.companyName,
        platform: msg.platform,
        msgId: msg.msgId,
      });
      return {
        outcome: 'already-registered',
        senderMemberId: member.id,
        leadId: lead.id,
        // Never the first unit's contact person or phone: only who and when.
        replyText: replyAlreadyRegistered({ companyName: lead.companyName, ownerUnitName: lead.ownerUnitName, registeredAt: lead.registeredAt }),
      };
    }
    return {
      outcome: 'registered',
      senderMemberId: member.id,
      leadId: lead.id,
      replyText: replyLeadRegistered({
        code: lead.code,
        companyName: lead.companyName,
        tierLabel: lead.tierLabel,
        ownerUnitName: lead.ownerUnitName,
        amountDisplay: draft.amount.display,
      }),
      registered: {
        leadId: lead.id,
        code: lead.code,
        ownerUnitId: lead.ownerUnitId,
        tier: lead.tier,
        amountWan: lead.amountWan,
        currency: lead.currency,
        registeredAt: new Date(lead.registeredAt).getTime(),
      },
    };
  }

  private async publishAfterCommit(msg: InboundChatMessage, d: Decision | null): Promise<void> {
    if (!d) return;
    const reply: NotifyRequest = {
      dedupKey: `reply:${msg.platform}:${msg.msgId}`,
      target: msg.replyTo,
      fallback: msg.replyFallback,
      format: 'text',
      content: d.replyText,
      requestedAt: Date.now(),
    };
    const publishes = [this.bus.publish(this.names.subjects.notifySend, reply, reply.dedupKey)];
    if (d.registered) {
      publishes.push(this.bus.publish(this.names.subjects.leadRegistered, d.registered, `lead-registered:${d.registered.leadId}`));
    }
    await Promise.all(publishes);
  }
}
