import {
  describedProject,
  findCompanyInText,
  findContactBeforePhone,
  findContentInText,
  findCreditCodeInText,
  findTitledPerson,
  isBareCompanyLine,
} from './free-text';

/** Cases that kill mutations the other specs let survive (found with `npm run mutation`). */
describe('findCompanyInText: where the name starts', () => {
  const span = (text: string) => {
    const s = findCompanyInText(text);
    return s && [s.value, s.index, s.length];
  };

  it('cuts after the last verb of contact and reports the position in the text', () => {
    expect(span('今天对接了佛山市顺德区美雅家电有限公司，')).toEqual(['佛山市顺德区美雅家电有限公司', 5, 14]);
    expect(span('陪同客商拜访了星河科技有限公司')).toEqual(['星河科技有限公司', 7, 8]);
  });

  it('strips leading time and subject words, and a particle only after them', () => {
    expect(span('今天和星河科技有限公司签约')).toEqual(['星河科技有限公司', 3, 8]);
    expect(span('我们今天同星河科技有限公司签约')).toEqual(['星河科技有限公司', 5, 8]);
    expect(span('和记黄埔有限公司来访')).toEqual(['和记黄埔有限公司', 0, 8]);
    expect(span('同方股份有限公司来访')).toEqual(['同方股份有限公司', 0, 8]);
  });

  it('drops an opening bracket without a closing one, keeps a bracketed remark', () => {
    expect(span('（星河科技有限公司')).toEqual(['星河科技有限公司', 1, 8]);
    expect(span('((星河科技有限公司')).toEqual(['星河科技有限公司', 2, 8]);
    expect(span('（中国）星河科技有限公司')).toEqual(['（中国）星河科技有限公司', 0, 12]);
  });

  it('starts at a place name after a phrase, unless the name already starts with a place', () => {
    expect(span('招商小组到深圳市星河科技有限公司')).toEqual(['深圳市星河科技有限公司', 5, 11]);
    expect(span('深圳市的星河科技有限公司')).toEqual(['深圳市的星河科技有限公司', 0, 12]);
  });

  it('skips what is not a company and reads the next match', () => {
    expect(span('那家公司与星河科技有限公司合作')).toEqual(['星河科技有限公司', 5, 8]);
    expect(findCompanyInText('拜访了美集团')).toBeNull();
    expect(span('拜访了美美集团')).toEqual(['美美集团', 3, 4]);
  });

  it.each([['那家公司'], ['某家公司'], ['其有限公司'], ['有限公司'], ['贵有限公司'], ['母股份有限公司'], ['总有限责任公司']])(
    '%s is not a company',
    (text) => {
      expect(findCompanyInText(text)).toBeNull();
    },
  );

  it('does not carry a position over from an earlier call', () => {
    expect(findCompanyInText('今天对接了佛山市顺德区美雅家电有限公司，联系人冯总')?.value).toBe('佛山市顺德区美雅家电有限公司');
    expect(findCompanyInText('星河集团')?.value).toBe('星河集团');
  });
});

describe('isBareCompanyLine', () => {
  it.each([
    ['星河科技有限公司', true],
    [' ，星河科技有限公司。 ', true],
    ['|星河科技有限公司/', true],
    ['：星河科技有限公司；', true],
    ['星河科技有限公司 投资1亿', false],
    ['企业 星河科技有限公司', false],
  ])('%j → %s', (line, bare) => {
    expect(isBareCompanyLine(line, '星河科技有限公司')).toBe(bare);
  });
});

describe('findContactBeforePhone', () => {
  it.each<[string, string | null]>([
    ['联系人冯总 ', '冯总'],
    ['李女士：', '李女士'],
    ['对接人王经理（', '王经理'],
    ['张三 ', '张三'],
    ['张三', null],
    ['欧阳小明 ', null],
    ['联系人张三，', '张三'],
    ['手机张三:', '张三'],
    ['企业很好，联系人冯总,', '冯总'],
    ['我们|冯总 ', '冯总'],
    ['投资额1亿；张三 ', '张三'],
    ['', null],
  ])('%j → %j', (before, name) => {
    expect(findContactBeforePhone(before)).toBe(name);
  });
});

describe('findTitledPerson', () => {
  it.each<[string, string | null]>([
    ['对接的是：冯总，', '冯总'],
    ['冯总', '冯总'],
    ['联系王经理', null],
    ['王 经理', null],
    ['欧阳总经理来访', null],
    [' 欧阳总经理 ', '欧阳总经理'],
    ['冯总来访', null],
  ])('%j → %j', (text, name) => {
    expect(findTitledPerson(text)).toBe(name);
  });
});

