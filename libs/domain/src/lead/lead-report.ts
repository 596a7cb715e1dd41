/**
 * What one chat message says about a lead, read forgivingly: every field is optional, the
 * company name alone is enough to claim first contact, and bad values warn instead of blocking.
 *
 * This file is the contract between intake (the command router that asks for what is missing,
 * completes a pending lead and asks to confirm an unlabelled sentence) and the parser that
 * reads officials' phrasings (docs/lead-report-parsing.md, ADR 0014).
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
 * Steps 1–2 are report-text.ts, steps 3–4 the field readers of report-fields.ts.
 */

import { LeadCurrency } from './amount';
import {
  MAX_REPORT_COMPANY_CHARS,
  MAX_REPORT_CONTENT_CHARS,
  readAmountField,
  readCompanyField,
  readContactFields,
  readContentField,
  readCreditCodeField,
  Reading,
} from './report-fields';
import { findLabels } from './report-labels';
import { cleanReportText, isPlaceholder, MAX_READ_CHARS, splitByLabels, trimSeparators } from './report-text';
import { tidyText } from './text';

export { MAX_READ_CHARS, MAX_REPORT_COMPANY_CHARS, MAX_REPORT_CONTENT_CHARS };

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

/** Read one chat message (or a completion reply) into a lead report. Never throws. */
export function readLeadReport(text: string, opts: ReadOptions): LeadReport {
  const warnings: string[] = [];
  const { raw, leftovers, labelCount } = splitByLabels(cleanReportText(text, warnings));
  const free = leftovers.join('\n');
  const rd: Reading = { raw, free, freeOriginal: free, opts, inferred: [], warnings, problems: [] };

  const company = readCompanyField(rd);
  const creditCode = readCreditCodeField(rd);
  const { contactName, contactPhone } = readContactFields(rd);
  const amount = readAmountField(rd);
  const content = readContentField(rd, amount, company.span);

  const optional = (v: string | undefined) => (v ? tidyText(v) || null : null);
  const inferredFields = [...new Set(rd.inferred)];
  return {
    companyName: company.companyName,
    normalizedName: company.normalizedName,
    industry: optional(raw.industry),
    amount: amount.amount,
    contactName,
    contactPhone,
    content,
    creditCode,
    intendedArea: optional(raw.intendedArea),
    originRegion: optional(raw.originRegion),
    warnings,
    problems: rd.problems,
    labelled: inferredFields.length === 0 && (labelCount > 0 || company.bareLine),
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
  // Stryker disable next-line ArrayDeclaration: equivalent, the warnings of this second cleaning are discarded (readLeadReport keeps its own)
  const cleaned = cleanReportText(text, []);
  const unlabelledReply = findLabels(cleaned).length === 0;
  if (unlabelledReply && asked.length === 1 && (asked[0] === 'industry' || asked[0] === 'content')) {
    const nothingElse =
      !r.companyName && !r.amount && !r.contactName && !r.contactPhone && !r.creditCode && r.problems.length === 0;
    const whole = trimSeparators(tidyText(cleaned));
    if (nothingElse && whole && !isPlaceholder(whole)) {
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
