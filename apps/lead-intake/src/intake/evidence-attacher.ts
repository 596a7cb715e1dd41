import { Inject, Injectable } from '@nestjs/common';
import { LedgerRepository } from '@zs/persistence';
import { finish } from '@zs/domain';
import { INTAKE_SETTINGS } from '../tokens';
import { Decision, IntakeContext, IntakeSettings } from './intake-context';

/**
 * An image or file sent right after a stage message (same member, within the configured window)
 * is evidence of that change: recorded by reference (platform, media id, bot) in the decision's
 * transaction; the notification service fetches the bytes through the platform's media API in a
 * retried job and stores them (lead_evidence_files), served by GET /api/leads/{number}/evidence/{id}.
 */
@Injectable()
export class EvidenceAttacher {
  constructor(@Inject(INTAKE_SETTINGS) private readonly settings: IntakeSettings) {}

  async attach(ctx: IntakeContext): Promise<Decision | null> {
    const media = ctx.msg.media;
    if (!media) return null;
    const ledger = new LedgerRepository(ctx.em);
    const change = await ledger.latestStageChangeBy(ctx.member.id, this.settings.evidenceWindowMinutes);
    if (!change) return null;
    await ledger.addEvidence({
      leadId: change.leadId,
      stageChangeId: change.id,
      platform: ctx.msg.platform,
      msgType: ctx.msg.msgType,
      mediaId: media.mediaId,
      fileName: media.fileName ?? null,
      memberId: ctx.member.id,
      msgId: ctx.msg.msgId,
      botId: ctx.msg.botId ?? null,
    });
    return { outcome: 'evidence', leadId: change.leadId, replyText: finish([`已将该${ctx.msg.msgType === 'image' ? '图片' : '文件'}作为佐证材料附在线索 ${change.code} 的最新进展下。`]) };
  }
}
