import type { RichMessage } from '@zs/contracts';
import { aibotParts } from '../wecom-aibot/aibot.senders';
import { renderDingtalkMarkdown, renderWecomMarkdown, renderWecomMarkdownV2, renderWecomText } from './render';

/** An official's own words as they reach a notice: a link, an image, a mention and HTML. */
const HOSTILE = '恶意公司[点我](http://evil.example) ![x](http://evil.example/a.png) <@all> <font color="warning">假</font>';
const msg: RichMessage = {
  title: `线索 ${HOSTILE}`,
  blocks: [
    { kind: 'paragraph', text: `**企业**：${HOSTILE}` },
    { kind: 'list', items: [HOSTILE] },
    { kind: 'table', columns: ['单位', '企业'], rows: [['赫山区', HOSTILE]] },
  ],
};
const LIVE_MARKUP = /\]\(|<@|<font|!\[|https?:\/\//;

describe('user text in markdown targets (regression: links and <@all> from a message were rendered)', () => {
  it('is inert in WeCom markdown, markdown_v2 and DingTalk markdown, keeping producer bold', () => {
    for (const text of [
      renderWecomMarkdown(msg).join('\n'),
      renderWecomMarkdownV2(msg).join('\n'),
      renderDingtalkMarkdown(msg).parts.join('\n'),
    ]) {
      expect(text).not.toMatch(LIVE_MARKUP);
      expect(text).toContain('**企业**');
      expect(text).toContain('恶意公司［点我］');
    }
  });

  it('stays as typed in plain text targets', () => {
    expect(renderWecomText(msg).join('\n')).toContain('[点我](http://evil.example)');
  });

  it('is inert in the AI bot answer sent as markdown', () => {
    const [part] = aibotParts({ format: 'text', content: `已登记：${HOSTILE}` });
    expect(part).not.toMatch(LIVE_MARKUP);
    expect(part).toContain('已登记：恶意公司');
  });
});
