/**
 * Parse the body of a lead submission ("报线索 企业：… 行业：… 投资额：… 内容：…").
 *
 * Format: `key：value` pairs, colon full- or half-width, pairs separated by spaces,
 * newlines, ；; ，, 。、 | or /. A value may itself contain spaces ("王经理 13912345678"): it
 * runs until the next recognised key (see {@link keyRegExp}). Text before the first key is
 * ignored; an unrecognised "备注：…" stays part of the preceding value.
 *
 * Decisions:
 *  - Duplicated key: the LAST non-empty value wins (a later line is read as a correction);
 *    an empty repetition ("企业：") does not erase an earlier value.
 *  - The body is capped at {@link MAX_LEAD_BODY_CHARS} characters; a longer body is rejected
 *    at once with a problem message, without being parsed.
 *  - Contact: the first mainland mobile (1[3-9] + 9 digits, +86 / spaces / hyphens allowed)
 *    or, failing that, the first landline (0 + 2–3 digit area code + 7–8 digits, optional
 *    extension) becomes contactPhone (mobile as 11 digits, landline as "0731-12345678" or
 *    "0731-12345678-123"); the rest, tidied, is contactName. A further valid number stays in
 *    contactName. Seven or more leftover digits that are not a valid number are a problem.
 *  - Credit code, when given, is stored in canonical form (uppercase, no spaces) and must
 *    pass the GB 32100-2015 check, otherwise it is a problem.
 *  - Values are tidied (invisible characters dropped, whitespace collapsed); in the company
 *    name, spaces between Chinese characters are dropped as well.
 *  - Company name: must leave a non-empty registry key, be at most 100 characters and contain
 *    no colon (a colon usually means an unrecognised field name swallowed into the name).
 */

import { LeadAmount, hasUnsupportedCurrency, parseAmount } from './amount';
import { normalizeCompanyName } from './company-name';
import { isValidCreditCode, normalizeCreditCode } from './credit-code';
import { fieldOfAlias, keyRegExp, LeadFieldKey, REQUIRED_FIELD_NAMES } from './fields';
import { clip, stripInvisible, tidyName, tidyText } from './text';

export interface LeadDraft {
  /** As typed, tidied (whitespace collapsed, no spaces next to Chinese characters). */
  companyName: string;
  /** Registry key, see normalizeCompanyName. */
  normalizedName: string;
  industry: string;
  amount: LeadAmount;
  contactName: string | null;
  contactPhone: string | null;
  content: string;
  intendedArea: string | null;
  /** Canonical uppercase form, checked. */
  creditCode: string | null;
  originRegion: string | null;
}

export type LeadParseResult =
  | { ok: true; lead: LeadDraft }
  | { ok: false; missing: string[]; problems: string[] };

/** Longest accepted body, in characters (Unicode code points). */
export const MAX_LEAD_BODY_CHARS = 2000;
/** Longest accepted company name, in characters. */
export const MAX_COMPANY_NAME_CHARS = 100;

/** How much of a user's text is echoed back in a problem message. */
const ECHO_CHARS = 20;

const EDGE_SEPARATORS_RE = /^[\s;；,，。、|/]+|[\s;；,，。、|/]+$/g;

function codePointLength(text: string, stopAfter: number): number {
  let n = 0;
  for (const _ of text) {
    if (++n > stopAfter) break;
  }
  return n;
}

/** Split the body into raw field values; the last non-empty value of a field wins. */
export function extractLeadFields(body: string): { fields: Partial<Record<LeadFieldKey, string>>; keysFound: number } {
  const fields: Partial<Record<LeadFieldKey, string>> = {};
  const matches = [...body.matchAll(keyRegExp())];
  matches.forEach((m, i) => {
    const field = fieldOfAlias(m[1]) as LeadFieldKey;
    const start = (m.index as number) + m[0].length;
    const end = i + 1 < matches.length ? (matches[i + 1].index as number) : body.length;
    const value = body.slice(start, end).replace(EDGE_SEPARATORS_RE, '');
    if (value) fields[field] = value;
  });
  return { fields, keysFound: matches.length };
}

const MOBILE_RE = /(?<!\d)(?:\+?86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)/;
const LANDLINE_RE = /(?<!\d)\(?(0\d{2,3})\)?[\s-]?(\d{7,8})(?:\s*(?:-|转|ext\.?|x)\s*(\d{1,6}))?(?!\d)/i;
const PHONE_LABEL_RE = /(?:联系电话|电话号码|电话|手机号码|手机号|手机|座机|tel|phone|mobile)\s*[:：]?\s*$/i;

