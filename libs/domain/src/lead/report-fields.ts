/**
 * The field readers of a lead report, one per field. Each takes a label's value when there is
 * one, otherwise looks in the text outside labels (and then lists the field as inferred), and
 * reports warnings (kept, verify) and problems (asked again). Used by readLeadReport in order:
 * company, credit code, contact, amount, content; each blanks out in `free` what it took.
 */

import { findAmountInText, readAmount } from './amount-reading';
import { normalizeCompanyName } from './company-name';
import { isValidCreditCode, normalizeCreditCode } from './credit-code';
import { LeadFieldKey } from './fields';
import {
  describedProject,
  findCompanyInText,
  findContactBeforePhone,
  findContentInText,
  findCreditCodeInText,
  findTitledPerson,
  isBareCompanyLine,
  TextSpan,
} from './free-text';
import type { AmountReading, ReadOptions, ReportFieldKey } from './lead-report';
import { findPhone } from './phone-reading';
import { mask, trimSeparators } from './report-text';
import { clip, tidyName, tidyText } from './text';

/** Longest company name kept; a longer one is asked again. */
export const MAX_REPORT_COMPANY_CHARS = 100;
/** Longest content kept; the rest is cut with a warning. */
export const MAX_REPORT_CONTENT_CHARS = 1000;

const EMOJI_RE = /[\p{Extended_Pictographic}\u{1F1E6}-\u{1F1FF}\u{1F3FB}-\u{1F3FF}\uFE0E\uFE0F\u20E3]/gu;
const PHONE_WORDS_RE = /(?:联系电话|电话号码|电话|手机号码|手机号|手机|座机|tel|phone|mobile)\s*[:：]?/gi;

/** What the field readers share while one message is read. */
export interface Reading {
  raw: Partial<Record<LeadFieldKey, string>>;
  /** The leftovers on their own lines; what a reader takes is blanked out, positions kept. */
  free: string;
  /** The leftovers as they were, for the content (read from whole clauses). */
  readonly freeOriginal: string;
  readonly opts: ReadOptions;
  inferred: ReportFieldKey[];
  warnings: string[];
  problems: string[];
}

export interface CompanyRead {
  companyName: string | null;
  normalizedName: string | null;
  /** Where the name was found outside labels, for the content reader. */
  span: TextSpan | null;
  /** The message had a line that was nothing but the name: no label, and yet not a guess. */
  bareLine: boolean;
}

export function readCompanyField(rd: Reading): CompanyRead {
  let companyName: string | null = rd.raw.company ? tidyName(rd.raw.company) : null;
  let span: TextSpan | null = null;
  let bareLine = false;
  if (!companyName) {
    span = findCompanyInText(rd.free);
    if (span) {
      companyName = tidyName(span.value);
      const lineStart = rd.free.lastIndexOf('\n', span.index) + 1;
      const lineEnd = rd.free.indexOf('\n', span.index);
      const line = rd.free.slice(lineStart, lineEnd < 0 ? rd.free.length : lineEnd);
      if (isBareCompanyLine(line, span.value)) bareLine = true;
      else rd.inferred.push('company');
      rd.free = mask(rd.free, span);
      const another = findCompanyInText(rd.free);
      if (another && normalizeCompanyName(another.value) !== normalizeCompanyName(span.value)) {
        rd.warnings.push(`消息中有多家企业，已按第一家“${clip(companyName, 30)}”读取；“${clip(another.value, 30)}”请另行报送`);
        rd.free = mask(rd.free, another);
      }
    }
  }
  let normalizedName: string | null = null;
  if (companyName) {
    if (Array.from(companyName).length > MAX_REPORT_COMPANY_CHARS) {
      rd.problems.push(`企业名称过长（超过${MAX_REPORT_COMPANY_CHARS}字），请填写企业全称`);
      companyName = null;
    } else {
      normalizedName = normalizeCompanyName(companyName) || null;
      if (!normalizedName) rd.problems.push(`企业名称“${clip(companyName, 20)}”不完整，请填写企业全称`);
    }
  }
  return { companyName, normalizedName, span, bareLine };
}

/** The credit code, labelled or an unmistakable 18-character code anywhere (not a guess). */
export function readCreditCodeField(rd: Reading): string | null {
  let code: string | null = null;
  if (rd.raw.creditCode) {
    code = normalizeCreditCode(rd.raw.creditCode) || null;
  } else {
    const found = findCreditCodeInText(rd.free);
    if (found) {
      code = normalizeCreditCode(found.value);
      rd.free = mask(rd.free, found);
    }
  }
  if (code && !isValidCreditCode(code)) {
    const length = Array.from(code).length;
    rd.warnings.push(
      length !== 18
        ? `统一社会信用代码“${clip(code, 24)}”为${length}位（应为18位），已按原样记录，请核实`
        : `统一社会信用代码“${code}”校验位不符，已按原样记录，请核实`,
    );
  }
  return code;
}

