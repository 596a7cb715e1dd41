import { findPhone } from './phone-reading';

/**
 * Cases that kill mutations lead-report.spec.ts lets survive in the phone reader (found with
 * `npm run mutation`): optional prefixes and separators, where a number ends, extensions, the
 * Macao kind and the two warnings of a number of the wrong length.
 */
describe('findPhone mobiles with a country code', () => {
  it('includes "86" without "+" in the number found, so the whole of it is cut from a name', () => {
    expect(findPhone('86 139 1234 5678')).toMatchObject({ phone: '13912345678', kind: 'mobile', index: 0, length: 16 });
    expect(findPhone('8613912345678')).toMatchObject({ phone: '13912345678', kind: 'mobile', index: 0, length: 13 });
  });
});

describe('findPhone Hong Kong and Macao', () => {
  it.each([
    ['+852 9123 4567', '+852 9123 4567', 'hongkong'],
    ['852-9123-4567', '852-9123-4567', 'hongkong'],
    ['(852) 9123 4567', '(852) 9123 4567', 'hongkong'],
    ['+85291234567', '+85291234567', 'hongkong'],
    ['电话+852 9123 4567，张三', '+852 9123 4567', 'hongkong'],
    ['+853 6612 3456', '+853 6612 3456', 'macao'],
  ])('%j → %j (%s)', (text, phone, kind) => {
    expect(findPhone(text)).toMatchObject({ phone, kind });
  });

  it('names the place in the warning', () => {
    expect(findPhone('+853 6612 3456')?.warning).toBe('联系电话“+853 6612 3456”为澳门号码，已按原样记录，请核实；如有内地手机号请补充');
    expect(findPhone('+852 9123 4567')?.warning).toBe('联系电话“+852 9123 4567”为香港号码，已按原样记录，请核实；如有内地手机号请补充');
  });
});

describe('findPhone landlines', () => {
  it.each([
    ['0731-84561234 转 801', '0731-84561234-801'],
    ['0731-84561234 ext 801', '0731-84561234-801'],
    ['0731-84561234 ext. 801', '0731-84561234-801'],
    ['0731-84561234，张三', '0731-84561234'],
    ['0731-84561234转801', '0731-84561234-801'],
  ])('%j → %j', (text, phone) => {
    expect(findPhone(text)).toMatchObject({ phone, kind: 'landline' });
  });
});

describe('findPhone numbers of the wrong length', () => {
  it('a number starting with 1 is a mobile with the wrong count of digits (separators not counted)', () => {
    expect(findPhone('139 1234 567')).toEqual({
      phone: '139 1234 567',
      kind: 'odd',
      index: 0,
      length: 12,
      warning: '手机号“139 1234 567”为10位（应为11位），已按原样记录，请核实',
    });
  });

  it('any other run of digits is a number in the wrong format, even when it contains a 1', () => {
    expect(findPhone('2345-6781')).toEqual({
      phone: '2345-6781',
      kind: 'odd',
      index: 0,
      length: 9,
      warning: '联系电话“2345-6781”位数或格式不对，已按原样记录，请核实',
    });
  });

  it('reads spaces inside the digits and ends where the digits end', () => {
    expect(findPhone('2345 6781')).toMatchObject({ phone: '2345 6781', kind: 'odd' });
    expect(findPhone('23456781号')).toMatchObject({ phone: '23456781', kind: 'odd' });
  });

  it('finds nothing odd when odd numbers are not wanted', () => {
    expect(findPhone('2345-6781', false)).toBeNull();
    expect(findPhone('2345-6781', true)).not.toBeNull();
  });
});
