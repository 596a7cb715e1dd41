import {
  CREDIT_CODE_CHARSET,
  CREDIT_CODE_WEIGHTS,
  creditCodeCheckChar,
  isValidCreditCode,
  normalizeCreditCode,
} from './credit-code';

/** Independent reference implementation written straight from GB 32100-2015, for the tests. */
function referenceCheckChar(first17: string): string {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += chars.indexOf(first17[i]) * weights[i];
  const c = 31 - (sum % 31);
  return chars[c === 31 ? 0 : c];
}

/** Published codes of real organisations; each was also checked against the algorithm. */
const PUBLISHED = [
  '91350100M000100Y43', // the example used in the brief
  '914403001922038216', // 华为技术有限公司
  '91440300708461136T', // 深圳市腾讯计算机系统有限公司
  '91110108551385082Q', // 小米科技有限责任公司
];

describe('credit code constants', () => {
  it('uses the 31-character set without I, O, S, V, Z', () => {
    expect(CREDIT_CODE_CHARSET).toHaveLength(31);
    expect(CREDIT_CODE_CHARSET).not.toMatch(/[IOSVZ]/);
  });

  it('uses the 17 weights 3^i mod 31', () => {
    expect(CREDIT_CODE_WEIGHTS).toHaveLength(17);
    CREDIT_CODE_WEIGHTS.forEach((w, i) => {
      let p = 1;
      for (let k = 0; k < i; k++) p = (p * 3) % 31;
      expect(w).toBe(p);
    });
  });
});

describe('isValidCreditCode', () => {
  it.each(PUBLISHED)('accepts the published code %s', (code) => {
    expect(isValidCreditCode(code)).toBe(true);
  });

  describe('codes built from known prefixes with the computed check character', () => {
    const prefixes = [
      '91350100M000100Y4', // the published example without its check character
      '91110000MA01ABCD1',
      '12100000400000000', // 事业单位 style
      '51110000500000000', // 社会团体 style
      '92430211MA4L00000', // 个体工商户 style, Hunan
      '91430200MA4QXXXXX'.replace(/X/g, '0'),
      '9162070012345678A',
      '00000000000000000',
      'YYYYYYYYYYYYYYYYY',
    ];
    it.each(prefixes)('%s + check', (prefix) => {
      const check = referenceCheckChar(prefix);
      expect(creditCodeCheckChar(prefix)).toBe(check);
      expect(isValidCreditCode(prefix + check)).toBe(true);
      // every other check character is rejected
      for (const other of CREDIT_CODE_CHARSET) {
        if (other !== check) expect(isValidCreditCode(prefix + other)).toBe(false);
      }
    });
  });

  it('covers the "31 is written as 0" case', () => {
    // Find a prefix whose weighted sum is a multiple of 31.
    let found: string | null = null;
    for (let n = 0; n < 100000 && !found; n++) {
      const prefix = `9143020${String(n).padStart(10, '0')}`;
      if (referenceCheckChar(prefix) === '0') found = prefix;
    }
    expect(found).not.toBeNull();
    expect(creditCodeCheckChar(found as string)).toBe('0');
    expect(isValidCreditCode(`${found}0`)).toBe(true);
  });

  it('detects a single changed character in a published code', () => {
    const code = PUBLISHED[0];
    for (let i = 0; i < 17; i++) {
      for (const ch of CREDIT_CODE_CHARSET) {
        if (ch === code[i]) continue;
        const altered = code.slice(0, i) + ch + code.slice(i + 1);
        expect(isValidCreditCode(altered)).toBe(false);
      }
    }
  });

  it('detects swapped adjacent characters', () => {
    const code = PUBLISHED[0];
    for (let i = 0; i < 17; i++) {
      if (code[i] === code[i + 1]) continue;
      const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
      expect(isValidCreditCode(swapped)).toBe(false);
    }
  });

  it.each([
    ['lowercase', '91350100m000100y43'],
    ['surrounding spaces', '  91350100M000100Y43 '],
    ['inner spaces', '9135 0100 M000 100Y 43'],
    ['hyphens', '91350100-M000100Y4-3'],
    ['full-width', '９１３５０１００Ｍ０００１００Ｙ４３'],
  ])('is tolerant of %s', (_label, code) => {
    expect(isValidCreditCode(code)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['too short', '91350100M000100Y4'],
    ['too long', '91350100M000100Y433'],
    ['letter I', '91350100I000100Y43'],
    ['letter O', '91350100O000100Y43'],
    ['letter S', '91350100S000100Y43'],
    ['letter V', '91350100V000100Y43'],
    ['letter Z', '91350100Z000100Y43'],
    ['check char not in set', '91350100M000100Y4I'],
    ['punctuation', '91350100M000100Y4.'],
    ['wrong check', '91350100M000100Y44'],
    ['18 digits of 1', '111111111111111111'],
    ['old 15-digit registration number', '440301103456789'],
    ['emoji', '91350100M000100Y4😀'],
  ])('rejects %s', (_label, code) => {
    expect(isValidCreditCode(code)).toBe(false);
  });

  it('rejects non-strings at runtime', () => {
    expect(isValidCreditCode(undefined as unknown as string)).toBe(false);
    expect(isValidCreditCode(null as unknown as string)).toBe(false);
    expect(isValidCreditCode(913501 as unknown as string)).toBe(false);
  });
});

describe('creditCodeCheckChar', () => {
  it('returns null for a wrong length or a character outside the set', () => {
    expect(creditCodeCheckChar('1234')).toBeNull();
    expect(creditCodeCheckChar('91350100I000100Y4')).toBeNull();
  });
});

describe('normalizeCreditCode', () => {
  it('uppercases, drops spaces and hyphens, converts full-width', () => {
    expect(normalizeCreditCode(' ９１３５-0100 m000100y43 ')).toBe('91350100M000100Y43');
  });
});
