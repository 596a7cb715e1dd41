/**
 * Finding the labels in a lead report, with or without a colon.
 *
 * A label is one of the aliases of {@link LEAD_FIELD_ALIASES} at the start of the text or
 * right after a separator (whitespace, newline, ，,；;。、|/). With a colon (full- or half-width)
 * it always counts. Without one ("投资额3亿 联系人李总 13800002222") it is "glued" to its value
 * and counts only when the table below allows that alias to be glued, the text after it looks
 * like that field's value, and the separator before it is strong enough:
 *  - after the start, a newline, whitespace or ；; every gluable label counts;
 *  - after ，,。、 (inside a sentence) only the unmistakable ones count: an amount label followed by
 *    a figure, a contact label (联系人/对接人), a phone label followed by digits; inside the value
 *    of a content label only a phone or a person with a phone (项目内容：…，投资5亿元用于… stays
 *    content, …，联系人王总13800001111 does not).
 *
 * The table is the rule; the scanner has no field-specific code besides the value checks.
 */

import { ALIAS_PATTERN, fieldOfAlias, LeadFieldKey } from './fields';

interface GlueRule {
  /** The value right after the label (its next 64 characters) must match this for the glued label to count. */
  valueStart: RegExp;
  /** May the glued label follow a comma inside a sentence? */
  inSentence: boolean;
  /** Inside a content value, after a comma, the label counts only if this matches what follows. */
  inContent?: RegExp;
}

const AMOUNT_START = /^(?:[0-9０-９.一二两三四五六七八九十壹贰叁肆伍陆柒捌玖拾]|约|大约|近|超|逾|人民币|美元|rmb|usd|us\$|\$|¥|￥|-|负|零)/i;
const NAME_START = /^[^\s\d,，;；:：。、|/!！?？]/;
const DIGIT_START = /^[+(（]?[0-9０-９]/;
/** "…，联系人王总13800001111" closes a content value: a person, then a number. */
const PERSON_THEN_PHONE = /^[^\s\d,，;；。]{1,8}[\s:：,，]?(?:\+?86)?1[3-9]\d{9}/;
const PHONE_NUMBER = /^[+(（]?\d[\d\s-]{6,}/;
/** A glued company label must be followed by a name with a legal form (not 企业家座谈会). */
const COMPANY_VALUE = /^(?![家主界的是在和与了]|代表|负责人|老板|名单|座谈)[^\s,，;；。了]{0,60}?(?:公司|集团|合伙|企业|事务所|研究院|合作社|厂|ltd|inc|co\.|gmbh|llc)/i;
/** A glued industry label must be followed by a short value (not 行业协会会长来我县考察…). */
const INDUSTRY_VALUE = /^(?!协会|商会|主管|部门|龙头|领军|内|中|里|上|的|是|发展|整体|政策|资讯|会议|人士|专家)[^\s\d,，;；:：。、|/!！?？][^\s,，;；。]{0,19}(?:$|[\s,，;；。])/;

/** Which aliases may be written without a colon, and what must follow them. */
const GLUED: ReadonlyMap<string, GlueRule> = new Map<string, GlueRule>([
  ...['企业名称', '企业全称', '企业名', '公司名称', '公司全称', '投资方', '投资主体', '投资企业', '客商', '客商名称', '企业', '公司'].map(
    (a) => [a, { valueStart: COMPANY_VALUE, inSentence: false }] as [string, GlueRule],
  ),
  ...['行业', '产业', '产业链', '所属行业', '所属产业', '所属产业链'].map(
    (a) => [a, { valueStart: INDUSTRY_VALUE, inSentence: false }] as [string, GlueRule],
  ),
  ...['投资额', '投资', '计划投资', '拟投资', '计划投资额', '拟投资额', '投资金额', '投资规模', '总投资', '计划总投资', '总投资额', '投资总额', '项目总投资'].map(
    (a) => [a, { valueStart: AMOUNT_START, inSentence: true }] as [string, GlueRule],
  ),
  ...['联系人', '对接人', '企业联系人', '项目联系人', '对接联系人'].map(
    (a) => [a, { valueStart: NAME_START, inSentence: true, inContent: PERSON_THEN_PHONE }] as [string, GlueRule],
  ),
  ...['联系方式', '联系电话', '电话', '电话号码', '手机', '手机号', '手机号码', '联系人电话', '联系人手机'].map(
    (a) => [a, { valueStart: DIGIT_START, inSentence: true, inContent: PHONE_NUMBER }] as [string, GlueRule],
  ),
  ...['内容', '项目内容', '项目简介', '简介', '项目情况', '项目概况', '建设内容', '主要建设内容'].map(
    (a) => [a, { valueStart: NAME_START, inSentence: false }] as [string, GlueRule],
  ),
  ...['统一社会信用代码', '信用代码', '社会信用代码'].map(
    (a) => [a, { valueStart: /^[0-9A-Za-z０-９Ａ-Ｚａ-ｚ]/, inSentence: false }] as [string, GlueRule],
  ),
]);

const STRONG_BEFORE = /[\s;；]/;
const CANDIDATE_RE = new RegExp(`(?<=^|[\\s;；,，。、|/])(${ALIAS_PATTERN})(\\s*[:：]\\s*)?`, 'g');

export interface FoundLabel {
  field: LeadFieldKey;
  alias: string;
  /** Where the label starts and where its value starts. */
  index: number;
  valueStart: number;
  colon: boolean;
}

/** The labels of a report, in order. */
export function findLabels(text: string): FoundLabel[] {
  const labels: FoundLabel[] = [];
  let contentLabelAt = -1;
  CANDIDATE_RE.lastIndex = 0;
  for (let m = CANDIDATE_RE.exec(text); m; m = CANDIDATE_RE.exec(text)) {
    const alias = m[1];
    const field = fieldOfAlias(alias) as LeadFieldKey;
    const colon = !!m[2];
    const index = m.index;
    // "投资额 3亿": spaces (not a newline) may separate a glued label from its value.
    const valueStart = index + m[0].length + (m[2] ? 0 : (/^[ \t\u3000]*/.exec(text.slice(index + m[0].length, index + m[0].length + 8)) as RegExpExecArray)[0].length);
    const before = index === 0 ? '\n' : text[index - 1];
    const inContent = contentLabelAt >= 0 && !text.slice(contentLabelAt, index).includes('\n');
    if (!colon) {
      const rule = GLUED.get(alias);
      if (!rule) continue;
      if (!rule.valueStart.test(text.slice(valueStart, valueStart + 64))) continue;
      if (!STRONG_BEFORE.test(before)) {
        if (!rule.inSentence) continue;
        if (inContent && !(rule.inContent && rule.inContent.test(text.slice(valueStart, valueStart + 64)))) continue;
      }
    }
    labels.push({ field, alias, index, valueStart, colon });
    // Glued labels after a comma are prose inside a content value, until the next line.
    contentLabelAt = field === 'content' ? index : -1;
  }
  return labels;
}
