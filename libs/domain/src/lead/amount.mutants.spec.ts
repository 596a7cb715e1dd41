import { parseAmount } from './amount';

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
