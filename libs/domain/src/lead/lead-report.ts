/**
 * What one chat message says about a lead, read forgivingly: every field is optional, the
 * company name alone is enough to claim first contact, and bad values warn instead of blocking.
 *
 * This file is the contract between intake (the command router that asks for what is missing,
 * completes a pending lead and asks to confirm an unlabelled sentence) and the parser that
 * reads officials' phrasings (docs/lead-report-parsing.md, ADR 0011).
 *
 * How a message is read, in order:
 *  1. Cleaned: control characters (NUL included), ANSI escapes and HTML tags become spaces;
 *     invisible characters and lone surrogates go; HTML entities become their character;
 *     full-width digits and letters become ASCII; at most {@link MAX_READ_CHARS} characters
 *     are read (a warning says so).
 *  2. Labels are found with or without a colon (report-labels.ts); each value runs to the next
 *     label. Values other than 内容 end at the line's end; the company and the industry also
 *     end at the clause's end (，；。). A repeated label: the last non-empty value wins.
 *  3. Text outside any value ("leftovers") is read as a plain sentence (free-text.ts) for
 *     the fields no label gave: company by its organisation suffix, phone, contact before the
 *     phone or with a title, amount with 万/亿, credit code, content. Each such field is
 *     listed in `inferredFields`, and `labelled` is false: intake asks the official to 确认.
 *     A line that is nothing but a company name counts as labelled (nothing to confirm).
 *  4. Values are judged: the amount by amount-reading.ts (absurd → problem, asked again), the
 *     phone by phone-reading.ts and the credit code by its check digit (→ warning, kept as
 *     given).
 */

import { normalizeCompanyName } from './company-name';
import { LeadCurrency } from './amount';
import { findAmountInText, readAmount } from './amount-reading';
import { isValidCreditCode, normalizeCreditCode } from './credit-code';
import { LeadFieldKey } from './fields';
import {
  findCompanyInText,
  findContactBeforePhone,
  findContentInText,
  findCreditCodeInText,
  findTitledPerson,
  describedProject,
  isBareCompanyLine,
  TextSpan,
} from './free-text';
import { findPhone } from './phone-reading';
import { findLabels } from './report-labels';
import { clip, CONTROL_CHARS_RE, halfWidthAlnum, stripInvisible, tidyName, tidyText } from './text';

/** An investment amount as read. All figures in 万 of the original currency unless named CNY. */
export interface AmountReading {
  /** The figure used for tiering, in 万元 (CNY): the midpoint of a range, converted from USD at the profile's rate. */
  amountWanCny: number;
  /** Lower and upper end in 万 of `currency` (equal unless a range such as "1-2亿" was given). */
  minWan: number;
  maxWan: number;
  currency: LeadCurrency;
  /** "约2亿", "2亿左右": the official gave an estimate. */
  approximate: boolean;
  /** As typed, tidied. */
  original: string;
}

/** The fields intake can ask for, by key; `LEAD_REPORT_FIELD_NAMES` gives their Chinese names. */
export type ReportFieldKey = 'company' | 'industry' | 'amount' | 'contact' | 'content';

export const LEAD_REPORT_FIELD_NAMES: Readonly<Record<ReportFieldKey, string>> = {
  company: '企业名称',
  industry: '行业',
  amount: '投资额',
  contact: '联系人及电话',
  content: '项目内容',
};

export interface LeadReport {
  companyName: string | null;
  /** Registry key of the company name (normalizeCompanyName), null without a usable name. */
  normalizedName: string | null;
  industry: string | null;
  amount: AmountReading | null;
  contactName: string | null;
  contactPhone: string | null;
  content: string | null;
  creditCode: string | null;
  intendedArea: string | null;
  originRegion: string | null;
  /** Non-blocking remarks in Chinese, shown in the reply (bad USCC check digit, odd phone, landline, HK number...). */
  warnings: string[];
  /** Values that must be given again, in Chinese (absurd amount, unreadable amount...). The rest of the report stands. */
  problems: string[];
  /** False when the fields were understood from a plain sentence without labels: intake asks the official to 确认. */
  labelled: boolean;
  /** The fields read from text outside any label (a guess to confirm); empty when labelled. */
  inferredFields: ReportFieldKey[];
}

export interface ReadOptions {
  /** CNY per USD, from the city profile (usdToCnyRate). */
  usdToCnyRate: number;
}

/** Fields intake should still ask for. The company first: without it nothing can be claimed. */
export function missingReportFields(r: LeadReport): ReportFieldKey[] {
  const missing: ReportFieldKey[] = [];
  if (!r.normalizedName) missing.push('company');
  if (!r.industry) missing.push('industry');
  if (!r.amount) missing.push('amount');
  if (!r.contactName && !r.contactPhone) missing.push('contact');
  if (!r.content) missing.push('content');
  return missing;
}

