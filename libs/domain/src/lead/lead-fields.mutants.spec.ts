// Cases added to kill mutants that survived `npm run mutation -- libs/domain/src/lead/lead-fields.ts`
// (see docs/testing.md). Each asserts behaviour of the lead parser, not of its internals.
import { LeadDraft, parseLeadFields, splitContact } from './lead-fields';

const BODY =
  '企业：深圳市星河智能科技有限公司 行业：电子信息 投资额：5亿元 联系人：王经理 13912345678 内容：拟建智能终端生产基地';

function lead(body: string): LeadDraft {
  const r = parseLeadFields(body);
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r)}`);
  return r.lead;
}

describe('splitContact (mutants)', () => {
  it.each<[string, string | null, string | null]>([
    // Empty brackets left by a removed number separate words rather than join them.
    ['John（）Smith', 'John Smith', null],
    ['王经理（）', '王经理', null],
    // A trailing phone label without a number is dropped.
    ['王经理 电话：', '王经理', null],
    // Every leading and trailing separator goes, not only the first.
    ['，、王经理 13912345678', '王经理', '13912345678'],
    ['王经理，、 13912345678', '王经理', '13912345678'],
    // Extension forms after spaces, with or without a dot after "ext".
    ['王经理 0731-12345678 转 801', '王经理', '0731-12345678-801'],
    ['王经理 0731-12345678 ext 801', '王经理', '0731-12345678-801'],
    // A landline followed by text keeps all eight digits.
    ['0731-12345678 王经理', '王经理', '0731-12345678'],
    // A phone label is removed only right before the number, spaces and colon included.
    ['电话销售部王经理 13912345678', '电话销售部王经理', '13912345678'],
    ['王经理 电话 ：13912345678', '王经理', '13912345678'],
    ['电话：13912345678 王经理', '王经理', '13912345678'],
    ['电话： 13912345678 王经理', '王经理', '13912345678'],
  ])('%j', (raw, name, phone) => {
    expect(splitContact(raw)).toEqual({ name, phone, badDigits: null });
  });

  it('further valid mobiles and landlines in the name are not bad digits', () => {
    expect(splitContact('王经理 13912345678 李处长 13812345678 赵总 13712345678')).toEqual({
      name: '王经理 李处长 13812345678 赵总 13712345678',
      phone: '13912345678',
      badDigits: null,
    });
    expect(splitContact('王经理 0731-12345678 李处长 0731-87654321 赵总 010-1234567').badDigits).toBeNull();
  });

  it.each([
    // Seven leftover digits are already an attempt at a number.
    ['王经理 1234567', '1234567'],
    // The echo keeps the separators as typed.
    ['王经理 139-1234-567', '139-1234-567'],
    ['王经理 139 1234 567', '139 1234 567'],
    // Digits with letters between them are echoed as the digits alone.
    ['王经理 1a2b3c4d5e6f7', '1234567'],
  ])('flags %j', (raw, bad) => {
    expect(splitContact(raw).badDigits).toBe(bad);
  });

  it('six leftover digits are not flagged', () => {
    expect(splitContact('王经理 123456').badDigits).toBeNull();
  });
});

describe('parseLeadFields (mutants)', () => {
  it('a body of whitespace only is empty, not unreadable text', () => {
    const r = parseLeadFields('  \n ');
    expect(r).toEqual({ ok: false, missing: ['企业', '行业', '投资额', '内容'], problems: [] });
  });

  it('strips every separator at the edges of a value', () => {
    expect(lead(BODY.replace('行业：电子信息', '行业：，，电子信息；；')).industry).toBe('电子信息');
  });

  it('accepts a company name of exactly 100 characters', () => {
    const name = `${'星'.repeat(96)}有限公司`;
    expect(lead(BODY.replace('深圳市星河智能科技有限公司', name)).companyName).toBe(name);
  });

  it('a phone given without a contact name leaves the name empty', () => {
    const r = lead(BODY.replace('联系人：王经理 13912345678', '电话：13912345678'));
    expect(r.contactName).toBeNull();
    expect(r.contactPhone).toBe('13912345678');
  });

  it('a contact ending in a digit is kept apart from a separate phone key', () => {
    const r = lead(BODY.replace('联系人：王经理 13912345678', '联系人：王经理 工号8 电话：13912345678'));
    expect(r.contactName).toBe('王经理 工号8');
    expect(r.contactPhone).toBe('13912345678');
  });

  it('a credit code of dashes only is treated as not given', () => {
    expect(lead(`${BODY} 信用代码：--`).creditCode).toBeNull();
  });
});
