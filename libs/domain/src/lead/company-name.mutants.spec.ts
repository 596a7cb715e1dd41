import { normalizeCompanyName, PLACE_NAMES } from './company-name';

/**
 * Cases that kill mutations company-name.spec.ts let survive (found with `npm run mutation`).
 */
describe('normalizeCompanyName partnership remarks', () => {
  it.each([
    ['天职国际会计师事务所（特殊普通合伙）', '天职国际会计师事务所'],
    ['天职国际会计师事务所(特殊普通合伙)', '天职国际会计师事务所'],
    ['湖南星河律师事务所【特殊普通合伙】', '湖南星河律师事务所'],
    ['深圳市星河创业投资合伙企业（有限合伙）', '深圳星河创业投资合伙企业'], // the city's 市 is folded too
    ['深圳市星河创业投资合伙企业（普通合伙）', '深圳星河创业投资合伙企业'], // the city's 市 is folded too
  ])('%j → %j', (name, key) => {
    expect(normalizeCompanyName(name)).toBe(key);
  });

  it('keeps a remark that only resembles a legal form', () => {
    expect(normalizeCompanyName('天职国际会计师事务所（特殊合伙）')).toBe('天职国际会计师事务所(特殊合伙)');
  });

  it('gives a firm and its special general partnership form one key', () => {
    expect(normalizeCompanyName('天职国际会计师事务所（特殊普通合伙）')).toBe(normalizeCompanyName('天职国际会计师事务所'));
  });
});

describe('normalizeCompanyName English qualifiers and suffixes', () => {
  it.each([
    'China', 'PRC', "The People's Republic of China", 'Hong Kong', 'HK', 'Macau', 'Macao', 'Taiwan', 'Asia', 'Asia Pacific',
    'APAC', 'Greater China', 'Beijing', 'Shanghai', 'Shenzhen', 'Guangzhou', 'Tianjin', 'Chongqing', 'Suzhou', 'Hangzhou',
    'Singapore', 'USA', 'US', 'U.S.', 'UK', 'International', 'Group',
  ])('drops the qualifier (%s)', (q) => {
    expect(normalizeCompanyName(`Acme (${q}) Technology`)).toBe('acmetechnology');
  });

  it('keeps any other English remark', () => {
    expect(normalizeCompanyName('Acme (Research) Technology')).toBe('acme(research)technology');
  });

  it.each([
    'Co., Ltd.', 'Co.,Ltd', 'Co. Limited', 'Company Limited', 'Incorporated', 'Corporation', 'Limited', 'Company', 'Group',
    'GmbH', 'L.L.C.', 'LLC', 'LLP', 'L.L.P.', 'Ltd', 'Ltd.', 'Inc.', 'Inc', 'Corp.', 'PLC', 'Pte', 'Pty', 'Co', 'AG',
  ])('strips the legal form "%s"', (suffix) => {
    expect(normalizeCompanyName(`Acme ${suffix}`)).toBe('acme');
  });

  it('strips an English suffix only where a word ends', () => {
    expect(normalizeCompanyName('Tesco')).toBe('tesco');
    expect(normalizeCompanyName('AcmeAG')).toBe('acmeag');
    expect(normalizeCompanyName('Acme-AG')).toBe('acme');
    expect(normalizeCompanyName('Disco Co')).toBe('disco');
  });
});

describe('normalizeCompanyName Chinese suffixes, places and punctuation', () => {
  it.each([' ', '.', ',', '，', '。', ';', '、', '&', '-', '_', '/', '·'])('drops %j left dangling before or after a suffix', (ch) => {
    expect(normalizeCompanyName(`星河科技${ch}有限公司`)).toBe('星河科技');
    expect(normalizeCompanyName(`Acme${ch} Ltd`)).toBe('acme');
  });

  it.each([
    ['星河科技股份有限公司', '星河科技'],
    ['星河科技有限责任公司', '星河科技'],
    ['星河科技股份公司', '星河科技'],
    ['星河科技总公司', '星河科技'],
    ['星河科技集团', '星河科技'],
    ['星河科技 有 限 公 司', '星河科技'],
    ['星河科技有限公司长沙分公司', '星河科技有限公司长沙分公司'],
    ['星河科技(湖南省)有限公司', '星河科技'],
    ['星河科技(长沙市)', '星河科技'],
    ['星河科技(广西自治区)', '星河科技'],
    ['星河科技(华南地区)', '星河科技'],
    ['星河科技(中国区)', '星河科技'],
    ['星河科技(亚太)', '星河科技'],
    ['星河科技(美国)', '星河科技'],
    ['星河科技(开曼)', '星河科技'],
    ['星河科技(南山区)', '星河科技'],
    ['星河科技(浦东新区)', '星河科技'],
    ['星河科技(锡林郭勒盟)', '星河科技'],
    ['星河科技(某旗)', '星河科技'],
    ['星河科技(一二三四五六区)', '星河科技(一二三四五六区)'], // seven characters: not a division name
    ['星河科技(研发)', '星河科技(研发)'],
    ['星河(集团)有限公司', '星河'],
    ['星河科技 (China) Co., Ltd.', '星河科技'],
  ])('%j → %j', (name, key) => {
    expect(normalizeCompanyName(name)).toBe(key);
  });

  it.each([['星河😀科技'], ['星河🇨🇳科技'], ['星河👍🏻科技'], ['星河❤️科技']])('drops pictographs (%j)', (name) => {
    expect(normalizeCompanyName(name)).toBe('星河科技');
  });

  it('strips suffixes from names longer than the suffix window', () => {
    const long = 'x'.repeat(70);
    expect(normalizeCompanyName(`${long}有限公司`)).toBe(long);
    expect(normalizeCompanyName(`${long} Co., Ltd.`)).toBe(long);
    expect(normalizeCompanyName(`${long}集团有限公司`)).toBe(long);
  });
});

