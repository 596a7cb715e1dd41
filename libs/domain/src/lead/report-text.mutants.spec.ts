import { readLeadReport } from './lead-report';
import { cleanReportText, isPlaceholder, mask, splitByLabels, trimSeparators } from './report-text';

/**
 * Cases that kill mutations the lead-report specs let survive (found with
 * `npm run mutation -- libs/domain/src/lead/report-text.ts`): how a pasted or hostile message is
 * cleaned before it is read, and where each labelled value ends.
 */
const clean = (text: unknown) => {
  const warnings: string[] = [];
  return { text: cleanReportText(text, warnings), warnings };
};

describe('cleaning a pasted message', () => {
  it('every kind of line break becomes a newline', () => {
    expect(clean('企业：星河\r投资额：5亿\u2028行业：储能\u2029内容：电池\u0085来源：深圳').text).toBe('企业：星河\n投资额：5亿\n行业：储能\n内容：电池\n来源：深圳');
  });

  it('terminal colour codes become spaces', () => {
    expect(clean('企业：\u001b[31m星河\u001b[0m有限公司').text).toBe('企业： 星河 有限公司');
    expect(clean('行业：\u001b[?25h储能').text).toBe('行业： 储能');
  });

  it('a lone half of a surrogate pair is dropped, a whole pair (an emoji) is kept', () => {
    expect(clean('星\uD83D河\uDE00有限公司😀').text).toBe('星河有限公司😀');
  });

  it('every HTML entity officials paste becomes its character', () => {
    expect(clean('A&nbsp;B&lt;1&gt;D&amp;E&quot;F&#39;G').text).toBe('A B<1>D&E"F\'G');
    expect(clean('A&copy;B').text).toBe('A&copy;B');
  });

  it('opening and closing HTML tags become spaces; a comparison with < and > is not a tag', () => {
    expect(clean('<p>星河</p><br/>储能').text).toBe('星河  储能');
    expect(clean('产能 <1 万吨> 0').text).toBe('产能 <1 万吨> 0');
    expect(clean('a<b').text).toBe('a<b');
  });

  it('a tag-like run longer than 200 characters is left as text', () => {
    const long = `<a${'x'.repeat(201)}>`;
    expect(clean(long).text).toBe(long);
    expect(clean(`<a${'x'.repeat(200)}>星河`).text).toBe('星河');
  });

  it('exactly 4,000 characters are read without a warning; one more is cut with one', () => {
    expect(clean('字'.repeat(4000))).toEqual({ text: '字'.repeat(4000), warnings: [] });
    expect(clean('字'.repeat(4001))).toEqual({ text: '字'.repeat(4000), warnings: ['消息超过4000字，只读取了前4000字，请精简后补充'] });
  });

  it('anything but text reads as an empty message; spaces at both ends go', () => {
    expect(clean(undefined).text).toBe('');
    expect(clean(42).text).toBe('');
    expect(clean('  企业：星河 \n').text).toBe('企业：星河');
  });
});

describe('separators and placeholders', () => {
  it('separators and colons at both ends are dropped, not inside', () => {
    expect(trimSeparators(' ;；,，。、|/:：星河，储能：;；,，。、|/:： ')).toBe('星河，储能');
  });

  it.each(['待定', '未定', '暂定', '待确定', '不详', '未知', '暂无', '无', '没有', '不清楚', 'TBD', 'n/a', 'NA', '--', '—', '？', '…'])(
    '%s says "not known yet"',
    (text) => {
      expect(isPlaceholder(text)).toBe(true);
    },
  );

  it.each(['无锡', '待定项目', '暂无锡', '新能源', 'na电池', '-5亿'])('%s is a value', (text) => {
    expect(isPlaceholder(text)).toBe(false);
  });
});

