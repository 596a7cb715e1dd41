import { formatLeadAmount, hasUnsupportedCurrency, MAX_LEAD_AMOUNT_WAN, MIN_LEAD_AMOUNT_WAN, parseAmount } from './amount';

describe('parseAmount', () => {
  describe('accepted forms', () => {
    it.each<[string, number, 'CNY' | 'USD', string]>([
      ['5亿元', 50000, 'CNY', '5亿元'],
      ['5亿', 50000, 'CNY', '5亿元'],
      ['0.5亿元', 5000, 'CNY', '5000万元'],
      ['5000万', 5000, 'CNY', '5000万元'],
      ['5,000万元', 5000, 'CNY', '5000万元'],
      ['5，000万元', 5000, 'CNY', '5000万元'],
      ['5000万元人民币', 5000, 'CNY', '5000万元'],
      ['人民币5000万元', 5000, 'CNY', '5000万元'],
      ['3500万美元', 3500, 'USD', '3500万美元'],
      ['1.2亿美元', 12000, 'USD', '1.2亿美元'],
      ['美元1.2亿', 12000, 'USD', '1.2亿美元'],
      ['USD 3500万', 3500, 'USD', '3500万美元'],
      ['五千元', 0.5, 'CNY', '5000元'],
      ['US$3500万', 3500, 'USD', '3500万美元'],
      ['$3500万', 3500, 'USD', '3500万美元'],
      ['3500万美金', 3500, 'USD', '3500万美元'],
      ['50000000元', 5000, 'CNY', '5000万元'],
      ['50,000,000元', 5000, 'CNY', '5000万元'],
      ['¥50000000', 5000, 'CNY', '5000万元'],
      ['￥5000万', 5000, 'CNY', '5000万元'],
      ['RMB 5000万', 5000, 'CNY', '5000万元'],
      ['五亿元', 50000, 'CNY', '5亿元'],
      ['三千万', 3000, 'CNY', '3000万元'],
      ['十亿', 100000, 'CNY', '10亿元'],
      ['十亿元', 100000, 'CNY', '10亿元'],
      ['两亿', 20000, 'CNY', '2亿元'],
      ['二十亿', 200000, 'CNY', '20亿元'],
      ['十五亿', 150000, 'CNY', '15亿元'],
      ['一千五百万', 1500, 'CNY', '1500万元'],
      ['一千零五万', 1005, 'CNY', '1005万元'],
      ['三千五百万美元', 3500, 'USD', '3500万美元'],
      ['一亿五千万', 15000, 'CNY', '1.5亿元'],
      ['一点五亿', 15000, 'CNY', '1.5亿元'],
      ['壹亿伍仟万元', 15000, 'CNY', '1.5亿元'],
      ['两亿五', 25000, 'CNY', '2.5亿元'],
      ['一万五', 1.5, 'CNY', '1.5万元'],
      ['百万元', 100, 'CNY', '100万元'],
      ['千万', 1000, 'CNY', '1000万元'],
      ['3.5千万', 3500, 'CNY', '3500万元'],
      ['1亿5000万', 15000, 'CNY', '1.5亿元'],
      ['1亿5000万元', 15000, 'CNY', '1.5亿元'],
      ['５亿元', 50000, 'CNY', '5亿元'],
      ['５０００万元', 5000, 'CNY', '5000万元'],
      ['０．５亿元', 5000, 'CNY', '5000万元'],
      [' 5 亿 元 ', 50000, 'CNY', '5亿元'],
      ['约5亿元', 50000, 'CNY', '5亿元'],
      ['5亿元左右', 50000, 'CNY', '5亿元'],
      ['5亿元以上', 50000, 'CNY', '5亿元'],
      ['12345万元', 12345, 'CNY', '1.2345亿元'],
      ['123456789元', 12345.6789, 'CNY', '12345.6789万元'],
      ['5000元', 0.5, 'CNY', '5000元'],
      ['100元', 0.01, 'CNY', '100元'],
      ['8万', 8, 'CNY', '8万元'],
      ['10000亿', 1e8, 'CNY', '10000亿元'],
      ['5个亿', 50000, 'CNY', '5亿元'],
      ['十个亿', 100000, 'CNY', '10亿元'],
      ['5亿元（一期2亿元）', 50000, 'CNY', '5亿元'],
      ['3500万美元(约2.5亿元人民币)', 3500, 'USD', '3500万美元'],
    ])('%j → %d %s (%s)', (text, amountWan, currency, display) => {
      expect(parseAmount(text)).toEqual({ amountWan, currency, display });
    });
  });

  describe('rejected', () => {
    it.each([
      [''],
      ['   '],
      ['很多'],
      ['待定'],
      ['0'],
      ['0元'],
      ['0亿'],
      ['零元'],
      ['-5亿'],
      ['负五亿'],
      ['5000'], // no unit: 元 or 万元?
      ['五千'],
      ['三千五'],
      ['亿'],
      ['万元'],
      ['元'],
      ['5亿-10亿'],
      ['5~10亿'],
      ['5亿或10亿'],
      ['5亿3亿'],
      ['五万三万'],
      ['5万3亿'],
      ['五百三千万'],
      ['三五亿'],
      ['5亿3'],
      ['5000万2'],
      ['5.亿'],
      ['.5亿'],
      ['5..5亿'],
      ['5,00万'],
      ['5000万欧元'],
      ['1亿港元'],
      ['1亿港币'],
      ['100亿日元'],
      ['5000万美元人民币'],
      ['$5000万元'],
      ['2万亿元'], // above the 1万亿 cap
      ['0.00001元'],
      ['1元'], // below the ledger's 0.01万 precision: would be stored as 0 (regression: CHECK violation on every retry)
      ['99元'],
      ['5亿元😀'],
      ['abc'],
      ['(5亿元)'],
      ['5亿元（一期）（二期）'],
      ['个亿'],
      ['5e8元'],
      ['Infinity元'],
      ['1'.repeat(41)],
    ])('%j', (text) => {
      expect(parseAmount(text)).toBeNull();
    });

    it('tolerates non-strings at runtime', () => {
      expect(parseAmount(undefined as unknown as string)).toBeNull();
      expect(parseAmount(5 as unknown as string)).toBeNull();
    });
  });

  it('caps at 1万亿', () => {
    expect(parseAmount('1万亿元')?.amountWan).toBe(MAX_LEAD_AMOUNT_WAN);
  });

  it('accepts the smallest amount the ledger can hold', () => {
    expect(parseAmount('100元')?.amountWan).toBe(MIN_LEAD_AMOUNT_WAN);
  });

  it('has no floating-point noise', () => {
    expect(parseAmount('1.2亿')?.amountWan).toBe(12000);
    expect(parseAmount('0.7亿美元')?.amountWan).toBe(7000);
    expect(parseAmount('3.3亿')?.display).toBe('3.3亿元');
    expect(parseAmount('0.1亿')?.display).toBe('1000万元');
  });
});

describe('hasUnsupportedCurrency', () => {
  it.each([['5000万欧元', true], ['1亿港币', true], ['EUR 5000万', true], ['5000万元', false], ['3500万美元', false]])(
    '%j → %s',
    (text, expected) => {
      expect(hasUnsupportedCurrency(text)).toBe(expected);
    },
  );
});

describe('formatLeadAmount', () => {
  it.each<[number, 'CNY' | 'USD', string]>([
    [50000, 'CNY', '5亿元'],
    [10000, 'USD', '1亿美元'],
    [9999, 'CNY', '9999万元'],
    [1, 'CNY', '1万元'],
    [0.5, 'USD', '5000美元'],
    [12345.5, 'CNY', '12345.5万元'],
  ])('%d %s → %s', (wan, currency, text) => {
    expect(formatLeadAmount(wan, currency)).toBe(text);
  });
});
