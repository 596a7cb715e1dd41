import { findAmountInText, readAmount } from './amount-reading';
import { findCompanyInText } from './free-text';
import { LEAD_REPORT_FIELD_NAMES, missingReportFields, readCompletionReply, readLeadReport } from './lead-report';
import { findPhone } from './phone-reading';
import { findLabels } from './report-labels';
import { cleanReportText, splitByLabels } from './report-text';

const RATE = { usdToCnyRate: 7.1 };

describe('readCompletionReply', () => {
  it('takes a bare reply as the single asked free-text field', () => {
    const r = readCompletionReply('新能源汽车零部件', ['industry'], RATE);
    expect(r.industry).toBe('新能源汽车零部件');
    expect(r.labelled).toBe(true);
    expect(missingReportFields(r)).toEqual(['company', 'amount', 'contact', 'content']);
  });

  it('takes a bare reply as the content when only the content was asked', () => {
    const r = readCompletionReply('年产10万台电机，二期建研发中心', ['content'], RATE);
    expect(r.content).toBe('年产10万台电机，二期建研发中心');
    expect(r.industry).toBeNull();
  });

  it('does not take a figure as the industry', () => {
    const r = readCompletionReply('3亿', ['industry'], RATE);
    expect(r.industry).toBeNull();
    expect(r.amount?.amountWanCny).toBe(30000);
  });

  it('does not take a placeholder as the value', () => {
    expect(readCompletionReply('待定', ['industry'], RATE).industry).toBeNull();
  });

  it('accepts unlabelled values that were asked for without a confirmation', () => {
    const r = readCompletionReply('3亿 李总 13800002222', ['amount', 'contact'], RATE);
    expect(r.amount?.amountWanCny).toBe(30000);
    expect(r.contactName).toBe('李总');
    expect(r.contactPhone).toBe('13800002222');
    expect(r.labelled).toBe(true);
    expect(r.inferredFields).toEqual([]);
  });

  it('still asks to confirm a company understood from a sentence that was not asked for', () => {
    const r = readCompletionReply('对接了湖南星河新材料有限公司，投资3亿', ['amount'], RATE);
    expect(r.labelled).toBe(false);
    expect(r.inferredFields).toEqual(['company']);
  });

  it('reads labelled values as usual', () => {
    const r = readCompletionReply('投资额3亿 联系人李总 13800002222', ['amount', 'contact', 'industry'], RATE);
    expect(r.amount?.amountWanCny).toBe(30000);
    expect(r.contactName).toBe('李总');
    expect(r.industry).toBeNull();
  });
});

describe('missingReportFields', () => {
  it('asks for the company first and names every field in Chinese', () => {
    const r = readLeadReport('投资额：3亿', RATE);
    const missing = missingReportFields(r);
    expect(missing).toEqual(['company', 'industry', 'contact', 'content']);
    expect(missing.map((f) => LEAD_REPORT_FIELD_NAMES[f])).toEqual(['企业名称', '行业', '联系人及电话', '项目内容']);
  });

  it('counts a phone alone as a contact', () => {
    expect(missingReportFields(readLeadReport('电话：13800002222', RATE))).not.toContain('contact');
  });
});

describe('readAmount', () => {
  it('keeps what was typed', () => {
    const r = readAmount('约 2亿元 ', 7.1);
    expect(r).toEqual({
      kind: 'amount',
      reading: { amountWanCny: 20000, minWan: 20000, maxWan: 20000, currency: 'CNY', approximate: true, original: '约 2亿元' },
    });
  });

  it('orders a reversed range', () => {
    const r = readAmount('2-1亿', 7.1);
    expect(r.kind === 'amount' && [r.reading.minWan, r.reading.maxWan]).toEqual([10000, 20000]);
  });

  it('refuses a range mixing currencies', () => {
    expect(readAmount('1亿元-2亿美元', 7.1).kind).toBe('problem');
  });
});

describe('findAmountInText', () => {
  it.each([
    ['拟在我县投资3亿元建设小家电生产基地', '3亿元'],
    ['一期投资2亿，二期3亿', '2亿'],
    ['年产5万吨，投资8000万', '8000万'],
    ['占地1万平方米，投资1亿元', '1亿元'],
    ['注册资本5000万元，计划投资2亿元', '2亿元'],
  ])('%s → %s', (text, found) => {
    const a = findAmountInText(text, 7.1);
    expect(a && text.slice(a.index, a.index + a.length)).toBe(found);
  });

  it.each([['电话13800002222'], ['3号楼5层'], ['租金5000元每月'], ['营收3亿元'], ['建设一期工程']])('%s has no investment', (text) => {
    expect(findAmountInText(text, 7.1)).toBeNull();
  });
});

