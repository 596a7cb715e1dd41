import type { SchedulePreviewMessage, SchedulePreviewRecipient, SchedulePreviewView } from '@zs/contracts';
import type { AddressedItem } from './run-executor';

export const PREVIEW_MESSAGES_MAX = 20;

/**
 * Folds the addressed items of a preview into what the console shows: distinct recipients in the
 * directory's order (bounded by `limit`), distinct rendered messages with how many people each
 * reaches (most first, bounded), and the totals over everything.
 */
export function schedulePreviewOf(
  head: { scheduleId: string; name: string; kind: string; asOf: Date; heldUntil: Date | null; summary: Record<string, unknown> },
  addressed: AddressedItem[],
  robots: SchedulePreviewView['robots'],
  limit: number,
): SchedulePreviewView {
  const people = new Map<string, SchedulePreviewRecipient>();
  const messages = new Map<string, SchedulePreviewMessage & { members: Set<string> }>();
  for (const a of addressed) {
    const p = a.person;
    const known = people.get(p.memberId);
    if (known) known.items += 1;
    else {
      const channel = a.status === 'no-channel' ? null : p.wecomUserId ? 'wecom-app' : 'dingtalk-oto';
      people.set(p.memberId, { memberId: p.memberId, name: p.name, unitName: p.unitName, role: p.role, channel, items: 1 });
    }
    const key = `${a.item.title}\u0000${a.item.text}`;
    const m = messages.get(key) ?? { title: a.item.title, text: a.item.text, recipients: 0, members: new Set<string>() };
    m.members.add(p.memberId);
    m.recipients = m.members.size;
    messages.set(key, m);
  }
  const all = [...people.values()];
  const distinct = [...messages.values()].sort((x, y) => y.recipients - x.recipients).map(({ title, text, recipients }) => ({ title, text, recipients }));
  return {
    scheduleId: head.scheduleId,
    name: head.name,
    kind: head.kind,
    asOf: head.asOf.toISOString(),
    total: all.length,
    items: addressed.length,
    noChannel: all.filter((r) => r.channel === null).length,
    recipients: all.slice(0, limit),
    messages: distinct.slice(0, PREVIEW_MESSAGES_MAX),
    robots,
    truncated: all.length > limit || distinct.length > PREVIEW_MESSAGES_MAX,
    heldUntil: head.heldUntil ? head.heldUntil.toISOString() : null,
    summary: head.summary,
  };
}
