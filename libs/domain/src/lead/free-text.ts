/**
 * Understanding a report written as a plain sentence, without labels:
 * "今天对接了佛山市顺德区美雅家电有限公司，拟在我县投资3亿元建设小家电生产基地，联系人冯总，电话13622221111。"
 *
 * - The company is a run of name characters ending in an organisation suffix (有限公司,
 *   股份有限公司, 集团, 合伙企业（有限合伙）, 律师事务所（特殊普通合伙）…), cut after the last
 *   verb of contact (对接了, 拜访, 洽谈, 赴, 与…), stripped of leading time and subject words,
 *   and started at a province or city name that follows a particle (…小组到深圳市星河…).
 * - The contact is a person with a title (冯总, 王经理, 李女士) or a short name right before
 *   the phone number.
 * - The content is what the sentence says is built: the words after the amount in its clause
 *   when they start a description (建设…, 用于…, 在我县建设…), otherwise the clause that names a
 *   project, a plant or a base.
 * Everything here is a guess: the report is marked labelled=false and intake asks to 确认.
 */

import { PLACE_NAMES } from './company-name';
import { halfWidthAlnum } from './text';

const ORG_SUFFIXES = [
  '集团股份有限公司',
  '集团有限责任公司',
  '集团有限公司',
  '股份有限公司',
  '有限责任公司',
  '有限公司',
  '股份公司',
  '合伙企业[(（](?:有限合伙|普通合伙|特殊普通合伙)[)）]',
  '合伙企业',
  '(?:律师|会计师|税务师|资产评估|评估)?事务所(?:[(（](?:特殊普通合伙|普通合伙)[)）])?',
  '研究院',
  '研究所',
  '专业合作社',
  '合作社',
  '集团',
  '公司',
];
/** Characters a Chinese company name is made of (no punctuation, no spaces). */
const NAME_CHARS = '\\u4e00-\\u9fffA-Za-z0-9０-９Ａ-Ｚａ-ｚ()（）·&';
const BRANCH = `(?:[\\u4e00-\\u9fff]{2,8}分公司)?`;
const ORG_RE = new RegExp(`[${NAME_CHARS}]{2,50}?(?:${ORG_SUFFIXES.join('|')})${BRANCH}`, 'g');

/** Verbs of contact, longest first: the company name starts after the last one. */
const CONTACT_VERBS = [
  '对接了', '拜访了', '洽谈了', '接洽了', '会见了', '接待了', '走访了', '考察了', '约见了', '会谈了', '联系了', '引进了', '签约了', '对接上', '结识了',
  '认识了', '接触了', '邀请了', '签订了', '签署了', '对接', '拜访', '洽谈', '接洽', '会见', '接待', '走访', '考察', '约见', '会谈', '引进', '见了',
  '来自', '前往', '来到', '走进', '深入', '结识', '接触', '邀请', '陪同', '带领', '率队', '洽商', '赴', '与', '跟',
];
const CONTACT_VERB_RE = new RegExp(`(?:${CONTACT_VERBS.join('|')})`, 'g');
/** Time and subject words that may still precede the name. */
const LEADING_FILLER_RE =
  /^(?:今天|昨天|今日|昨日|前天|近日|日前|本周|上周|上午|下午|晚上|刚刚|刚才|我们|我局|我委|我办|我县|我区|我市|本局|本单位|已经|已|刚|成功|首次|初步|再次|又|正在|重点|一家|这家|该)/;
/** "今天和星河…": a particle right after a time or subject word; never stripped at the start (和记黄埔, 同方股份). */
const PARTICLE_AFTER_FILLER_RE = /^(?:和|同|了)/;
/** A place name after a word that ends a phrase (…小组到深圳市星河…): the name starts at the place. */
const PLACE_AFTER_PHRASE_RE = new RegExp(`(?<=[赴去到往至在从与和同跟对为是了的])(?:${PLACE_NAMES.join('|')})`);

/** What is not a company even with the suffix: 我公司, 该公司, 总公司… */
const NOT_A_NAME_RE = /^(?:[我贵该本此这那某母子分总]|一家|这家|那家|某家|其|有限)?(?:集团|公司|有限公司|股份有限公司|有限责任公司)$/;

export interface TextSpan {
  value: string;
  index: number;
  length: number;
}

/** The first company named in free text, or null. */
export function findCompanyInText(text: string): TextSpan | null {
  ORG_RE.lastIndex = 0;
  for (let m = ORG_RE.exec(text); m; m = ORG_RE.exec(text)) {
    let name = m[0];
    let start = m.index;
    let lastVerbEnd = -1;
    CONTACT_VERB_RE.lastIndex = 0;
    for (let v = CONTACT_VERB_RE.exec(name); v; v = CONTACT_VERB_RE.exec(name)) lastVerbEnd = v.index + v[0].length;
    if (lastVerbEnd > 0 && lastVerbEnd < name.length) {
      start += lastVerbEnd;
      name = name.slice(lastVerbEnd);
    }
    let filler = false;
    for (let f = LEADING_FILLER_RE.exec(name); f && f[0].length < name.length; f = LEADING_FILLER_RE.exec(name)) {
      start += f[0].length;
      name = name.slice(f[0].length);
      filler = true;
    }
    const particle = filler ? PARTICLE_AFTER_FILLER_RE.exec(name) : null;
    if (particle) {
      start += particle[0].length;
      name = name.slice(particle[0].length);
    }
    // An opening bracket with no closing one belongs to the sentence: "（星河有限公司".
    const open = /^[(（]+(?![^()（）]*[)）])/.exec(name);
    if (open) {
      start += open[0].length;
      name = name.slice(open[0].length);
    }
    if (!PLACE_NAMES.some((p) => name.startsWith(p))) {
      const place = PLACE_AFTER_PHRASE_RE.exec(name);
      if (place) {
        start += place.index;
        name = name.slice(place.index);
      }
    }
    if (NOT_A_NAME_RE.test(name) || name.length < 4) continue;
    return { value: name, index: start, length: name.length };
  }
  return null;
}