describe('where a labelled value ends', () => {
  it('the content runs over lines to the next label; other values end at their line', () => {
    expect(splitByLabels('内容：建设电池工厂\n一期十条产线\n行业：储能\n年产10GWh')).toEqual({
      raw: { content: '建设电池工厂\n一期十条产线', industry: '储能' },
      leftovers: ['\n年产10GWh'],
      labelCount: 2,
    });
  });

  it('the company ends at a Chinese clause end or a comma before Chinese, not at the comma of "Co., Ltd."', () => {
    expect(splitByLabels('企业：Acme Co., Ltd.').raw).toEqual({ company: 'Acme Co., Ltd.' });
    expect(splitByLabels('企业：星河有限公司, 很有意向').raw).toEqual({ company: '星河有限公司' });
    expect(splitByLabels('企业：星河有限公司；很有意向').raw).toEqual({ company: '星河有限公司' });
    expect(splitByLabels('企业：星河有限公司。很有意向').raw).toEqual({ company: '星河有限公司' });
  });

  it('the industry ends at its clause, whichever comes first of the clause and the line', () => {
    expect(splitByLabels('行业：储能，龙头企业\n备注')).toEqual({ raw: { industry: '储能' }, leftovers: ['，龙头企业\n备注'], labelCount: 1 });
    expect(splitByLabels('行业：储能\n备注，龙头')).toEqual({ raw: { industry: '储能' }, leftovers: ['\n备注，龙头'], labelCount: 1 });
  });

  it('a company name ends with its legal form when unlabelled values follow after a space', () => {
    expect(splitByLabels('企业：星河新能源有限公司 电子信息 5亿元')).toEqual({
      raw: { company: '星河新能源有限公司' },
      leftovers: [' 电子信息 5亿元'],
      labelCount: 1,
    });
    expect(splitByLabels('企业：Acme Ltd. 储能').raw).toEqual({ company: 'Acme Ltd.' });
    expect(splitByLabels('企业：Acme GmbH 储能').raw).toEqual({ company: 'Acme GmbH' });
  });

  it('a legal form inside a name with no text after it, or at a line end, does not cut the name', () => {
    expect(splitByLabels('企业：星河集团有限公司').raw).toEqual({ company: '星河集团有限公司' });
    expect(splitByLabels('企业：星河集团 \n储能')).toEqual({ raw: { company: '星河集团' }, leftovers: ['\n储能'], labelCount: 1 });
  });

  it('the legal form cut wins only when it comes before the clause end', () => {
    expect(splitByLabels('企业：星河集团 新能源事业部，储能')).toEqual({
      raw: { company: '星河集团' },
      leftovers: [' 新能源事业部，储能'],
      labelCount: 1,
    });
    expect(splitByLabels('企业：星河，集团 储能')).toEqual({ raw: { company: '星河' }, leftovers: ['，集团 储能'], labelCount: 1 });
  });

  it('a stray separator right after the colon does not empty the value', () => {
    expect(splitByLabels('行业：，储能，龙头企业')).toEqual({ raw: { industry: '储能' }, leftovers: ['，龙头企业'], labelCount: 1 });
    expect(splitByLabels('行业：；储能\n备注')).toEqual({ raw: { industry: '储能' }, leftovers: ['\n备注'], labelCount: 1 });
    expect(splitByLabels('企业：，星河有限公司 储能')).toEqual({ raw: { company: '星河有限公司' }, leftovers: [' 储能'], labelCount: 1 });
    expect(splitByLabels('企业：，\n星河有限公司')).toEqual({ raw: { company: '星河有限公司' }, leftovers: [], labelCount: 1 });
  });

  it('the official is not asked again for an industry written after a stray comma', () => {
    expect(readLeadReport('企业：星河有限公司\n行业：，储能\n投资额：5亿元\n内容：建电池厂', { usdToCnyRate: 7.2 }).industry).toBe('储能');
  });

  it('a half-width comma before Chinese ends the company with or without spaces after it', () => {
    expect(splitByLabels('企业：星河有限公司,很有意向').raw).toEqual({ company: '星河有限公司' });
    expect(splitByLabels('企业：星河有限公司,  很有意向').raw).toEqual({ company: '星河有限公司' });
  });

  it('every legal form ends a name, with or without its dot, before one or more spaces', () => {
    expect(splitByLabels('企业：星河基金（有限合伙） 储能').raw).toEqual({ company: '星河基金（有限合伙）' });
    expect(splitByLabels('企业：Acme Ltd 储能').raw).toEqual({ company: 'Acme Ltd' });
    expect(splitByLabels('企业：Acme Inc 储能').raw).toEqual({ company: 'Acme Inc' });
    expect(splitByLabels('企业：Acme Inc. 储能').raw).toEqual({ company: 'Acme Inc.' });
    expect(splitByLabels('企业：星河有限公司  储能 5亿元').raw).toEqual({ company: '星河有限公司' });
  });

  it('only the company is cut after a legal form: a content that names a company keeps the rest', () => {
    expect(splitByLabels('内容：新建研发公司 年产10GWh电池').raw).toEqual({ content: '新建研发公司 年产10GWh电池' });
  });

  it('a message without labels is all leftovers', () => {
    expect(splitByLabels('星河有限公司 储能 5亿')).toEqual({ raw: {}, leftovers: ['星河有限公司 储能 5亿'], labelCount: 0 });
  });
});

describe('masking a span', () => {
  it('blanks exactly the span and keeps every position', () => {
    expect(mask('星河13900001111储能', { index: 2, length: 11 })).toBe('星河           储能');
  });
});
