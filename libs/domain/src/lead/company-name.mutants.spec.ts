import { normalizeCompanyName } from './company-name';

/**
 * Cases that kill mutations company-name.spec.ts let survive (found with `npm run mutation`).
 */
describe('normalizeCompanyName partnership remarks', () => {
  it.each([
    ['天职国际会计师事务所（特殊普通合伙）', '天职国际会计师事务所'],
    ['天职国际会计师事务所(特殊普通合伙)', '天职国际会计师事务所'],
    ['湖南星河律师事务所【特殊普通合伙】', '湖南星河律师事务所'],
    ['深圳市星河创业投资合伙企业（有限合伙）', '深圳市星河创业投资合伙企业'],
    ['深圳市星河创业投资合伙企业（普通合伙）', '深圳市星河创业投资合伙企业'],
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
