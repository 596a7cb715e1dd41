/**
 * Reading an investment amount the way officials write it, on top of {@link parseAmount}
 * (which reads one exact figure): hedges (约2亿, 2亿左右, 近5亿, 2亿多) mark the reading as
 * approximate, ranges (1-2亿, 8000万至1亿元, 1~2亿美元) keep both ends, US dollars are
 * converted at the profile's rate with the original currency kept, and absurd figures
 * (negative, zero, under 1万元, above 1万亿) become a problem to ask again instead of a value.
 *
 * Also finds an amount inside a sentence (拟在我县投资3亿元建设…) for reports without labels:
 * only a figure with 万 or 亿 counts, so "一期", "3号楼", "租金5000元" or a phone number are
 * never read as the investment.
 */

import { hasUnsupportedCurrency, MAX_LEAD_AMOUNT_WAN, parseAmount } from './amount';
import { clip, stripInvisible } from './text';
import type { AmountReading } from './lead-report';

/** Smallest credible project, in 万元: anything below is a wrong unit ("50元"), asked again. */
export const MIN_CREDIBLE_AMOUNT_WAN = 1;

export type AmountOutcome =
  | { kind: 'amount'; reading: AmountReading }
  | { kind: 'problem'; reason: AmountProblem; problem: string };

/** Why an amount is asked again; `problem` is the Chinese sentence for the official. */
export type AmountProblem = 'empty' | 'currency' | 'negative' | 'zero' | 'too-large' | 'too-small' | 'unreadable';

const ECHO = 20;
/** Ceiling and floor are checked here, after conversion, so that "2万亿" is "too large" and "50元" "too small", not "unreadable". */
const UNCAPPED = { maxWan: Number.POSITIVE_INFINITY, minWan: 0 };

/** Hedges before the figure. Longest first. */
const APPROX_PREFIX_RE = /^(?:大约|大概|约合|预估|估计|不少于|不低于|超过|将近|接近|约|近|超|逾)/;
/** Words before the figure that change nothing: 预计投资5亿, 总额5亿. */
const NEUTRAL_PREFIX_RE = /^(?:预计|计划|总额|总计|共计|合计|达到|达)/;
/** Hedges after the figure (before or after the currency word). */
const APPROX_SUFFIX_RE = /(?:左右|上下|以上|多|余)$/;
/** "2亿多元", "3000余万": a hedge inside the figure. */
const APPROX_INNER_RE = /(?<=[\d一二三四五六七八九十百千万亿两])(?:多|余)(?=[万亿元美])/g;

/** Separators of a range. "-" only between two figures (a leading "-" is a minus sign). */
const RANGE_RE = /^(.+?)(?:-|－|~|～|—|–|至|到)(.+)$/;
const NEGATIVE_RE = /^(?:-|－|负)/;
const CURRENCY_TAIL_RE = /(?:元人民币|人民币|美元|美金|元|rmb|cny|usd)$/;
const MAGNITUDE_TAIL_RE = /(?:千万|百万|十万|万|亿)$/;
const USD_RE = /美元|美金|usd|us\$|\$/;

