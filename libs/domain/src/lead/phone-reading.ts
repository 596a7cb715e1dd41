/**
 * Finding and judging the contact's phone number. Nothing here blocks a report: a mainland
 * mobile is stored as 11 digits; a landline, a Hong Kong / Macao number or a number of the
 * wrong length is stored as typed with a Chinese warning asking the official to verify it.
 */

import { clip, halfWidthAlnum } from './text';

export type PhoneKind = 'mobile' | 'landline' | 'hongkong' | 'macao' | 'odd';

export interface PhoneFound {
  /** Stored form: 11 digits for a mobile, "0731-84561234" for a landline, otherwise as typed. */
  phone: string;
  kind: PhoneKind;
  /** Where the number is in the text, to cut it out of a contact name. */
  index: number;
  length: number;
  warning: string | null;
}

const MOBILE_RE = /(?<![\d+])(?:(?:\+|00)?86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)/;
const HK_MACAO_RE = /(?<!\d)(?:\+|00)?[(（]?(852|853)[)）]?[\s-]?(\d{4})[\s-]?(\d{3,4})(?!\d)/;
const LANDLINE_RE = /(?<![\d+])[(（]?(0\d{2,3})[)）]?[\s-]?(\d{7,8})(?:\s*(?:-|转|ext\.?|x)\s*(\d{1,6}))?(?!\d)/i;
/** Anything else that looks like an attempt at a number: 7 to 15 digits, spaces/hyphens allowed. */
const ODD_RE = /(?<![\d+])\+?\d(?:[\s-]?\d){6,14}(?!\d)/;

function odd(text: string, m: RegExpExecArray): PhoneFound {
  // Stryker disable next-line MethodExpression: equivalent, ODD_RE's match begins and ends with a digit or "+"
  const typed = m[0].trim();
  const digits = typed.replace(/\D/g, '');
  const warning = /^1/.test(digits)
    ? `手机号“${clip(typed, 20)}”为${digits.length}位（应为11位），已按原样记录，请核实`
    : `联系电话“${clip(typed, 20)}”位数或格式不对，已按原样记录，请核实`;
  return { phone: typed, kind: 'odd', index: m.index, length: m[0].length, warning };
}

/**
 * The best phone number in a piece of text: a mainland mobile first, then a Hong Kong or
 * Macao number, then a landline, then (when `acceptOdd`) any 7–15-digit run. Full-width
 * digits are read; indexes are positions in `raw`.
 */
export function findPhone(raw: string, acceptOdd = true): PhoneFound | null {
  const text = normalizePhoneText(raw);
  const mobile = MOBILE_RE.exec(text);
  if (mobile) {
    return { phone: mobile[1] + mobile[2] + mobile[3], kind: 'mobile', index: mobile.index, length: mobile[0].length, warning: null };
  }
  const hk = HK_MACAO_RE.exec(text);
  if (hk) {
    // Stryker disable next-line MethodExpression: equivalent, HK_MACAO_RE's match begins with "+", "0", "(" or a digit and ends with a digit
    const typed = hk[0].trim();
    const where = hk[1] === '852' ? '香港' : '澳门';
    return {
      phone: typed,
      kind: hk[1] === '852' ? 'hongkong' : 'macao',
      index: hk.index,
      length: hk[0].length,
      warning: `联系电话“${typed}”为${where}号码，已按原样记录，请核实；如有内地手机号请补充`,
    };
  }
  const land = LANDLINE_RE.exec(text);
  if (land) {
    const phone = `${land[1]}-${land[2]}${land[3] ? `-${land[3]}` : ''}`;
    return {
      phone,
      kind: 'landline',
      index: land.index,
      length: land[0].length,
      warning: `联系电话“${phone}”为固定电话，已记录，请核实；如有联系人手机号请补充`,
    };
  }
  if (!acceptOdd) return null;
  const o = ODD_RE.exec(text);
  return o ? odd(text, o) : null;
}

/** The form findPhone reads: full-width digits as ASCII, same length as the input. */
export function normalizePhoneText(raw: string): string {
  return halfWidthAlnum(raw);
}
