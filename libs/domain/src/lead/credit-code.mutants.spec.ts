import { creditCodeCheckChar, normalizeCreditCode } from './credit-code';

/** Cases that kill mutations credit-code.spec.ts let survive (found with `npm run mutation`). */
describe('credit code edges', () => {
  it('computes a check character from exactly 17 characters only', () => {
    expect(creditCodeCheckChar('91350100M000100Y4')).toBe('3');
    expect(creditCodeCheckChar('91350100M000100Y43')).toBeNull();
    expect(creditCodeCheckChar('91350100M000100Y')).toBeNull();
  });

  it('normalises a missing code to an empty one at runtime', () => {
    expect(normalizeCreditCode(undefined as unknown as string)).toBe('');
    expect(normalizeCreditCode(null as unknown as string)).toBe('');
  });
});
