import { EntityManager } from 'typeorm';
import { InboundChatMessage, NotifyTarget } from '@zs/contracts';
import { DirectoryRepository } from '@zs/persistence';

/**
 * Where a notice to a whole unit goes: its active members, on the platform the triggering
 * message came from (WeCom app messages, or the DingTalk robot's 1:1 messages). Changes made
 * through the admin API reach members with a WeCom userid.
 */
export async function unitNoticeTargets(em: EntityManager, unit: { profileKey?: string; id?: string }, via: InboundChatMessage | null): Promise<NotifyTarget[]> {
  const members = await new DirectoryRepository(em).activeMembersOfUnit(unit);
  if (via && !via.platform.startsWith('wecom')) {
    const staff = members.map((m) => m.dingtalkStaffId).filter((s): s is string => !!s);
    if (!via.botId || staff.length === 0) return [];
    const targets: NotifyTarget[] = [];
    for (let i = 0; i < staff.length; i += 20) targets.push({ channel: 'dingtalk-oto', robotCode: via.botId, userIds: staff.slice(i, i + 20) });
    return targets;
  }
  const users = members.map((m) => m.wecomUserId).filter((s): s is string => !!s).slice(0, 1000);
  return users.length ? [{ channel: 'wecom-app', userIds: users }] : [];
}