/** True when the text is nothing but one company name (a bare "深圳市星河智能科技有限公司" line). */
export function isBareCompanyLine(line: string, company: string): boolean {
  return line.replace(/^[\s,，;；。、|/:：]+|[\s,，;；。、|/:：]+$/g, '') === company;
}

const TITLE = '(?:总经理|副总经理|董事长|副总|总监|经理|主任|部长|处长|科长|局长|书记|秘书|助理|主管|老板|先生|女士|小姐|总)';
const PERSON_WITH_TITLE_RE = new RegExp(`[\\u4e00-\\u9fff]{1,3}?${TITLE}$`);
const SHORT_NAME_RE = /^[\u4e00-\u9fff]{2,3}$/;

/**
 * The contact person written right before a phone number: "冯总 136…", "李女士：139…",
 * "张三 138…". `before` is the text that precedes the number.
 */
export function findContactBeforePhone(before: string): string | null {
  const tail = before.replace(/[\s,，:：、(（]+$/, '');
  const segment = tail.split(/[\s,，;；。、|/:：()（）]/).pop() ?? '';
  const cleaned = segment.replace(/^(?:联系人|对接人|联系|电话|手机)/, '');
  const titled = PERSON_WITH_TITLE_RE.exec(cleaned);
  if (titled) return titled[0];
  if (SHORT_NAME_RE.test(cleaned) && /[\s,，:：]$/.test(before.slice(-1) || ' ')) return cleaned;
  return null;
}

/** A person with a title anywhere in the text (联系人 without a phone: "对接的是冯总"). */
export function findTitledPerson(text: string): string | null {
  const m = new RegExp(`(?<![\\u4e00-\\u9fff])[\\u4e00-\\u9fff]{1,2}${TITLE}(?![\\u4e00-\\u9fff])`).exec(text);
  return m ? m[0] : null;
}

const DESCRIPTION_START_RE =
  /^(?:(?:主要|全部|拟|将|计划|准备)?用于|主要建设|在我[县区市]|在[\u4e00-\u9fff]{2,8}(?:建设|新建|投资|打造)|投资建设|拟建|拟新建|建设|新建|扩建|改建|打造|布局|设立|成立|落地|发展|生产|研发|从事|开展|引进|实施|上马|搞|做|主要做|主营)/;
const PROJECT_WORD_RE = /项目|基地|工厂|厂房|生产线|产线|总部|园区|中心|研发|产业园|仓储|物流/;

/**
 * What the project is, from the clause of the amount: "拟在我县投资3亿元建设小家电生产基地" →
 * "建设小家电生产基地". `amountEnd` is where the amount ends in `text`, or -1 without one.
 */
export function findContentInText(text: string, amountEnd: number, companySpan: TextSpan | null): string | null {
  const clauses = splitClauses(text);
  if (amountEnd >= 0) {
    const at = clauses.findIndex((c) => c.index <= amountEnd && amountEnd <= c.index + c.value.length);
    if (at >= 0) {
      const clause = clauses[at];
      const rest = tidyClause(text.slice(amountEnd, clause.index + clause.value.length));
      if (rest && DESCRIPTION_START_RE.test(rest)) return rest;
      // "投资20亿，做铜箔": the description in the next clause.
      const next = at + 1 < clauses.length ? tidyClause(clauses[at + 1].value) : '';
      if (!rest && next && DESCRIPTION_START_RE.test(next)) return next;
    }
  }
  for (const c of clauses) {
    let v = c.value;
    if (companySpan && c.index <= companySpan.index && companySpan.index < c.index + v.length) {
      v = v.slice(companySpan.index + companySpan.length - c.index);
    }
    v = tidyClause(v);
    if (v && PROJECT_WORD_RE.test(v) && !/^(?:联系人|对接人|电话|手机)/.test(v)) return v;
  }
  return null;
}

/** The words after an amount, when they say what is built ("建设选矿厂"), else null. */
export function describedProject(rest: string): string | null {
  const clause = tidyClause(tidyClause(rest).split(/[，,。；;！!？?\n]/)[0] ?? '');
  return clause && DESCRIPTION_START_RE.test(clause) ? clause : null;
}

function splitClauses(text: string): TextSpan[] {
  const out: TextSpan[] = [];
  // Spaces separate fields in "星河有限公司 拟投资8千万 建设冷链物流中心", so they end a clause too.
  const re = /[^，,。；;！!？?\s]+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ value: m[0], index: m.index, length: m[0].length });
  return out;
}

function tidyClause(s: string): string {
  return s.replace(/^[\s,，;；。、:：]+|[\s,，;；。、:：!！]+$/g, '').trim();
}

const CREDIT_CODE_IN_TEXT_RE = /(?<![0-9A-Za-z])[0-9A-Za-z]{2}[0-9]{6}[0-9A-Za-z]{10}(?![0-9A-Za-z])/;
/** Positions refer to the text as given: full-width characters are read one for one. */

/** An 18-character unified social credit code written without a label. */
export function findCreditCodeInText(text: string): TextSpan | null {
  const m = CREDIT_CODE_IN_TEXT_RE.exec(halfWidthAlnum(text));
  return m ? { value: m[0], index: m.index, length: m[0].length } : null;
}
