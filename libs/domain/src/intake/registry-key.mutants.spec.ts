import { companyRegistryKey, registryKeyOfNormalized } from './registry-key';

/**
 * Cases that kill mutations of the registry key's own rule (found with `npm run mutation`):
 * normalizeCompanyName already folds listed provinces and any leading "XX市"; what is left here
 * is a 2–3 character place + 省 or 市 at the very start with at least two characters after it.
 */
describe('registry key: the leading place suffix', () => {
  it.each([
    ['江南省星河科技有限公司', '江南星河科技'], // not a listed province: only this rule folds it
    ['江南省星河', '江南星河'],
    ['大江南省星河科技', '大江南星河科技'], // three characters before 省
  ])('%j → %j', (name, key) => {
    expect(companyRegistryKey(name)).toBe(key);
  });

  it.each([
    ['江南省河', '江南省河'], // one character after 省
    ['大江南北省星河', '大江南北省星河'], // four characters before 省
    ['江省星河', '江省星河'], // one character before 省
    ['星河江南省科技', '星河江南省科技'], // not at the start
    ['江南省ab科技', '江南省ab科技'], // no Chinese right after 省
  ])('%j keeps its 省 (%j)', (name, key) => {
    expect(companyRegistryKey(name)).toBe(key);
  });

  it('folds an already normalised name the same way, once', () => {
    expect(registryKeyOfNormalized('深圳市星河')).toBe('深圳星河');
    expect(registryKeyOfNormalized('江南省星河')).toBe('江南星河');
    expect(registryKeyOfNormalized('江南省江北省星河')).toBe('江南江北省星河');
    expect(registryKeyOfNormalized('星河江南省科技')).toBe('星河江南省科技');
  });
});