describe('findPhone', () => {
  it.each([
    ['王经理 13912345678', '13912345678', 'mobile'],
    ['+86 139 1234 5678', '13912345678', 'mobile'],
    ['0086-13912345678', '13912345678', 'mobile'],
    ['0731-84561234', '0731-84561234', 'landline'],
    ['0852-1234567', '0852-1234567', 'landline'],
    ['+852 6123 4567', '+852 6123 4567', 'hongkong'],
    ['1391234567', '1391234567', 'odd'],
  ])('%s → %s (%s)', (text, phone, kind) => {
    expect(findPhone(text)).toMatchObject({ phone, kind });
  });

  it('prefers a mobile to a landline written first', () => {
    expect(findPhone('0731-84561234 13912345678')?.phone).toBe('13912345678');
  });

  it('does not invent a number from a short figure', () => {
    expect(findPhone('3亿 2026年')).toBeNull();
  });
});

describe('findLabels', () => {
  const fields = (t: string) => findLabels(t).map((l) => `${l.field}${l.colon ? ':' : ''}`);

  it('finds labels with and without colons', () => {
    expect(fields('企业：A公司 投资额3亿 联系人李总')).toEqual(['company:', 'amount', 'contact']);
  });

  it('needs a value that fits a glued label', () => {
    expect(fields('投资额未定 电话李总')).toEqual([]);
  });

  it('does not read a label inside a word', () => {
    expect(fields('拟在我县投资3亿元')).toEqual([]);
  });

  it('keeps prose after a comma inside the content', () => {
    expect(fields('内容：建设厂房，投资5亿元用于购置设备，联系人不变')).toEqual(['content:']);
    expect(fields('内容：建设厂房\n投资5亿元')).toEqual(['content:', 'amount']);
  });

  it('reads glued company, industry and content only after a space, a newline or a semicolon', () => {
    expect(fields('签约，企业星河有限公司，行业新能源')).toEqual([]);
    expect(fields('企业星河有限公司；行业新能源')).toEqual(['company', 'industry']);
  });
});

describe('findCompanyInText', () => {
  it.each([
    ['今天对接了佛山市顺德区美雅家电有限公司，', '佛山市顺德区美雅家电有限公司'],
    ['拜访北京星河律师事务所（特殊普通合伙）', '北京星河律师事务所（特殊普通合伙）'],
    ['对接深圳星河创业投资合伙企业（有限合伙）', '深圳星河创业投资合伙企业（有限合伙）'],
    ['星河集团准备投资', '星河集团'],
    ['走访了星河股份有限公司长沙分公司', '星河股份有限公司长沙分公司'],
  ])('%s → %s', (text, name) => {
    expect(findCompanyInText(text)?.value).toBe(name);
  });

  it.each([['我公司'], ['该公司计划'], ['一家公司'], ['总公司同意']])('%s is not a company', (text) => {
    expect(findCompanyInText(text)).toBeNull();
  });
});

describe('cleanReportText', () => {
  it('drops what is not text and keeps lines', () => {
    const warnings: string[] = [];
    expect(cleanReportText('\u202E企业：<b>星河</b>\u0000有限公司\r\n投资额：５亿&amp;', warnings)).toBe('企业： 星河  有限公司\n投资额：5亿&');
    expect(warnings).toEqual([]);
  });

  it('reads at most 4,000 characters, counting an emoji as one', () => {
    const warnings: string[] = [];
    expect(Array.from(cleanReportText('😀'.repeat(4001), warnings))).toHaveLength(4000);
    expect(warnings).toHaveLength(1);
  });
});

describe('splitByLabels', () => {
  it('gives each label its value and keeps the rest in order', () => {
    expect(splitByLabels('今天对接了一家企业\n企业：星河有限公司，很有意向\n投资额：5亿\n王强 13900001111')).toEqual({
      raw: { company: '星河有限公司', amount: '5亿' },
      leftovers: ['今天对接了一家企业\n', '，很有意向\n', '\n王强 13900001111'],
      labelCount: 2,
    });
  });

  it('lets a later value of a label replace an earlier one, but not an empty or placeholder one', () => {
    expect(splitByLabels('行业：新能源\n行业：储能\n行业：待定\n行业：').raw).toEqual({ industry: '储能' });
  });
});