function contactNameOf(text: string): string | null {
  const name = trimSeparators(tidyText(text.replace(PHONE_WORDS_RE, ' ').replace(/[(（]\s*[)）]/g, ' '))).replace(
    /^(?:是|为)(?=\S{2})/,
    '',
  );
  return name || null;
}

export function readContactFields(rd: Reading): { contactName: string | null; contactPhone: string | null } {
  let contactName: string | null = null;
  let contactPhone: string | null = null;
  // Emoji say nothing about a person or a number ("138😀0000😀1111").
  const labelled = [rd.raw.contact, rd.raw.phone]
    .filter((v): v is string => !!v)
    .join(' ')
    .replace(EMOJI_RE, '');
  if (labelled) {
    const phone = findPhone(labelled);
    let rest = labelled;
    if (phone) {
      contactPhone = phone.phone;
      if (phone.warning) rd.warnings.push(phone.warning);
      rest = mask(labelled, phone);
    } else {
      // "电话：12345": no number we know, still the official's; kept as typed, with a warning.
      const digits = /\+?\d[\d\s-]*\d/.exec(labelled);
      if (digits && digits[0].replace(/\D/g, '').length >= 3) {
        contactPhone = digits[0];
        rd.warnings.push(`联系电话“${clip(digits[0], 20)}”无法识别，已按原样记录，请核实`);
        rest = mask(labelled, { index: digits.index, length: digits[0].length });
      }
    }
    contactName = contactNameOf(rest);
  }
  if (!contactPhone) {
    const phone = findPhone(rd.free, false);
    if (phone) {
      contactPhone = phone.phone;
      if (phone.warning) rd.warnings.push(phone.warning);
      if (!contactName) contactName = findContactBeforePhone(rd.free.slice(0, phone.index));
      rd.free = mask(rd.free, phone);
      rd.inferred.push('contact');
    }
  }
  if (!contactName && !contactPhone) {
    const person = findTitledPerson(rd.free);
    if (person) {
      contactName = person;
      rd.inferred.push('contact');
    }
  }
  return { contactName, contactPhone };
}

export interface AmountRead {
  amount: AmountReading | null;
  /** Where a sentence's amount ends in `freeOriginal`, -1 when it came from a label. */
  endInFree: number;
  /** "投资5亿元建设选矿厂": the description after a labelled amount. */
  describedAfter: string | null;
}

export function readAmountField(rd: Reading): AmountRead {
  const rate = rd.opts.usdToCnyRate;
  if (rd.raw.amount) {
    const whole = readAmount(rd.raw.amount, rate);
    if (whole.kind === 'amount') return { amount: whole.reading, endInFree: -1, describedAfter: null };
    const inside = findAmountInText(rd.raw.amount, rate);
    if (inside && inside.outcome.kind === 'amount' && whole.reason === 'unreadable') {
      const after = rd.raw.content ? null : describedProject(rd.raw.amount.slice(inside.index + inside.length));
      return { amount: inside.outcome.reading, endInFree: -1, describedAfter: after };
    }
    rd.problems.push(inside && inside.outcome.kind === 'problem' ? inside.outcome.problem : whole.problem);
    return { amount: null, endInFree: -1, describedAfter: null };
  }
  const found = findAmountInText(rd.free, rate);
  if (!found) return { amount: null, endInFree: -1, describedAfter: null };
  rd.inferred.push('amount');
  if (found.outcome.kind === 'problem') rd.problems.push(found.outcome.problem);
  return {
    amount: found.outcome.kind === 'amount' ? found.outcome.reading : null,
    endInFree: found.index + found.length,
    describedAfter: null,
  };
}

export function readContentField(rd: Reading, amount: AmountRead, companySpan: TextSpan | null): string | null {
  let content: string | null = rd.raw.content ? tidyText(rd.raw.content) || null : null;
  if (!content) {
    const found = amount.describedAfter ?? findContentInText(rd.freeOriginal, amount.endInFree, companySpan);
    if (found) {
      content = tidyText(found);
      rd.inferred.push('content');
    }
  }
  if (content && Array.from(content).length > MAX_REPORT_CONTENT_CHARS) {
    content = Array.from(content).slice(0, MAX_REPORT_CONTENT_CHARS).join('');
    rd.warnings.push(`项目内容超过${MAX_REPORT_CONTENT_CHARS}字，只记录了前${MAX_REPORT_CONTENT_CHARS}字`);
  }
  return content;
}
