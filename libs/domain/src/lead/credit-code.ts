/**
 * 统一社会信用代码 (unified social credit code), GB 32100-2015.
 *
 * 18 characters from the 31-character set 0-9 A-H J-N P Q R T U W X Y (no I, O, S, V, Z).
 * The 18th is a check character: with c_i the value of the i-th character and w_i the
 * weights below, C18 = 31 - (Σ c_i·w_i mod 31), where 31 is written as 0.
 */

export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
export const CREDIT_CODE_WEIGHTS: readonly number[] = [
  1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/**
 * Canonical form of a typed code: NFKC (full-width → half-width), whitespace and hyphens
 * removed, uppercase.
 */
export function normalizeCreditCode(code: string): string {
  return (code ?? '').normalize('NFKC').replace(/[\s\-]+/g, '').toUpperCase();
}

/** The check character for the first 17 characters, or null if they are not valid. */
export function creditCodeCheckChar(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_CODE_CHARSET.indexOf(first17[i]);
    if (v < 0) return null;
    sum += v * CREDIT_CODE_WEIGHTS[i];
  }
  const check = (31 - (sum % 31)) % 31;
  return CREDIT_CODE_CHARSET[check];
}

/**
 * True when `code` is an 18-character code with a correct check character.
 * Tolerant of case, surrounding/inner whitespace, hyphens and full-width characters
 * (see {@link normalizeCreditCode}); only the check character and the character set are
 * verified, not the registration-authority or region segments.
 */
export function isValidCreditCode(code: string): boolean {
  if (typeof code !== 'string') return false;
  const c = normalizeCreditCode(code);
  if (c.length !== 18) return false;
  const check = creditCodeCheckChar(c.slice(0, 17));
  return check !== null && check === c[17];
}
