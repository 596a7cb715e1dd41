// Cases added to kill mutants that survived `npm run mutation -- libs/domain/src/lead/amount-reading.ts`
// (see docs/testing.md). Each asserts behaviour of readAmount, not of its internals.
import { readAmount } from './amount-reading';

const RATE = 7.1;

describe('readAmount (mutants)', () => {
  it.each<[string, string]>([
    ['很多', 'unreadable'],
    ['-5亿', 'negative'],
    ['0元', 'zero'],
    ['2万亿元', 'too-large'],
    ['0.5万元', 'too-small'],
  ])('%j is a problem of kind %s', (raw, reason) => {
    expect(readAmount(raw, RATE)).toMatchObject({ kind: 'problem', reason });
  });

  it('an empty or blank amount is a problem of its own', () => {
    expect(readAmount('  ', RATE)).toEqual({ kind: 'problem', reason: 'empty', problem: '投资额未填写，请写成如“5亿元”或“3000万元”' });
  });

  it('accepts exactly 1万亿元 and exactly 1万元', () => {
    expect(readAmount('1万亿元', RATE)).toMatchObject({ kind: 'amount', reading: { amountWanCny: 1e8 } });
    expect(readAmount('1万元', RATE)).toMatchObject({ kind: 'amount', reading: { amountWanCny: 1 } });
  });

  it('judges a USD amount by its value in CNY', () => {
    expect(readAmount('0.5万美元', RATE)).toMatchObject({ kind: 'amount', reading: { currency: 'USD' } });
  });

  it('reads currency codes in capitals', () => {
    expect(readAmount('500万USD', RATE)).toMatchObject({ kind: 'amount', reading: { currency: 'USD', maxWan: 500 } });
  });

  it('reads 整 at the end, as on a cheque', () => {
    expect(readAmount('伍亿元整', RATE)).toMatchObject({ kind: 'amount', reading: { amountWanCny: 50000 } });
  });

  it('an inner 多 makes the amount approximate', () => {
    expect(readAmount('3亿多元', RATE)).toMatchObject({ kind: 'amount', reading: { approximate: true, amountWanCny: 30000 } });
  });

  it('keeps the original with whitespace runs collapsed', () => {
    expect(readAmount('5  亿元', RATE)).toMatchObject({ kind: 'amount', reading: { original: '5 亿元' } });
  });
});
