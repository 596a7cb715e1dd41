import { escapeMarkdownText } from './markdown-escape';

describe('escapeMarkdownText', () => {
  it.each([
    ['[点我](http://evil.example/x)', '［点我］(http：//evil.example/x)'],
    ['![图](http://evil.example/a.png)', '！［图］(http：//evil.example/a.png)'],
    ['<@all> 请注意', '＜@all＞ 请注意'],
    ['<font color="warning">假通知</font>', '＜font color="warning"＞假通知＜/font＞'],
    ['# 标题\n> 引用', '＃ 标题\n＞ 引用'],
    ['`code`', '｀code｀'],
    ['a | b', 'a ｜ b'],
  ])('%j becomes inert', (input, out) => {
    const escaped = escapeMarkdownText(input);
    expect(escaped).toBe(out);
    expect(escaped).not.toMatch(/[<>[\]`]|:\/\//);
  });

  it('leaves ordinary Chinese text, bold and userids alone', () => {
    const s = '**湖南湘江新材料有限公司** 投资额 5亿元，联系人 wang_li-01（王经理）';
    expect(escapeMarkdownText(s)).toBe(s);
  });
});
