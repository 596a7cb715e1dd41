import { RichMessage } from '@zs/contracts';
import {
  appendToLast,
  hasTable,
  mentionsOutsideMarkdown,
  packChunks,
  renderDingtalkMarkdown,
  renderPlainText,
  renderWecomMarkdown,
  renderWecomMarkdownV2,
  renderWecomText,
} from './index';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** A quarterly ranking as scoring would describe it. */
const ranking: RichMessage = {
  title: '2026年第一季度招商引资考核排名',
  blocks: [
    { kind: 'paragraph', text: '各区县（市）、园区：现将**第一季度**考核结果通报如下。' },
    {
      kind: 'table',
      caption: '区县（市）排名',
      columns: ['排名', '单位', '得分', '等次'],
      rows: [
        ['1', '赫山区', '95.2', '优秀'],
        ['2', '资阳区', '91.0', '优秀'],
        ['3', '沅江市', '84.5', '良好'],
      ],
      align: ['center', 'left', 'right', 'left'],
    },
    { kind: 'paragraph', text: '得分低于60分的单位请于5个工作日内提交整改报告。', tone: 'warning' },
    { kind: 'list', items: ['签约项目以合同为准', '资金到位以银行回单为准'], ordered: true },
  ],
};

describe('the quarterly ranking on every target', () => {
  it('WeCom markdown_v2: a real table with an alignment row, bold instead of colour', () => {
    const [md] = renderWecomMarkdownV2(ranking);
    expect(md).toContain('### 2026年第一季度招商引资考核排名');
    expect(md).toContain('**区县（市）排名**\n| 排名 | 单位 | 得分 | 等次 |\n| :---: | :--- | ---: | :--- |\n| 1 | 赫山区 | 95.2 | 优秀 |');
    expect(md).toContain('| 3 | 沅江市 | 84.5 | 良好 |');
    expect(md).toContain('**得分低于60分的单位请于5个工作日内提交整改报告。**');
    expect(md).not.toContain('<font');
    expect(md).toContain('1. 签约项目以合同为准\n2. 资金到位以银行回单为准');
  });

  it('WeCom markdown: the table as a list (old markdown has no tables), warnings in colour', () => {
    const [md] = renderWecomMarkdown(ranking);
    expect(md).not.toMatch(/^\|/m);
    expect(md).toContain('**区县（市）排名**\n- **1**：单位 赫山区，得分 95.2，等次 优秀\n- **2**：单位 资阳区，得分 91.0，等次 优秀');
    expect(md).toContain('<font color="warning">得分低于60分的单位请于5个工作日内提交整改报告。</font>');
  });

  it('WeCom text: plain lines, no markup at all', () => {
    const [text] = renderWecomText(ranking);
    expect(text.split('\n')[0]).toBe('2026年第一季度招商引资考核排名');
    expect(text).toContain('现将第一季度考核结果通报如下');
    expect(text).toContain('- 3：单位 沅江市，得分 84.5，等次 良好');
    expect(text).not.toMatch(/\*\*|<font|###|\|/);
    expect(renderPlainText(ranking)).toBe(text);
  });

  it('DingTalk markdown: title, list-form table, explicit line breaks, mentions in text and in at', () => {
    const r = renderDingtalkMarkdown(ranking, { mentions: { mobiles: ['13800000001'], userIds: ['ds0101'] } });
    expect(r.title).toBe('2026年第一季度招商引资考核排名');
    expect(r.parts).toHaveLength(1);
    expect(r.parts[0]).toContain('- **1**：单位 赫山区，得分 95.2，等次 优秀');
    expect(r.parts[0].endsWith('\n\n@13800000001 @ds0101')).toBe(true);
    expect(r.at).toEqual({ atMobiles: ['13800000001'], atUserIds: ['ds0101'], isAtAll: false });
  });

  it('DingTalk: @all, and a title taken from the first paragraph when there is none', () => {
    const r = renderDingtalkMarkdown({ blocks: [{ kind: 'paragraph', text: '**紧急**：请今日报送\n第二行' }] }, { mentions: { userIds: ['@all'] } });
    expect(r.title).toBe('紧急：请今日报送');
    expect(r.parts[0]).toBe('**紧急**：请今日报送  \n第二行\n\n@所有人');
    expect(r.at.isAtAll).toBe(true);
  });

  it('knows when a message needs markdown_v2', () => {
    expect(hasTable(ranking)).toBe(true);
    expect(hasTable({ blocks: [{ kind: 'paragraph', text: 'x' }] })).toBe(false);
  });
});

describe('mentions', () => {
  it('WeCom markdown carries <@userid> at the end; @all and mobiles are left for a text part', () => {
    const parts = renderWecomMarkdown(ranking, { mentions: { userIds: ['heshan.zhangwei', '@all', 'heshan.zhangwei'], mobiles: ['13800000001'] } });
    expect(parts[parts.length - 1].endsWith('\n<@heshan.zhangwei>')).toBe(true);
    expect(parts.join('')).not.toContain('<@@all>');
    expect(mentionsOutsideMarkdown({ userIds: ['a', '@all'], mobiles: ['138'] }, false)).toEqual({ userIds: ['@all'], mobiles: ['138'] });
    expect(mentionsOutsideMarkdown({ userIds: ['a', '@all'], mobiles: ['138'] }, true)).toEqual({ userIds: ['a', '@all'], mobiles: ['138'] });
  });
});

describe('splitting by bytes', () => {
  const bigTable: RichMessage = {
    title: '全市招商项目清单',
    blocks: [
      {
        kind: 'table',
        columns: ['序号', '项目名称', '投资额（万元）', '责任单位'],
        rows: Array.from({ length: 200 }, (_, i) => [String(i + 1), `益阳市第${i + 1}号智能制造产业园建设项目`, String(10000 + i), '赫山区']),
      },
    ],
  };

  it('markdown_v2 parts stay within 4096 bytes, break between rows and repeat the table header', () => {
    const parts = renderWecomMarkdownV2(bigTable, { maxBytes: 4096 });
    expect(parts.length).toBeGreaterThan(2);
    for (const p of parts) {
      expect(bytes(p)).toBeLessThanOrEqual(4096);
      expect(p).toMatch(/\| 序号 \| 项目名称 \| 投资额（万元） \| 责任单位 \|\n\| :--- \| :--- \| :--- \| :--- \|/);
      for (const line of p.split('\n')) if (line.startsWith('|')) expect(line.endsWith('|')).toBe(true);
    }
    // Every row exactly once.
    const rows = parts.flatMap((p) => p.split('\n').filter((l) => /^\| \d+ \|/.test(l)));
    expect(rows).toHaveLength(200);
    expect(new Set(rows).size).toBe(200);
  });

  it('text parts stay within 2048 bytes and lose nothing', () => {
    const parts = renderWecomText(bigTable, { maxBytes: 2048 });
    for (const p of parts) expect(bytes(p)).toBeLessThanOrEqual(2048);
    expect(parts.join('\n')).toBe(renderWecomText(bigTable)[0]);
  });

  it('a paragraph longer than a part is cut on character boundaries, never dropped', () => {
    const long = '招商引资😀'.repeat(600); // 3*4 + 4 = 16 bytes per repeat
    const parts = renderWecomMarkdown({ blocks: [{ kind: 'paragraph', text: long }] }, { maxBytes: 4096 });
    expect(parts.length).toBe(3);
    for (const p of parts) {
      expect(bytes(p)).toBeLessThanOrEqual(4096);
      expect(p).not.toContain('\uFFFD');
    }
    expect(parts.join('')).toBe(long);
  });

  it('mentions fit in the last part, which still respects the limit', () => {
    const parts = renderWecomMarkdown(bigTable, { maxBytes: 4096, mentions: { userIds: ['heshan.zhangwei'] } });
    for (const p of parts) expect(bytes(p)).toBeLessThanOrEqual(4096);
    expect(parts[parts.length - 1].endsWith('<@heshan.zhangwei>')).toBe(true);
    expect(parts.slice(0, -1).some((p) => p.includes('<@'))).toBe(false);
  });

  it('table cells cannot break the table', () => {
    const [md] = renderWecomMarkdownV2({ blocks: [{ kind: 'table', columns: ['a|b'], rows: [['x|y\nz']] }] });
    expect(md).toBe('| a｜b |\n| :--- |\n| x｜y z |');
  });
});

describe('packChunks / appendToLast', () => {
  it('joins chunks with their separators until a part is full', () => {
    const chunks = [
      { text: 'aaaa', sep: '' },
      { text: 'bbbb', sep: '\n' },
      { text: 'cccc', sep: '\n\n' },
    ];
    expect(packChunks(chunks)).toEqual(['aaaa\nbbbb\n\ncccc']);
    expect(packChunks(chunks, 9)).toEqual(['aaaa\nbbbb', 'cccc']);
  });

  it('puts a suffix in a part of its own when the last part has no room', () => {
    expect(appendToLast(['abc'], 'xy', '\n', 6)).toEqual(['abc\nxy']);
    expect(appendToLast(['abcd'], 'xy', '\n', 6)).toEqual(['abcd', 'xy']);
    expect(appendToLast([], 'xy', '\n')).toEqual(['xy']);
  });
});
