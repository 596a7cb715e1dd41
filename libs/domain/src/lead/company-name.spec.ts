import { normalizeCompanyName } from './company-name';

const KEY = '深圳星河智能科技';

describe('normalizeCompanyName', () => {
  describe('variants of one company share one key', () => {
    it.each([
      ['深圳市星河智能科技有限公司'],
      ['深圳市星河智能科技股份有限公司'],
      ['深圳市星河智能科技有限责任公司'],
      ['深圳市星河智能科技股份公司'],
      ['深圳市星河智能科技公司'],
      ['深圳市星河智能科技总公司'],
      ['深圳市星河智能科技'],
      [' 深圳市星河智能科技 有限公司 '],
      ['深圳市 星河 智能 科技 有限 公司'],
      ['\t深圳市星河智能科技\n有限公司\u3000'],
      ['深圳市星河智能科技（中国）有限公司'],
      ['深圳市星河智能科技(中国)有限公司'],
      ['深圳市星河智能科技【中国】有限公司'],
      ['深圳市星河智能科技[中国]有限公司'],
      ['深圳市星河智能科技［中国］有限公司'],
      ['深圳市星河智能科技〔中国〕有限公司'],
      ['深圳市星河智能科技（ 中国 ）有限公司'],
      ['深圳市星河智能科技（深圳）有限公司'],
      ['深圳市星河智能科技（深圳市）有限公司'],
      ['深圳市星河智能科技（广东省）有限公司'],
      ['深圳市星河智能科技（南山区）有限公司'],
      ['深圳市星河智能科技（上海）有限公司'],
      ['深圳市星河智能科技（香港）有限公司'],
      ['深圳市星河智能科技（中国区）有限公司'],
      ['深圳市星河智能科技（亚太）有限公司'],
      ['深圳市星河智能科技（美国）有限公司'],
      ['深圳市星河智能科技（中国）（深圳）有限公司'],
      ['深圳市星河智能科技集团有限公司'],
      ['深圳市星河智能科技（集团）有限公司'],
      ['深圳市星河智能科技集团股份有限公司'],
      ['深圳市星河智能科技(集团)股份有限公司'],
      ['深圳市星河智能科技集团'],
      ['深圳市星河智能科技有限公司。'],
      ['深圳市星河智能科技有限公司，'],
      ['深圳市星河智能科技有限公司🚀'],
      ['🚀深圳市星河智能科技有限公司'],
      ['深圳市星河\u200B智能科技有限公司'],
      ['\uFEFF深圳市星河智能科技有限公司'],
      ['深圳市星河智能科技有限公司有限公司'],
      ['深圳星河智能科技有限公司'],
      ['深圳星河智能科技股份有限公司'],
      ['深圳星河智能科技（集团）股份有限公司'],
      ['深圳市星河智能科技股份'],
      ['（南山区）深圳市星河智能科技有限公司'],
      ['深圳市（南山）星河智能科技有限公司'],
      ['广东省深圳市星河智能科技有限公司'],
      ['广东深圳星河智能科技有限公司'],
    ])('%s', (name) => {
      expect(normalizeCompanyName(name)).toBe(KEY);
    });
  });

  it('treats full-width Latin letters and digits like half-width, and lowercases', () => {
    const a = normalizeCompanyName('ＡＢＣ１２３智能科技（中国）有限公司');
    const b = normalizeCompanyName('abc123智能科技有限公司');
    const c = normalizeCompanyName('ABC123智能科技有限公司');
    expect(a).toBe('abc123智能科技');
    expect(b).toBe(a);
    expect(c).toBe(a);
  });

  describe('English legal forms and qualifiers', () => {
    it.each([
      ['Acme Robotics Co., Ltd.', 'acmerobotics'],
      ['ACME ROBOTICS CO.,LTD', 'acmerobotics'],
      ['Acme Robotics Co. Ltd', 'acmerobotics'],
      ['Acme Robotics (China) Co., Ltd.', 'acmerobotics'],
      ['Acme Robotics (Shanghai) Co., Limited', 'acmerobotics'],
      ['Acme Robotics Company Limited', 'acmerobotics'],
      ['Acme Robotics Limited', 'acmerobotics'],
      ['Acme Robotics Inc.', 'acmerobotics'],
      ['Acme Robotics, Inc.', 'acmerobotics'],
      ['Acme Robotics Incorporated', 'acmerobotics'],
      ['Acme Robotics Corp.', 'acmerobotics'],
      ['Acme Robotics Corporation', 'acmerobotics'],
      ['Acme Robotics LLC', 'acmerobotics'],
      ['Acme Robotics L.L.C.', 'acmerobotics'],
      ['Acme Robotics GmbH', 'acmerobotics'],
      ['Acme Robotics AG', 'acmerobotics'],
      ['Acme Robotics Group Co., Ltd.', 'acmerobotics'],
      ['Acme Robotics Pte. Ltd.', 'acmerobotics'],
      ['ＡＣＭＥ　Ｒｏｂｏｔｉｃｓ　Ｃｏ．，Ｌｔｄ．', 'acmerobotics'],
    ])('%s → %s', (name, key) => {
      expect(normalizeCompanyName(name)).toBe(key);
    });

    it('does not cut an English suffix out of a word', () => {
      expect(normalizeCompanyName('Tesco')).toBe('tesco');
      expect(normalizeCompanyName('Costco Wholesale')).toBe('costcowholesale');
      expect(normalizeCompanyName('Magnetag')).toBe('magnetag');
      expect(normalizeCompanyName('Flinc')).toBe('flinc');
    });

    it('strips an English suffix written right after Chinese characters', () => {
      expect(normalizeCompanyName('星河智能Co., Ltd.')).toBe('星河智能');
    });
  });

  describe('parenthesised text that is not a qualifier is kept', () => {
    it.each([
      ['星河智能（研发）科技有限公司', '星河智能(研发)科技'],
      ['星河智能（一二三四五六七）有限公司', '星河智能(一二三四五六七)'],
      ['星河智能（A）有限公司', '星河智能(a)'],
      ['星河智能(Robotics)有限公司', '星河智能(robotics)'],
    ])('%s → %s', (name, key) => {
      expect(normalizeCompanyName(name)).toBe(key);
    });
  });

  describe('partnerships', () => {
    it('drops the partnership remark', () => {
      expect(normalizeCompanyName('深圳市星河创业投资合伙企业（有限合伙）')).toBe('深圳星河创业投资合伙企业');
      expect(normalizeCompanyName('深圳市星河创业投资合伙企业(普通合伙)')).toBe('深圳星河创业投资合伙企业');
      expect(normalizeCompanyName('深圳星河创业投资合伙企业（有限合伙）')).toBe('深圳星河创业投资合伙企业');
    });

    it('drops 特殊普通合伙 wherever the brackets are', () => {
      expect(normalizeCompanyName('北京市星河律师事务所（特殊普通合伙）')).toBe('北京星河律师事务所');
      expect(normalizeCompanyName('北京星河律师事务所(特殊普通合伙)')).toBe('北京星河律师事务所');
      expect(normalizeCompanyName('星河会计师事务所（特殊普通合伙）深圳分所')).toBe('星河会计师事务所深圳分所');
    });
  });

  describe('city prefixes', () => {
    it('folds a county-level city with or without 市', () => {
      expect(normalizeCompanyName('浏阳市星河烟花有限公司')).toBe('浏阳星河烟花');
      expect(normalizeCompanyName('浏阳星河烟花有限公司')).toBe('浏阳星河烟花');
      expect(normalizeCompanyName('冷水江市星河锑业有限公司')).toBe('冷水江星河锑业');
      expect(normalizeCompanyName('华润超市有限公司')).toBe('华润超市');
    });
  });

  describe('branches keep their own key', () => {
    it('does not strip 公司 from 分公司', () => {
      const branch = normalizeCompanyName('深圳市星河智能科技有限公司长沙分公司');
      expect(branch).toBe('深圳星河智能科技有限公司长沙分公司');
      expect(branch).not.toBe(KEY);
    });
  });

  describe('distinct companies stay distinct', () => {
    it.each([
      ['深圳市星河智能科技有限公司', '深圳市星河智能装备有限公司'],
      ['深圳市星河智能科技有限公司', '广州市星河智能科技有限公司'],
      ['深圳市星河智能科技有限公司', '星河智能科技有限公司'],
      ['湖南省星河智能科技有限公司', '湖北省星河智能科技有限公司'],
      ['浏阳市星河烟花有限公司', '醴陵市星河烟花有限公司'],
      ['深圳市星河智能科技有限公司', '深圳市星河科技有限公司'],
      ['星河智能（研发）有限公司', '星河智能有限公司'],
    ])('%s ≠ %s', (a, b) => {
      expect(normalizeCompanyName(a)).not.toBe(normalizeCompanyName(b));
    });
  });

  describe('nothing left → empty string', () => {
    it.each([[''], ['   '], ['有限公司'], ['股份有限公司'], ['（中国）有限公司'], ['集团有限公司'], ['Co., Ltd.'], ['🚀🚀'], ['（中国）']])(
      '%j',
      (name) => {
        expect(normalizeCompanyName(name)).toBe('');
      },
    );

    it('tolerates a non-string at runtime', () => {
      expect(normalizeCompanyName(undefined as unknown as string)).toBe('');
    });
  });

  describe('idempotence', () => {
    it.each([
      ['深圳市星河智能科技（中国）有限公司'],
      ['Acme Robotics (China) Co., Ltd.'],
      ['foo.l td'],
      ['foo l t d'],
      ['星河 Co'],
      ['星河智能（研发）科技有限公司'],
      ['深圳市星河智能科技有限公司长沙分公司'],
      ['ＡＢＣ（中国）ｃｏ．，ｌｔｄ．有限公司'],
      ['公司公司公司'],
      ['集团公司集团'],
      ['x (china) (hk) inc ltd co'],
      ['㈱星河'],
      ['星河((中国))有限公司'],
      ['星河(中国有限公司'],
      ['中山市市政工程有限公司'],
      ['广东省深圳市市场服务有限公司'],
      ['市市市'],
    ])('%j', (name) => {
      const once = normalizeCompanyName(name);
      expect(normalizeCompanyName(once)).toBe(once);
    });

    it('holds on generated names', () => {
      const parts = ['星河', '（中国）', ' ', '有限', '公司', 'Co.', 'Ltd', '(深圳)', '集团', 'ａｂ', '·', ',', '（研发）', '分'];
      let seed = 7;
      const rand = () => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed / 2147483648;
      };
      for (let i = 0; i < 500; i++) {
        let name = '';
        const n = 1 + Math.floor(rand() * 7);
        for (let j = 0; j < n; j++) name += parts[Math.floor(rand() * parts.length)];
        const once = normalizeCompanyName(name);
        expect(normalizeCompanyName(once)).toBe(once);
        expect(once).not.toMatch(/\s/);
      }
    });
  });

  // How long these take is printed by `npm run bench:parsing`, not judged here.
  it.each([
    ['星河（中国）'.repeat(5000) + '有限公司'.repeat(1000), '星河'.repeat(5000)],
    ['a' + '.'.repeat(50000) + 'b', 'a' + '.'.repeat(50000) + 'b'],
    ['a' + ' '.repeat(50000) + 'b', 'ab'],
    ['星河' + ' Co., Ltd.'.repeat(3000), '星河'],
  ])('normalises long input (%#)', (long, key) => {
    expect(normalizeCompanyName(long)).toBe(key);
  });
});
