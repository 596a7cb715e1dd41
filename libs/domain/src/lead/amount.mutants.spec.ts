import { hasUnsupportedCurrency, parseAmount } from './amount';

/**
 * Cases that kill mutations amount.spec.ts let survive (found with `npm run mutation`).
 * The thousands separator is only a separator before exactly three digits: "5,0000万" is
 * not 5亿 (5 0000万) but a typo the official is asked to correct.
 */
describe('parseAmount thousands separators', () => {
  it.each([['5,0000万'], ['5，0000万'], ['1,2345元'], ['5,000,0000元'], ['50,00万'], [',000万'], ['5,000,万']])('%j is refused, not misread', (text) => {
    expect(parseAmount(text)).toBeNull();
  });

  it.each<[string, number]>([
    ['5,000,000元', 500],
    ['12,345,678元', 1234.5678],
    ['1,000万美元', 1000],
    ['1，000，000元', 100],
  ])('%j → %d万', (text, amountWan) => {
    expect(parseAmount(text)?.amountWan).toBe(amountWan);
  });
});

describe('parseAmount edges of the Chinese numeral grammar', () => {
  it.each<[string, number, 'CNY' | 'USD']>([
    ['5亿元(' + '一'.repeat(35) + ')', 50000, 'CNY'], // exactly 40 characters
    ['三千五元', 0.35, 'CNY'], // colloquial after 千: 3500
    ['五百五元', 0.055, 'CNY'], // after 百: 550
    ['十五元', 0.0015, 'CNY'], // after 十: ordinary 15 (read with the 100元 floor lifted)
    ['二十万五', 20.5, 'CNY'], // after 万: 20万5千
    ['一千零五元', 0.1005, 'CNY'], // 零 marks a gap, not a colloquial digit
    ['一万零五', 1.0005, 'CNY'],
    ['两亿零五百万', 20500, 'CNY'],
    ['五千零五十万', 5050, 'CNY'],
    ['零点五亿', 5000, 'CNY'],
    ['壹拾伍亿', 150000, 'CNY'],
    ['$5000', 0.5, 'USD'], // a currency word makes a bare figure unambiguous
    ['两千万美金', 2000, 'USD'],
    ['人民币约5000万', 5000, 'CNY'],
  ])('%j → %d万 %s', (text, amountWan, currency) => {
    expect(parseAmount(text, { minWan: 0 })).toMatchObject({ amountWan, currency });
  });

  it.each([
    ['5亿元(' + '一'.repeat(36) + ')'], // 41 characters
    ['五千百万'], // a bare unit after a completed section
    ['三千五千万'], // units must decrease: 千 after 千
    ['五万三千亿'], // 亿 after a completed 万 group
    ['五点亿'], // 点 without a fraction
    ['5个元'], // 个 only before 万 / 亿
  ])('%j is refused', (text) => {
    expect(parseAmount(text)).toBeNull();
  });
});

describe('hasUnsupportedCurrency at runtime', () => {
  it('is false for a missing text', () => {
    expect(hasUnsupportedCurrency(undefined as unknown as string)).toBe(false);
    expect(hasUnsupportedCurrency(null as unknown as string)).toBe(false);
  });
});

describe('parseAmount currency words make a bare figure unambiguous', () => {
  // Without 万 / 亿 only a currency word says the figure is in yuan or dollars; each word counts.
  it.each<[string, number, 'CNY' | 'USD']>([
    ['50000000人民币', 5000, 'CNY'],
    ['50000000rmb', 5000, 'CNY'],
    ['50000000cny', 5000, 'CNY'],
    ['50000000元人民币', 5000, 'CNY'],
    ['5000块钱', 0.5, 'CNY'],
    ['5000块', 0.5, 'CNY'],
    ['50000000usd', 5000, 'USD'],
    ['50000000美金', 5000, 'USD'],
    ['50000000dollars', 5000, 'USD'],
    ['50000000 dollar', 5000, 'USD'],
    ['大约5000万元', 5000, 'CNY'],
    ['约合5000万元', 5000, 'CNY'],
    ['1.25亿', 12500, 'CNY'], // a decimal with two digits
    ['5千万', 5000, 'CNY'],
  ])('%j → %d万 %s', (text, amountWan, currency) => {
    expect(parseAmount(text)).toMatchObject({ amountWan, currency });
  });

  it('refuses a decimal Chinese figure in the colloquial position ("两亿五点五")', () => {
    expect(parseAmount('两亿五点五')).toBeNull();
  });
});

describe('parseAmount guards that the 1万亿 cap would otherwise hide', () => {
  // A 万 group before 亿 is refused even when the figure would stay under the cap.
  it.each([
    ['0.0001万3亿'],
    ['0.0001万三千亿'],
    ['0亿5000万'], // an empty 亿 group
    ['0万五千'], // an empty 万 group
    ['5亿(一期)元'], // a remark is only ignored at the end
    ['5000万元(约600万欧元)'], // any mention of another currency
  ])('%j is refused', (text) => {
    expect(parseAmount(text)).toBeNull();
  });

  it('reads an Arabic digit after 十 the ordinary way ("十5元" = 15元)', () => {
    expect(parseAmount('十5元', { minWan: 0 })).toMatchObject({ amountWan: 0.0015, currency: 'CNY' });
  });
});
