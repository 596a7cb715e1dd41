/**
 * The first two steps of reading a lead report: cleaning the message (hostile and pasted
 * input) and splitting it into label values and the text outside any label ("leftovers").
 * See lead-report.ts for the whole procedure.
 */

import { LeadFieldKey } from './fields';
import { findLabels } from './report-labels';
import { CONTROL_CHARS_RE, halfWidthAlnum, stripInvisible } from './text';

/** Characters read from one message; the rest is ignored with a warning. */
export const MAX_READ_CHARS = 4000;

const HTML_TAG_RE = /<\/?[A-Za-z][^<>]{0,200}>/g;
const HTML_ENTITIES: Readonly<Record<string, string>> = { nbsp: ' ', lt: '<', gt: '>', amp: '&', quot: '"', '#39': "'" };
const HTML_ENTITY_RE = /&(nbsp|lt|gt|amp|quot|#39);/g;
const ANSI_ESCAPE_RE = /\u001b\[[0-9;?]*[A-Za-z]/g;
const LONE_SURROGATE_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** What officials write for "not known yet": the field stays missing (asked later), no problem. */
const PLACEHOLDER_RE = /^(?:待定|未定|暂定|待确定|不详|未知|暂无|无|没有|不清楚|tbd|n\/?a|[-—－_/／?？.。…]+)$/i;
const EDGES_RE = /^[\s;；,，。、|/:：]+|[\s;；,，。、|/:：]+$/g;
const LEADING_SEPARATORS_RE = /^[\s;；,，。、|/:：]*/;
/** The end of the company's or the industry's clause. A half-width comma only before Chinese (Acme Co., Ltd. keeps its). */
const CLAUSE_END_RE = /[，；;。]|,(?=\s*[\u4e00-\u9fff])/;
/** A legal form followed by a space: where a company value ends when unlabelled values follow it. */
const NAME_END_RE = /(公司|集团|合伙[)）]|合伙企业|事务所|研究院|合作社|ltd\.?|limited|inc\.?|gmbh|llc)(?=[ \t\u3000]+\S)/i;

/**
 * Control characters (NUL included), ANSI escapes and HTML tags become spaces; invisible
 * characters and lone surrogates go; HTML entities become their character; full-width digits
 * and letters become ASCII; at most MAX_READ_CHARS characters are kept (a warning says so).
 */
export function cleanReportText(text: unknown, warnings: string[]): string {
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

/** Separators and colons at both ends dropped. */
export function trimSeparators(text: string): string {
  return text.replace(EDGES_RE, '');
}

/** 待定, 不详, 无, "--": a value that says it is not known yet. */
export function isPlaceholder(text: string): boolean {
  return PLACEHOLDER_RE.test(text);
}

export interface LabelledParts {
  /** The value of each label; of a repeated label, the last non-empty one. */
  raw: Partial<Record<LeadFieldKey, string>>;
  /** Text outside any value, in message order. */
  leftovers: string[];
  labelCount: number;
}

/**
 * Split a cleaned message into label values and leftovers. A value runs to the next label;
 * everything but the content also ends at its line's end, and the company and the industry
 * at their clause's end (the company also after its legal form when more text follows).
 */
export function splitByLabels(s: string): LabelledParts {
  const labels = findLabels(s);
  const raw: Partial<Record<LeadFieldKey, string>> = {};
  const leftovers: string[] = [];
  const firstLabel = labels.length ? labels[0].index : s.length;
  if (firstLabel > 0) leftovers.push(s.slice(0, firstLabel));
  labels.forEach((label, i) => {
    const end = i + 1 < labels.length ? labels[i + 1].index : s.length;
    let value = s.slice(label.valueStart, end);
    // "行业：，储能": a stray separator after the colon is not the end of the clause (or line) before the value.
    value = value.slice((LEADING_SEPARATORS_RE.exec(value) as RegExpExecArray)[0].length);
    let cut = -1;
    if (label.field !== 'content') cut = value.indexOf('\n');
    if (label.field === 'company' || label.field === 'industry') {
      const clauseEnd = CLAUSE_END_RE.exec(value);
      // Stryker disable next-line EqualityOperator: equivalent, the value starts after its separators (cut is never 0) and a clause end is never a newline
      if (clauseEnd && (cut < 0 || clauseEnd.index < cut)) cut = clauseEnd.index;
    }
    if (label.field === 'company') {
      // "企业：星河有限公司 电子信息 5亿元 …": the name ends with its legal form.
      const nameEnd = NAME_END_RE.exec(value);
      // Stryker disable next-line EqualityOperator: equivalent, cut is never 0 (as above) and a legal form ends before a space, never at a newline or clause end
      if (nameEnd && (cut < 0 || nameEnd.index + nameEnd[1].length < cut)) cut = nameEnd.index + nameEnd[1].length;
    }
    if (cut >= 0) {
      leftovers.push(value.slice(cut));
      value = value.slice(0, cut);
    }
    value = trimSeparators(value);
    if (value && !isPlaceholder(value)) raw[label.field] = value;
  });
  return { raw, leftovers, labelCount: labels.length };
}

/** Blank out a span, keeping positions. */
export function mask(text: string, span: { index: number; length: number }): string {
  return text.slice(0, span.index) + ' '.repeat(span.length) + text.slice(span.index + span.length);
}
