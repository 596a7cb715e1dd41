/**
 * What one chat message says about a lead, read forgivingly: every field is optional, the
 * company name alone is enough to claim first contact, and bad values warn instead of blocking.
 *
 * This file is the contract between intake (the command router that asks for what is missing,
 * completes a pending lead and asks to confirm an unlabelled sentence) and the parser that
 * reads officials' phrasings. The provisional implementation below reads labelled
 * `key：value` text through extractLeadFields; the forgiving parser replaces it behind the
 * same signatures.
 */

import { LeadCurrency, parseAmount } from './amount';
import { normalizeCompanyName } from './company-name';
import { isValidCreditCode, normalizeCreditCode } from './credit-code';
import { extractLeadFields, splitContact } from './lead-fields';
import { stripInvisible, tidyName, tidyText } from './text';

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

/** Provisional reader of labelled text; replaced by the forgiving parser. */
export function readLeadReport(text: string, opts: ReadOptions): LeadReport {
  const body = stripInvisible(typeof text === 'string' ? text : '').trim();
  const { fields } = extractLeadFields(body);
  const warnings: string[] = [];
  const problems: string[] = [];
  const companyName = fields.company ? tidyName(fields.company) : null;
  const normalizedName = companyName ? normalizeCompanyName(companyName) || null : null;
  let amount: AmountReading | null = null;
  if (fields.amount) {
    const a = parseAmount(tidyText(fields.amount));
    if (a) {
      const cny = a.currency === 'USD' ? a.amountWan * opts.usdToCnyRate : a.amountWan;
      amount = { amountWanCny: cny, minWan: a.amountWan, maxWan: a.amountWan, currency: a.currency, approximate: false, original: a.display };
    } else problems.push(`投资额“${tidyText(fields.amount)}”无法识别，请写成如“5亿元”或“3000万元”`);
  }
  const contactRaw = [fields.contact, fields.phone].filter((v): v is string => !!v).join(' ');
  const contact = contactRaw ? splitContact(contactRaw) : { name: null, phone: null, badDigits: null };
  if (contact.badDigits) warnings.push(`联系电话“${contact.badDigits}”格式异常，请核实`);
  let creditCode: string | null = null;
  if (fields.creditCode) {
    creditCode = normalizeCreditCode(fields.creditCode) || null;
    if (creditCode && !isValidCreditCode(creditCode)) warnings.push(`统一社会信用代码“${creditCode}”校验未通过，请核实`);
  }
  const opt = (v: string | undefined) => (v ? tidyText(v) || null : null);
  return {
    companyName,
    normalizedName,
    industry: opt(fields.industry),
    amount,
    contactName: contact.name,
    contactPhone: contact.phone,
    content: opt(fields.content),
    creditCode,
    intendedArea: opt(fields.intendedArea),
    originRegion: opt(fields.originRegion),
    warnings,
    problems,
    labelled: true,
  };
}