function canonical(text: string): string {
  return stripInvisible(text).normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

/** The figure of "1-2亿"'s left end, given the unit and currency written only once on the right. */
function borrowUnits(left: string, right: string): string {
  let tail = '';
  let r = right;
  const currency = CURRENCY_TAIL_RE.exec(r);
  if (currency) {
    r = r.slice(0, r.length - currency[0].length);
    if (!CURRENCY_TAIL_RE.test(left)) tail = currency[0];
  }
  const magnitude = MAGNITUDE_TAIL_RE.exec(r);
  if (magnitude && !/[万亿千百十元]/.test(left)) tail = magnitude[0] + tail;
  const head = /^(?:人民币|美元|rmb|usd|us\$|\$|¥)/.exec(right);
  return (head && !left.startsWith(head[0]) ? head[0] : '') + left + tail;
}

/** One amount as typed after a label (or as found in a sentence). */
export function readAmount(raw: string, usdToCnyRate: number): AmountOutcome {
  const original = clip(stripInvisible(raw).replace(/\s+/g, ' ').trim(), 40);
  const echo = clip(original, ECHO);
  let s = canonical(raw);
  if (!s) return { kind: 'problem', reason: 'empty', problem: '投资额未填写，请写成如“5亿元”或“3000万元”' };
  if (hasUnsupportedCurrency(s)) {
    return {
      kind: 'problem',
      reason: 'currency',
      problem: `投资额“${echo}”的币种暂不支持，请折算为人民币或美元填写，如“5亿元”或“3500万美元”`,
    };
  }
  if (NEGATIVE_RE.test(s)) return { kind: 'problem', reason: 'negative', problem: `投资额“${echo}”不能为负数，请重新填写` };

  let approximate = false;
  s = s.replace(NEUTRAL_PREFIX_RE, '');
  for (let m = APPROX_PREFIX_RE.exec(s); m; m = APPROX_PREFIX_RE.exec(s)) {
    approximate = true;
    s = s.slice(m[0].length);
  }
  // "上亿", "过千万": at least one of that unit.
  if (/^[上过](?=[千百十]?[万亿])/.test(s)) {
    approximate = true;
    s = '1' + s.slice(1);
  }
  s = s.replace(/整$/, ''); // "伍亿元整", as on a cheque
  const withoutInner = s.replace(APPROX_INNER_RE, '');
  if (withoutInner !== s) approximate = true;
  s = withoutInner;
  for (let m = APPROX_SUFFIX_RE.exec(s); m; m = APPROX_SUFFIX_RE.exec(s)) {
    approximate = true;
    s = s.slice(0, s.length - m[0].length);
  }

  const range = RANGE_RE.exec(s);
  let minWan: number;
  let maxWan: number;
  let currency: 'CNY' | 'USD';
  if (range) {
    const right = parseAmount(range[2], UNCAPPED);
    const left = parseAmount(borrowUnits(range[1], range[2]), UNCAPPED);
    if (!left || !right || left.currency !== right.currency) return unreadable(echo);
    minWan = Math.min(left.amountWan, right.amountWan);
    maxWan = Math.max(left.amountWan, right.amountWan);
    currency = right.currency;
  } else {
    const zero = /^[0零〇.]+(?:万|亿)?(?:元|美元)?$/.test(s);
    if (zero) return { kind: 'problem', reason: 'zero', problem: `投资额“${echo}”为零，请填写计划投资额，如“5亿元”` };
    const one = parseAmount(s, UNCAPPED);
    if (!one) return unreadable(echo);
    minWan = maxWan = one.amountWan;
    currency = one.currency;
  }
  const rate = currency === 'USD' ? usdToCnyRate : 1;
  const amountWanCny = Number((((minWan + maxWan) / 2) * rate).toFixed(4));
  if (maxWan * rate > MAX_LEAD_AMOUNT_WAN) {
    return { kind: 'problem', reason: 'too-large', problem: `投资额“${echo}”超过1万亿元，请核实单位后重新填写` };
  }
  if (minWan * rate < MIN_CREDIBLE_AMOUNT_WAN) {
    return { kind: 'problem', reason: 'too-small', problem: `投资额“${echo}”不足1万元，请核实单位（万元/亿元）后重新填写` };
  }
  return { kind: 'amount', reading: { amountWanCny, minWan, maxWan, currency, approximate, original } };
}

function unreadable(echo: string): AmountOutcome {
  return { kind: 'problem', reason: 'unreadable', problem: `投资额“${echo}”无法识别，请写成如“5亿元”或“3000万元”（请注明万元或亿元）` };
}

const NUM = '[0-9０-９.．零〇一二两三四五六七八九十百千壹贰叁肆伍陆柒捌玖拾佰仟]';
/** A figure in a sentence: digits (3- or 4-digit comma groups kept so 5,0000万 is seen whole and refused). */
const FIGURE = `${NUM}+(?:[,，][0-9]{3,4}(?![0-9]))*(?:个)?(?:${NUM}|[万亿])*`;
const HEDGE_BEFORE = '(?:大约|大概|约合|预计|将近|接近|超过|约|近|超|逾)?';
const CURRENCY_BEFORE = '(?:人民币|RMB|rmb|¥|￥|US\\$|USD|\\$)?';
const TAIL =
  '(?:多|余)?(?:元人民币|人民币|美元|美金|万元|亿元|元|万美元|亿美元)?(?:左右|上下|以上|多)?';
const SENTENCE_AMOUNT_RE = new RegExp(
  `(?<![0-9A-Za-z０-９])(-|－)?${HEDGE_BEFORE}${CURRENCY_BEFORE}${FIGURE}` +
    `(?:\\s*(?:-|－|~|～|至|到)\\s*${FIGURE})?${TAIL}`,
  'g',
);

const NOT_INVESTMENT_BEFORE_RE =
  /(?:营收|营业收入|收入|产值|销售额|销售收入|利润|税收|纳税|注册资本|注册资金|实缴资本|市值|估值|融资|贷款|补贴|奖励)(?:达到|达|约|为|是|超过|近)?$/;

/** An amount expression inside free text: where it is and what it says. */
export interface AmountInText {
  index: number;
  length: number;
  outcome: AmountOutcome;
}

/**
 * The first amount in a sentence ("拟在我县投资3亿元建设…" → 3亿元). A figure counts only with
 * 万 or 亿, and not when a measure word follows (1万平方米, 5万吨).
 */
export function findAmountInText(text: string, usdToCnyRate: number): AmountInText | null {
  SENTENCE_AMOUNT_RE.lastIndex = 0;
  for (let m = SENTENCE_AMOUNT_RE.exec(text); m; m = SENTENCE_AMOUNT_RE.exec(text)) {
    const found = m[0];
    if (!found) {
      SENTENCE_AMOUNT_RE.lastIndex++;
      continue;
    }
    if (!/[万亿]/.test(found)) continue;
    // 营收3亿, 注册资本5000万: money, but not the investment.
    if (NOT_INVESTMENT_BEFORE_RE.test(text.slice(Math.max(0, m.index - 6), m.index))) continue;
    // 1万平方米, 5万吨: a quantity, not money.
    const after = text.slice(m.index + found.length, m.index + found.length + 3);
    if (/^(?:平方|平米|亩|吨|台|套|件|辆|人|个|户|千瓦|kw|瓦|米)/i.test(after)) continue;
    return { index: m.index, length: found.length, outcome: readAmount(found, usdToCnyRate) };
  }
  return null;
}
