import { RichMessage } from '@zs/contracts';
import { normaliseWebhookKey } from '../robots/robots.rpc';
import { channelKeyOf, chinaDay, reasonFor } from '../robots/broken-channels';
import { MENTION_TEXT, planRobotParts, robotBody, WECOM_ROBOT_MARKDOWN_MAX_BYTES, WECOM_ROBOT_TEXT_MAX_BYTES } from './wecom-group-robot.sender';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const table: RichMessage = {
  title: '季度排名',
  blocks: [{ kind: 'table', columns: ['排名', '单位'], rows: [['1', '赫山区']] }],
};

describe('planRobotParts: what goes to a WeCom group robot', () => {
  it('text: split at 2048 bytes, mentions (userids, mobiles, @all) on the last part', () => {
    const content = '招'.repeat(1500); // 4500 bytes
    const parts = planRobotParts({ mentionUserIds: ['a', '@all'], mentionMobiles: ['13800000001'] }, { format: 'text', content });
    expect(parts).toHaveLength(3);
    for (const p of parts) expect(bytes(p.content)).toBeLessThanOrEqual(WECOM_ROBOT_TEXT_MAX_BYTES);
    expect(parts.map((p) => p.content).join('')).toBe(content);
    expect(parts[0].mentioned_list).toBeUndefined();
    expect(parts[2]).toMatchObject({ msgtype: 'text', mentioned_list: ['a', '@all'], mentioned_mobile_list: ['13800000001'] });
    expect(robotBody(parts[2])).toEqual({
      msgtype: 'text',
      text: { content: parts[2].content, mentioned_list: ['a', '@all'], mentioned_mobile_list: ['13800000001'] },
    });
  });

  it('markdown: split at 4096 bytes, <@userid> inline at the end, @all and mobiles in a text after it', () => {
    const content = Array.from({ length: 300 }, (_, i) => `- 第${i}项：项目进展正常`).join('\n');
    const parts = planRobotParts({ mentionUserIds: ['zhang', '@all'], mentionMobiles: ['13800000001'] }, { format: 'markdown', content });
    const md = parts.filter((p) => p.msgtype === 'markdown');
    expect(md.length).toBeGreaterThan(1);
    for (const p of md) expect(bytes(p.content)).toBeLessThanOrEqual(WECOM_ROBOT_MARKDOWN_MAX_BYTES);
    expect(md[md.length - 1].content.endsWith('\n<@zhang>')).toBe(true);
    expect(md.map((p) => p.content).join('')).toBe(`${content}\n<@zhang>`);
    expect(parts[parts.length - 1]).toEqual({ msgtype: 'text', content: MENTION_TEXT, mentioned_list: ['@all'], mentioned_mobile_list: ['13800000001'] });
  });

  it('markdown without mentions is just the content', () => {
    expect(planRobotParts({}, { format: 'markdown', content: '**通知**' })).toEqual([{ msgtype: 'markdown', content: '**通知**' }]);
  });

  it('a rich message with a table goes as markdown_v2, every mention in a text after it', () => {
    const parts = planRobotParts({ mentionUserIds: ['zhang'] }, { format: 'markdown', content: 'fallback', rich: table });
    expect(parts[0].msgtype).toBe('markdown_v2');
    expect(parts[0].content).toContain('| 1 | 赫山区 |');
    expect(parts[1]).toMatchObject({ msgtype: 'text', mentioned_list: ['zhang'] });
  });

  it('tables as lists when configured (old clients), and as plain text for text messages', () => {
    const list = planRobotParts({}, { format: 'markdown', content: 'fallback', rich: table }, 'list');
    expect(list).toEqual([{ msgtype: 'markdown', content: '### 季度排名\n\n- **1**：单位 赫山区' }]);
    const text = planRobotParts({}, { format: 'text', content: 'fallback', rich: table });
    expect(text).toEqual([{ msgtype: 'text', content: '季度排名\n\n- 1：单位 赫山区' }]);
  });

  it('is deterministic, so a retry resumes on the same parts', () => {
    const msg = { format: 'markdown' as const, content: '长'.repeat(5000) };
    expect(planRobotParts({ mentionUserIds: ['x'] }, msg)).toEqual(planRobotParts({ mentionUserIds: ['x'] }, msg));
  });
});

describe('robot registry helpers', () => {
  it('takes the key out of a pasted webhook URL, and refuses anything that is not a key', () => {
    expect(normaliseWebhookKey('wecom', ' 693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa ')).toBe('693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa');
    expect(normaliseWebhookKey('wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcdefgh-1234')).toBe('abcdefgh-1234');
    expect(normaliseWebhookKey('dingtalk', 'https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef')).toBe('0123456789abcdef');
    expect(() => normaliseWebhookKey('dingtalk', 'https://oapi.dingtalk.com/robot/send?key=0123456789abcdef')).toThrow(/access_token/);
    expect(() => normaliseWebhookKey('wecom', 'short')).toThrow();
    expect(() => normaliseWebhookKey('wecom', 'has space in it')).toThrow();
  });

  it('names channels and causes for administrators', () => {
    expect(channelKeyOf({ channel: 'wecom-group-robot', robotId: '7' })).toBe('robot:7');
    expect(channelKeyOf({ channel: 'wecom-app', userIds: ['a'] })).toBe('wecom-app');
    expect(channelKeyOf({ channel: 'dingtalk-oto', robotCode: 'ding1', userIds: ['a'] })).toBe('dingtalk-app:ding1');
    expect(reasonFor(93000, 'invalid webhook url')).toContain('Webhook 地址无效');
    expect(reasonFor(12345, 'something odd, hint: [abc]')).toBe('平台返回错误：something odd');
    expect(chinaDay(Date.UTC(2026, 0, 1, 16, 30))).toBe('2026-01-02'); // 00:30 in Beijing
  });
});
