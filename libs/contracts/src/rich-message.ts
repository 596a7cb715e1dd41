import { z } from 'zod';

/**
 * A platform-neutral message: a title, paragraphs, lists and tables. The notification
 * service renders it for each target (WeCom markdown, WeCom markdown_v2 with tables,
 * WeCom text, DingTalk markdown), so a producer such as scoring describes a quarterly
 * ranking once and it reads well wherever it goes.
 *
 * Paragraph and list text may use `**bold**`; everything else is plain text.
 */
export const RichBlock = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('paragraph'),
    text: z.string().min(1).max(20000),
    /** `warning` is shown in orange where the target has colours, in bold elsewhere. */
    tone: z.enum(['normal', 'info', 'comment', 'warning']).optional(),
  }),
  z.object({
    kind: z.literal('list'),
    items: z.array(z.string().min(1).max(2000)).min(1).max(500),
    ordered: z.boolean().optional(),
  }),
  z.object({
    kind: z.literal('table'),
    caption: z.string().max(200).optional(),
    columns: z.array(z.string().max(100)).min(1).max(20),
    rows: z.array(z.array(z.string().max(500)).max(20)).max(1000),
    align: z.array(z.enum(['left', 'center', 'right'])).max(20).optional(),
  }),
]);
export type RichBlock = z.infer<typeof RichBlock>;

export const RichMessage = z.object({
  title: z.string().max(100).optional(),
  blocks: z.array(RichBlock).min(1).max(200),
});
export type RichMessage = z.infer<typeof RichMessage>;

/** Who to @-mention; comes from the target (`mentionUserIds`, `mentionMobiles`). `'@all'` in userIds means everyone. */
export interface Mentions {
  userIds?: string[];
  mobiles?: string[];
}