/** Split a contact value into a person and a phone number. */
export function splitContact(raw: string): { name: string | null; phone: string | null; badDigits: string | null } {
  const s = stripInvisible(raw).normalize('NFKC');
  let phone: string | null = null;
  let rest = s;
  const mobile = MOBILE_RE.exec(s);
  const landline = mobile ? null : LANDLINE_RE.exec(s);
  const hit = mobile ?? landline;
  if (mobile) phone = `${mobile[1]}${mobile[2]}${mobile[3]}`;
  else if (landline) phone = `${landline[1]}-${landline[2]}${landline[3] ? `-${landline[3]}` : ''}`;
  if (hit) {
    const before = s.slice(0, hit.index).replace(PHONE_LABEL_RE, '');
    rest = `${before} ${s.slice(hit.index + hit[0].length)}`;
  }
  rest = rest.replace(/[(（]\s*[)）]/g, ' ').replace(PHONE_LABEL_RE, '');
  const name = tidyText(rest).replace(/^[\s,，;；、/|:：\-]+|[\s,，;；、/|:：\-]+$/g, '');

  // Leftover digits that look like an attempt at a phone number.
  const withoutValid = name.replace(new RegExp(MOBILE_RE.source, 'g'), '').replace(new RegExp(LANDLINE_RE.source, 'gi'), '');
  const digits = withoutValid.replace(/\D/g, '');
  const badDigits = digits.length >= 7 ? (/[\d][\d\s\-]*\d/.exec(withoutValid)?.[0] ?? digits) : null;
  return { name: name || null, phone, badDigits };
}

function optional(value: string | undefined): string | null {
  const t = value === undefined ? '' : tidyText(value);
  return t ? t : null;
}

/** Parse the body of a lead submission (the text after "报线索"). */
export function parseLeadFields(body: string): LeadParseResult {
  const text = stripInvisible(typeof body === 'string' ? body : '').trim();
  if (codePointLength(text, MAX_LEAD_BODY_CHARS) > MAX_LEAD_BODY_CHARS) {
    return {
      ok: false,
      missing: [],
      problems: [`报送内容超过${MAX_LEAD_BODY_CHARS}字，请精简后重新发送（项目内容可简要概括）`],
    };
  }

  const { fields, keysFound } = extractLeadFields(text);
  const missing: string[] = [];
  const problems: string[] = [];

  if (keysFound === 0 && text) {
    problems.push('未识别到“字段：内容”格式的信息，请参照示例填写');
  }

  // 企业
  const companyName = fields.company === undefined ? '' : tidyName(fields.company);
  // Stryker disable next-line StringLiteral: equivalent, an empty company name is reported missing and normalizedName is not read
  const normalizedName = companyName ? normalizeCompanyName(companyName) : '';
  if (!companyName) {
    missing.push(REQUIRED_FIELD_NAMES.company);
  } else if (/[:：]/.test(companyName)) {
    problems.push(`企业名称“${clip(companyName, ECHO_CHARS)}”中含有冒号，请检查字段名称是否填写正确`);
  } else if (codePointLength(companyName, MAX_COMPANY_NAME_CHARS) > MAX_COMPANY_NAME_CHARS) {
    problems.push(`企业名称过长（超过${MAX_COMPANY_NAME_CHARS}字），请填写企业全称`);
  } else if (!normalizedName) {
    problems.push(`企业名称“${clip(companyName, ECHO_CHARS)}”不完整，请填写企业全称`);
  }

  // 行业
  const industry = fields.industry === undefined ? '' : tidyText(fields.industry);
  if (!industry) missing.push(REQUIRED_FIELD_NAMES.industry);

  // 投资额
  const amountText = fields.amount === undefined ? '' : tidyText(fields.amount);
  const amount = amountText ? parseAmount(amountText) : null;
  if (!amountText) {
    missing.push(REQUIRED_FIELD_NAMES.amount);
  } else if (!amount) {
    problems.push(
      hasUnsupportedCurrency(amountText)
        ? `投资额“${clip(amountText, ECHO_CHARS)}”的币种暂不支持，请折算为人民币或美元填写，如“5亿元”或“3500万美元”`
        : `投资额“${clip(amountText, ECHO_CHARS)}”无法识别，请写成如“5亿元”或“3000万元”`,
    );
  }

  // 内容
  const content = fields.content === undefined ? '' : tidyText(fields.content);
  if (!content) missing.push(REQUIRED_FIELD_NAMES.content);

  // 联系人 (+ 电话)
  const contactRaw = [fields.contact, fields.phone].filter((v): v is string => !!v).join(' ');
  let contactName: string | null = null;
  let contactPhone: string | null = null;
  if (contactRaw.trim()) {
    const contact = splitContact(contactRaw);
    contactName = contact.name;
    contactPhone = contact.phone;
    if (contact.badDigits) {
      problems.push(
        `联系电话“${clip(contact.badDigits, ECHO_CHARS)}”无法识别，请填写11位手机号码或带区号的固定电话`,
      );
    }
  }

  // 统一社会信用代码
  let creditCode: string | null = null;
  if (fields.creditCode !== undefined) {
    const code = normalizeCreditCode(fields.creditCode);
    if (code) {
      if (isValidCreditCode(code)) {
        creditCode = code;
      } else if (code.length !== 18) {
        problems.push(`统一社会信用代码“${clip(code, ECHO_CHARS)}”应为18位，当前为${Array.from(code).length}位，请核对`);
      } else {
        problems.push(`统一社会信用代码“${code}”校验未通过，请核对后重新填写`);
      }
    }
  }

  const intendedArea = optional(fields.intendedArea);
  const originRegion = optional(fields.originRegion);

  if (missing.length > 0 || problems.length > 0 || !amount) {
    return { ok: false, missing, problems };
  }
  return {
    ok: true,
    lead: {
      companyName,
      normalizedName,
      industry,
      amount,
      contactName,
      contactPhone,
      content,
      intendedArea,
      creditCode,
      originRegion,
    },
  };
}