describe('findContentInText', () => {
  it('takes the description after the amount in its clause', () => {
    const t = '今天对接了星河科技有限公司，拟在我县投资3亿元建设小家电生产基地，联系人冯总';
    const end = t.indexOf('元') + 1;
    expect(findContentInText(t, end, findCompanyInText(t))).toBe('建设小家电生产基地');
  });

  it('takes the next clause when nothing follows the amount', () => {
    const t = '星河科技有限公司投资20亿，做铜箔，很快';
    expect(findContentInText(t, t.indexOf('亿') + 1, null)).toBe('做铜箔');
  });

  it('does not take a next clause that is not a description', () => {
    const t = '星河投资20亿，很快落地项目';
    expect(findContentInText(t, t.indexOf('亿') + 1, null)).toBe('很快落地项目');
  });

  it('falls back to the clause naming a project, after the company name', () => {
    const t = '对接了星河物流有限公司，计划上马冷链项目';
    expect(findContentInText(t, -1, findCompanyInText(t))).toBe('计划上马冷链项目');
    const u = '星河科技有限公司冷链物流基地';
    expect(findContentInText(u, -1, findCompanyInText(u))).toBe('冷链物流基地');
  });

  it('does not take a contact clause or the company alone', () => {
    const t = '星河研发有限公司，联系人研发部冯总';
    expect(findContentInText(t, -1, findCompanyInText(t))).toBeNull();
  });

  it('an amount at the end of the last clause has no next clause', () => {
    const t = '星河科技有限公司拟投资3亿';
    expect(findContentInText(t, t.length, null)).toBeNull();
  });

  it('words after the amount that do not describe fall back to the project clause', () => {
    const t = '星河投资3亿元左右，建设基地';
    expect(findContentInText(t, t.indexOf('元') + 1, null)).toBe('建设基地');
  });
});

describe('describedProject', () => {
  it.each<[string, string | null]>([
    ['，建设选矿厂。另外', '建设选矿厂'],
    [' 用于建设厂房；其余', '用于建设厂房'],
    ['左右', null],
    ['', null],
    ['在长沙市建设总部!', '在长沙市建设总部'],
  ])('%j → %j', (rest, content) => {
    expect(describedProject(rest)).toBe(content);
  });
});

describe('findCreditCodeInText', () => {
  it('finds an 18-character code and its position, full-width read one for one', () => {
    expect(findCreditCodeInText('代码 91440300MA5XXXXX0X 已核')).toEqual({ value: '91440300MA5XXXXX0X', index: 3, length: 18 });
    expect(findCreditCodeInText('代码９１440300MA5XXXXX0X')).toEqual({ value: '91440300MA5XXXXX0X', index: 2, length: 18 });
    expect(findCreditCodeInText('191440300MA5XXXXX0X')).toBeNull();
    expect(findCreditCodeInText('91440300MA5XXXXX0XY')).toBeNull();
    expect(findCreditCodeInText('9144A300MA5XXXXX0X')).toBeNull();
  });
});

describe('free-text: anchors and boundaries', () => {
  it('keeps a name that starts with a place whole, even with a place after a particle', () => {
    expect(findCompanyInText('广州市和深圳投资有限公司')?.value).toBe('广州市和深圳投资有限公司');
  });

  it('strips fillers and particles only at the start, brackets only when they open the name', () => {
    expect(findCompanyInText('佛山市成功电器有限公司')?.value).toBe('佛山市成功电器有限公司');
    expect(findCompanyInText('今天星河和美有限公司来访')?.value).toBe('星河和美有限公司');
    expect(findCompanyInText('星河（科技有限公司')?.value).toBe('星河（科技有限公司');
  });

  it.each([['股份有限公司'], ['有限责任公司']])('a bare legal form %s is not a company', (text) => {
    expect(findCompanyInText(text)).toBeNull();
  });

  it('a line with a separator inside the name is not a bare company line', () => {
    expect(isBareCompanyLine('星河，科技有限公司', '星河科技有限公司')).toBe(false);
  });

  it('reads a contact through several trailing separators, not a name after a space earlier on', () => {
    expect(findContactBeforePhone('冯总：  ')).toBe('冯总');
    expect(findContactBeforePhone('投资 张三')).toBeNull();
  });

  it('content: the next clause only when nothing follows the amount, the company cut in a later clause', () => {
    const t = '星河投资3亿元左右，做铜箔';
    expect(findContentInText(t, t.indexOf('元') + 1, null)).toBeNull();
    const u = '很好，星河科技有限公司物流基地';
    expect(findContentInText(u, -1, findCompanyInText(u))).toBe('物流基地');
    expect(findContentInText('物流园区联系人冯总', -1, null)).toBe('物流园区联系人冯总');
    const w = '物流基地，星河科技有限公司';
    expect(findContentInText(w, -1, findCompanyInText(w))).toBe('物流基地');
    expect(findContentInText('星河物流项目', 99, null)).toBe('星河物流项目');
    const v = '星河投资3亿元左右建设铜箔';
    expect(findContentInText(v, v.indexOf('元') + 1, null)).toBeNull();
  });

  it('describedProject trims every leading and trailing separator', () => {
    expect(describedProject(' ，建设选矿厂')).toBe('建设选矿厂');
    expect(describedProject('建设选矿厂：、')).toBe('建设选矿厂');
    const t = '星河投资3亿建设铜箔：、';
    expect(findContentInText(t, t.indexOf('亿') + 1, null)).toBe('建设铜箔');
    expect(describedProject('在我县做铜箔')).toBe('在我县做铜箔');
  });
});