/** Characters read from one message; the rest is ignored with a warning. */
export const MAX_READ_CHARS = 4000;
/** Longest company name kept; a longer one is asked again. */
export const MAX_REPORT_COMPANY_CHARS = 100;
/** Longest content kept; the rest is cut with a warning. */
export const MAX_REPORT_CONTENT_CHARS = 1000;

const HTML_TAG_RE = /<\/?[A-Za-z][^<>]{0,200}>/g;
const HTML_ENTITIES: Readonly<Record<string, string>> = { nbsp: ' ', lt: '<', gt: '>', amp: '&', quot: '"', '#39': "'" };
const HTML_ENTITY_RE = /&(nbsp|lt|gt|amp|quot|#39);/g;
const EMOJI_RE = /[\p{Extended_Pictographic}\u{1F1E6}-\u{1F1FF}\u{1F3FB}-\u{1F3FF}\uFE0E\uFE0F\u20E3]/gu;
const ANSI_ESCAPE_RE = /\u001b\[[0-9;?]*[A-Za-z]/g;
const LONE_SURROGATE_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** What officials write for "not known yet": the field stays missing (asked later), no problem. */
const PLACEHOLDER_RE = /^(?:待定|未定|暂定|待确定|不详|未知|暂无|无|没有|不清楚|tbd|n\/?a|[-—－_/／?？.。…]+)$/i;
const EDGES_RE = /^[\s;；,，。、|/:：]+|[\s;；,，。、|/:：]+$/g;
/** The end of the company's or the industry's clause. A half-width comma only before Chinese (Acme Co., Ltd. keeps its). */
const CLAUSE_END_RE = /[，；;。]|,(?=\s*[\u4e00-\u9fff])/;
/** A legal form followed by a space: where a company value ends when unlabelled values follow it. */
const NAME_END_RE = /(公司|集团|合伙[)）]|合伙企业|事务所|研究院|合作社|ltd\.?|limited|inc\.?|gmbh|llc)(?=[ \t\u3000]+\S)/i;
const PHONE_WORDS_RE = /(?:联系电话|电话号码|电话|手机号码|手机号|手机|座机|tel|phone|mobile)\s*[:：]?/gi;

function clean(text: unknown, warnings: string[]): string {
  let s = typeof text === 'string' ? text : '';
  s = s
    .replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n')
    .replace(ANSI_ESCAPE_RE, ' ')
    .replace(LONE_SURROGATE_RE, '');
  s = stripInvisible(s)
    .replace(CONTROL_CHARS_RE, ' ')
    .replace(HTML_ENTITY_RE, (_, name: string) => HTML_ENTITIES[name])
    .replace(HTML_TAG_RE, ' ');
  const chars = Array.from(s);
  if (chars.length > MAX_READ_CHARS) {
    s = chars.slice(0, MAX_READ_CHARS).join('');
    warnings.push(`消息超过${MAX_READ_CHARS}字，只读取了前${MAX_READ_CHARS}字，请精简后补充`);
  }
  return halfWidthAlnum(s).trim();
}

/** Split the message into label values and leftovers. */
function splitByLabels(s: string): { raw: Partial<Record<LeadFieldKey, string>>; leftovers: string[]; labelCount: number } {
  const labels = findLabels(s);
  const raw: Partial<Record<LeadFieldKey, string>> = {};
  /** Text outside any value, in message order. */
  const leftovers: string[] = [];
  const firstLabel = labels.length ? labels[0].index : s.length;
  if (firstLabel > 0) leftovers.push(s.slice(0, firstLabel));
  labels.forEach((label, i) => {
    const end = i + 1 < labels.length ? labels[i + 1].index : s.length;
    let value = s.slice(label.valueStart, end);
    let cut = -1;
    if (label.field !== 'content') cut = value.indexOf('\n');
    if (label.field === 'company' || label.field === 'industry') {
      const clauseEnd = CLAUSE_END_RE.exec(value);
      if (clauseEnd && (cut < 0 || clauseEnd.index < cut)) cut = clauseEnd.index;
    }
    if (label.field === 'company') {
      // "企业：星河有限公司 电子信息 5亿元 …": the name ends with its legal form.
      const nameEnd = NAME_END_RE.exec(value);
      if (nameEnd && (cut < 0 || nameEnd.index + nameEnd[1].length < cut)) cut = nameEnd.index + nameEnd[1].length;
    }
    if (cut >= 0) {
      leftovers.push(value.slice(cut));
      value = value.slice(0, cut);
    }
    value = value.replace(EDGES_RE, '');
    if (value && !PLACEHOLDER_RE.test(value)) raw[label.field] = value;
  });
  return { raw, leftovers, labelCount: labels.length };
}

/** Blank out a span, keeping positions. */
function mask(text: string, span: { index: number; length: number }): string {
  return text.slice(0, span.index) + ' '.repeat(span.length) + text.slice(span.index + span.length);
}

function contactNameOf(text: string): string | null {
  const name = tidyText(text.replace(PHONE_WORDS_RE, ' ').replace(/[(（]\s*[)）]/g, ' '))
    .replace(EDGES_RE, '')
    .replace(/^(?:是|为)(?=\S{2})/, '');
  return name || null;
}

function creditCodeWarning(code: string): string | null {
  if (isValidCreditCode(code)) return null;
  const length = Array.from(code).length;
  return length !== 18
    ? `统一社会信用代码“${clip(code, 24)}”为${length}位（应为18位），已按原样记录，请核实`
    : `统一社会信用代码“${code}”校验位不符，已按原样记录，请核实`;
}

/** Read one chat message (or a completion reply) into a lead report. Never throws. */
export function readLeadReport(text: string, opts: ReadOptions): LeadReport {
  const warnings: string[] = [];
  const problems: string[] = [];
  const inferred: ReportFieldKey[] = [];
  const s = clean(text, warnings);
  const { raw, leftovers, labelCount } = splitByLabels(s);
  // Leftovers as one text, pieces on their own lines, so positions are shared by every finder.
  let free = leftovers.join('\n');
  const freeOriginal = free;
  let bareCompany = false;

  // 企业
  let companyName: string | null = raw.company ? tidyName(raw.company) : null;
  let companySpan: TextSpan | null = null;
  if (!companyName) {
    companySpan = findCompanyInText(free);
    if (companySpan) {
      companyName = tidyName(companySpan.value);
      const lineStart = free.lastIndexOf('\n', companySpan.index) + 1;
      const lineEnd = free.indexOf('\n', companySpan.index);
      const line = free.slice(lineStart, lineEnd < 0 ? free.length : lineEnd);
      if (isBareCompanyLine(line, companySpan.value)) bareCompany = true;
      else inferred.push('company');
      free = mask(free, companySpan);
      const another = findCompanyInText(free);
      if (another && normalizeCompanyName(another.value) !== normalizeCompanyName(companySpan.value)) {
        warnings.push(`消息中有多家企业，已按第一家“${clip(companyName, 30)}”读取；“${clip(another.value, 30)}”请另行报送`);
        free = mask(free, another);
      }
    }
  }
  let normalizedName: string | null = null;
  if (companyName) {
    if (Array.from(companyName).length > MAX_REPORT_COMPANY_CHARS) {
      problems.push(`企业名称过长（超过${MAX_REPORT_COMPANY_CHARS}字），请填写企业全称`);
      companyName = null;
    } else {
      normalizedName = normalizeCompanyName(companyName) || null;
      if (!normalizedName) problems.push(`企业名称“${clip(companyName, 20)}”不完整，请填写企业全称`);
    }
  }

  // 统一社会信用代码
  let creditCode: string | null = null;
  if (raw.creditCode) {
    creditCode = normalizeCreditCode(raw.creditCode) || null;
  } else {
    const found = findCreditCodeInText(free);
    if (found) {
      creditCode = normalizeCreditCode(found.value);
      // An 18-character code with digits in place is unmistakable: no need to confirm it.
      free = mask(free, found);
    }
  }
  if (creditCode) {
    const w = creditCodeWarning(creditCode);
    if (w) warnings.push(w);
  }

  // 联系人 / 电话
  let contactName: string | null = null;
  let contactPhone: string | null = null;
  // Emoji say nothing about a person or a number ("138😀0000😀1111").
  const contactRaw = [raw.contact, raw.phone]
    .filter((v): v is string => !!v)
    .join(' ')
    .replace(EMOJI_RE, '');
  if (contactRaw) {
    const phone = findPhone(contactRaw);
    let rest = contactRaw;
    if (phone) {
      contactPhone = phone.phone;
      if (phone.warning) warnings.push(phone.warning);
      rest = mask(contactRaw, phone);
    } else {
      // "电话：12345": no number we know, still the official's; kept as typed, with a warning.
      const digits = /\+?\d[\d\s-]*\d/.exec(contactRaw);
      if (digits && digits[0].replace(/\D/g, '').length >= 3) {
        contactPhone = digits[0];
        warnings.push(`联系电话“${clip(digits[0], 20)}”无法识别，已按原样记录，请核实`);
        rest = mask(contactRaw, { index: digits.index, length: digits[0].length });
      }
    }
    contactName = contactNameOf(rest);
  }
  if (!contactPhone) {
    const phone = findPhone(free, false);
    if (phone) {
      contactPhone = phone.phone;
      if (phone.warning) warnings.push(phone.warning);
      if (!contactName) contactName = findContactBeforePhone(free.slice(0, phone.index));
      free = mask(free, phone);
      inferred.push('contact');
    }
  }
  if (!contactName && !contactPhone) {
    const person = findTitledPerson(free);
    if (person) {
      contactName = person;
      inferred.push('contact');
    }
  }

  // 投资额
  let amount: AmountReading | null = null;
  let amountEnd = -1;
  let describedAfterAmount: string | null = null;
  if (raw.amount) {
    const whole = readAmount(raw.amount, opts.usdToCnyRate);
    if (whole.kind === 'amount') amount = whole.reading;
    else {
      const inside = findAmountInText(raw.amount, opts.usdToCnyRate);
      if (inside && inside.outcome.kind === 'amount' && whole.reason === 'unreadable') {
        amount = inside.outcome.reading;
        // "投资5亿元建设选矿厂": what follows the figure says what is built.
        if (!raw.content) describedAfterAmount = describedProject(raw.amount.slice(inside.index + inside.length));
      } else problems.push(inside && inside.outcome.kind === 'problem' ? inside.outcome.problem : whole.problem);
    }
  } else {
    const found = findAmountInText(free, opts.usdToCnyRate);
    if (found) {
      amountEnd = found.index + found.length;
      inferred.push('amount');
      if (found.outcome.kind === 'amount') amount = found.outcome.reading;
      else problems.push(found.outcome.problem);
    }
  }

  // 内容
  let content: string | null = raw.content ? tidyText(raw.content) || null : null;
  if (!content) {
    const found = describedAfterAmount ?? findContentInText(freeOriginal, amountEnd, companySpan);
    if (found) {
      content = tidyText(found);
      inferred.push('content');
    }
  }
  if (content && Array.from(content).length > MAX_REPORT_CONTENT_CHARS) {
    content = Array.from(content).slice(0, MAX_REPORT_CONTENT_CHARS).join('');
    warnings.push(`项目内容超过${MAX_REPORT_CONTENT_CHARS}字，只记录了前${MAX_REPORT_CONTENT_CHARS}字`);
  }

  const opt = (v: string | undefined) => (v ? tidyText(v) || null : null);
  const inferredFields = [...new Set(inferred)];
  return {
    companyName,
    normalizedName,
    industry: opt(raw.industry),
    amount,
    contactName,
    contactPhone,
    content,
    creditCode,
    intendedArea: opt(raw.intendedArea),
    originRegion: opt(raw.originRegion),
    warnings,
    problems,
    labelled: inferredFields.length === 0 && (labelCount > 0 || bareCompany),
    inferredFields,
  };
}

/**
 * The official's answer to "请补充：…" for a pending lead. Read like any report; in addition:
 *  - a reply without labels that answers a single asked free-text field (行业 or 项目内容) is
 *    that field, whole ("新能源汽车零部件");
 *  - fields understood without labels are not guesses when they were asked for ("3亿 李总
 *    13800002222" after 投资额 and 联系人 were asked): the reply counts as labelled. A company
 *    understood from a sentence still needs 确认 unless it was asked for.
 */
export function readCompletionReply(text: string, asked: readonly ReportFieldKey[], opts: ReadOptions): LeadReport {
  const r = readLeadReport(text, opts);
  const unlabelledReply = findLabels(clean(text, [])).length === 0;
  if (unlabelledReply && asked.length === 1 && (asked[0] === 'industry' || asked[0] === 'content')) {
    const nothingElse =
      !r.companyName && !r.amount && !r.contactName && !r.contactPhone && !r.creditCode && r.problems.length === 0;
    const whole = tidyText(clean(text, [])).replace(EDGES_RE, '');
    if (nothingElse && whole && !PLACEHOLDER_RE.test(whole)) {
      const value = Array.from(whole).slice(0, MAX_REPORT_CONTENT_CHARS).join('');
      return {
        ...r,
        industry: asked[0] === 'industry' ? value : r.industry,
        content: asked[0] === 'content' ? value : null,
        labelled: true,
        inferredFields: [],
      };
    }
  }
  if (r.inferredFields.length > 0 && r.inferredFields.every((f) => asked.includes(f))) {
    return { ...r, labelled: true, inferredFields: [] };
  }
  return r;
}