describe('normalizeCompanyName qualifier boundaries', () => {
  it('keeps English words apart where a qualifier was removed, so the suffix is still found', () => {
    expect(normalizeCompanyName('Acme(China)Ltd')).toBe('acme');
    expect(normalizeCompanyName('Acme(China)Co')).toBe('acme');
  });

  it('takes a division name only when the remark ends with the division character', () => {
    expect(normalizeCompanyName('星河科技(市区中心)')).toBe('星河科技(市区中心)');
    expect(normalizeCompanyName('星河科技(南山区研发)')).toBe('星河科技(南山区研发)');
  });

  it('ignores spaces inside a place qualifier', () => {
    expect(normalizeCompanyName('星河科技（长沙 市）')).toBe('星河科技');
  });
});

describe('normalizeCompanyName qualifier edges', () => {
  it('removes an English qualifier after a legal form, whose spaces are left out only for the lookup', () => {
    // Kept for one pass, the suffix would be glued to the name ("acmeco") and no longer found.
    expect(normalizeCompanyName('Acme Co (Hong Kong)')).toBe('acme');
    expect(normalizeCompanyName('Acme Ltd (Asia Pacific)')).toBe('acme');
  });

  it('keeps a place remark longer than six characters, even a known place with its suffix', () => {
    expect(normalizeCompanyName('星河科技(香港特别行政区)')).toBe('星河科技(香港特别行政区)');
    expect(normalizeCompanyName('星河科技（乌鲁木齐特别行政区）')).toBe('星河科技(乌鲁木齐特别行政区)');
  });
});

describe('normalizeCompanyName leading county-level city', () => {
  it('drops 市 only at the start of the name', () => {
    expect(normalizeCompanyName('星河科技长沙市分部')).toBe('星河科技长沙市分部');
    expect(normalizeCompanyName('浏阳市星河花炮')).toBe('浏阳星河花炮');
  });

  it('drops 市 only when at least two characters follow', () => {
    expect(normalizeCompanyName('浏阳市场')).toBe('浏阳市场');
    expect(normalizeCompanyName('浏阳市场部')).toBe('浏阳场部'); // the documented harmless collision
  });
});

describe('place names', () => {
  it('are listed longest first', () => {
    expect(PLACE_NAMES[0]).toHaveLength(4);
    expect(PLACE_NAMES[PLACE_NAMES.length - 1]).toHaveLength(2);
    for (let i = 1; i < PLACE_NAMES.length; i++) expect(PLACE_NAMES[i - 1].length).toBeGreaterThanOrEqual(PLACE_NAMES[i].length);
  });

  it('none is a prefix of another (which makes the order of the place alternatives irrelevant)', () => {
    const clashes = PLACE_NAMES.flatMap((a) => PLACE_NAMES.filter((b) => b !== a && b.startsWith(a)).map((b) => `${a}/${b}`));
    expect(clashes).toEqual([]);
  });
});

describe('normalizeCompanyName suffix window', () => {
  it('does not strip a suffix glued to a word near the end of a name shorter than the window', () => {
    const name = `${'a'.repeat(57)}xltd`; // 61 characters: the whole name is searched, "xltd" is one word
    expect(normalizeCompanyName(name)).toBe(name);
    expect(normalizeCompanyName(`${'a'.repeat(59)}xco`)).toBe(`${'a'.repeat(59)}xco`); // 62 characters
  });
});
