/**
 * Planned-investment amounts as officials type them in chat.
 *
 * Accepted: Arabic or Chinese numerals (小写 一二三… and 大写 壹贰叁…, 两, 零, 点), full-width
 * digits, thousands separators ("5,000万"), magnitude units 十/百/千/万/亿 in any sensible
 * combination ("5亿", "0.5亿", "3.5千万", "1亿5000万", "一千五百万", "十亿"), colloquial
 * trailing digits after a Chinese unit ("三千五" = 3500, "两亿五" = 2.5亿) and "5个亿",
 * one trailing parenthesised remark ("5亿元（一期2亿元）", ignored), currency words
 * before or after (人民币, 元, RMB, CNY, ¥ / 美元, 美金, USD, US$, $), and the hedges 约 / 左右 /
 * 以上 (ignored: the figure itself is recorded).
 *
 * Rejected (null): empty text, zero, negative numbers, ranges ("5-10亿"), several figures,
 * currencies other than CNY/USD (欧元, 港元…; see {@link hasUnsupportedCurrency}), amounts
 * above 1万亿 in the original currency, and a number with neither 万/亿 nor a currency word
 * ("5000", "五千"): it could mean 元 or 万元, so the official is asked to say which.
 *
 * The value is kept in 万 of the original currency, rounded to 4 decimals (one yuan / dollar).
 */

import { stripInvisible } from './text';

export type LeadCurrency = 'CNY' | 'USD';

export interface LeadAmount {
  /** Amount in 万 (10,000) units of `currency`. */
  amountWan: number;
  currency: LeadCurrency;
  /** Human form, e.g. "5亿元", "3500万美元", "0.5万元" is shown as "5000元". */
  display: string;
}

/** Largest accepted amount, in 万: 1万亿. */
export const MAX_LEAD_AMOUNT_WAN = 1e8;
/**
 * Smallest accepted amount, in 万: 0.01 (100 元). The ledger keeps two decimals of 万, so anything
 * smaller would be stored as 0 and refused by the database on every retry.
 */
export const MIN_LEAD_AMOUNT_WAN = 0.01;

const UNSUPPORTED_CURRENCY_RE = /欧元|港元|港币|日元|英镑|韩元|澳元|加元|台币|卢布|瑞郎|新元|eur|hkd|jpy|gbp|aud|cad|€|£/;

const PREFIX_RE = /^(?:约合|大约|约|人民币|rmb|cny|¥|us\$|usd|\$|美元|美金)/;
const SUFFIX_RE = /(?:左右|以上|元人民币|人民币|美元|美金|块钱|元|块|rmb|cny|usd|dollars|dollar)$/;
const USD_WORDS = new Set(['us$', 'usd', '$', '美元', '美金', 'dollars', 'dollar']);
const CNY_WORDS = new Set(['人民币', 'rmb', 'cny', '¥', '元人民币', '元', '块钱', '块']);

const CN_DIGITS: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 壹: 1, 二: 2, 贰: 2, 两: 2, 三: 3, 叁: 3, 四: 4, 肆: 4,
  五: 5, 伍: 5, 六: 6, 陆: 6, 七: 7, 柒: 7, 八: 8, 捌: 8, 九: 9, 玖: 9,
};
const CN_UNITS: Record<string, number> = {
  十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000, 万: 1e4, 萬: 1e4, 亿: 1e8, 億: 1e8,
};

type Token =
  | { t: 'num'; v: number; cn: boolean; integerDigit: boolean; afterZero: boolean }
  | { t: 'unit'; v: number };

function canonical(text: string): string {
  return stripInvisible(text).normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

/** True when the text names a currency other than 人民币 / 美元 (欧元, 港元, 日元…). */
export function hasUnsupportedCurrency(text: string): boolean {
  return UNSUPPORTED_CURRENCY_RE.test(canonical(text ?? ''));
}

function tokenize(s: string): Token[] | null {
  const tokens: Token[] = [];
  let afterZero = false;
  let i = 0;
  while (i < s.length) {
    const ch = s[i];
    const arabic = /^\d+(?:\.\d+)?/.exec(s.slice(i));
    if (arabic) {
      tokens.push({ t: 'num', v: Number(arabic[0]), cn: false, integerDigit: false, afterZero });
      afterZero = false;
      i += arabic[0].length;
      continue;
    }
    if (ch in CN_DIGITS) {
      const d = CN_DIGITS[ch];
      if (d === 0 && s[i + 1] !== '点') {
        afterZero = true; // 零 only marks a gap: 一千零五
        i += 1;
        continue;
      }
      if (s[i + 1] === '点') {
        let j = i + 2;
        let frac = '';
        while (j < s.length && s[j] in CN_DIGITS) frac += String(CN_DIGITS[s[j++]]);
        if (!frac) return null;
        tokens.push({ t: 'num', v: Number(`${d}.${frac}`), cn: true, integerDigit: false, afterZero });
        i = j;
      } else {
        tokens.push({ t: 'num', v: d, cn: true, integerDigit: true, afterZero });
        i += 1;
      }
      afterZero = false;
      continue;
    }
    if (ch in CN_UNITS) {
      tokens.push({ t: 'unit', v: CN_UNITS[ch] });
      afterZero = false;
      i += 1;
      continue;
    }
    return null;
  }
  return tokens;
}

/** Evaluate a Chinese-style number; returns the value and whether 万 or 亿 was used. */
function evaluate(tokens: Token[]): { value: number; hasUnit: boolean } | null {
  let total = 0; // completed 亿 groups
  let tenK = 0; // completed 万 group within the current 亿
  let section = 0; // below 万
  let cur: number | null = null;
  let lastSmall = Infinity; // last 十/百/千 used in this section, must decrease
  let yiUsed = false;
  let hasUnit = false;
  let prev: Token | null = null;
  let curToken: Extract<Token, { t: 'num' }> | null = null;
  let unitBeforeCur: number | null = null;

  for (const tok of tokens) {
    if (tok.t === 'num') {
      if (cur !== null) return null; // two figures in a row: "三五", "5 5"
      cur = tok.v;
      curToken = tok;
      unitBeforeCur = prev && prev.t === 'unit' && !tok.afterZero ? prev.v : null;
    } else {
      const m = tok.v;
      if (m >= 1e4) hasUnit = true;
      if (m < 1e4) {
        if (cur === null) {
          if (section !== 0) return null; // "五千百"
          cur = 1; // "十亿", "千万", "百万"
        }
        if (m >= lastSmall) return null; // "五百三千"
        section += cur * m;
        lastSmall = m;
      } else if (m === 1e4) {
        if (tenK !== 0) return null; // "五万三万"
        const w = section + (cur ?? 0);
        if (w === 0) return null;
        tenK = w * 1e4;
        section = 0;
        lastSmall = Infinity;
      } else {
        if (yiUsed) return null; // "五亿三亿"
        if (tenK !== 0 && (section !== 0 || cur !== null)) return null; // "五万三亿"
        const y = tenK + section + (cur ?? 0);
        if (y === 0) return null;
        total = y * 1e8;
        tenK = 0;
        section = 0;
        lastSmall = Infinity;
        yiUsed = true;
      }
      cur = null;
      curToken = null;
    }
    prev = tok;
  }

  if (cur !== null && curToken !== null && unitBeforeCur !== null) {
    // A bare figure right after a unit: only the colloquial Chinese form is meaningful
    // ("三千五" = 3500, "一万五" = 15000, "两亿五" = 2.5亿). "十五" is ordinary 15.
    if (unitBeforeCur === 10) {
      // ordinary reading
    } else if (curToken.cn && curToken.integerDigit) {
      cur = cur * (unitBeforeCur === 1e8 ? 1e7 : unitBeforeCur / 10);
    } else {
      return null; // "5亿3", "5000万2"
    }
  }
  return { value: total + tenK + section + (cur ?? 0), hasUnit };
}

function formatNumber(n: number, maxDecimals: number): string {
  return String(Number(n.toFixed(maxDecimals)));
}

/** Human form of an amount in 万: "5亿元", "3500万美元", "0.5万元" → "5000元". */
export function formatLeadAmount(amountWan: number, currency: LeadCurrency): string {
  const unit = currency === 'USD' ? '美元' : '元';
  if (amountWan >= 1e4 && Number.isInteger(amountWan)) {
    return `${formatNumber(amountWan / 1e4, 4)}亿${unit}`;
  }
  if (amountWan >= 1) return `${formatNumber(amountWan, 4)}万${unit}`;
  return `${formatNumber(amountWan * 1e4, 0)}${unit}`;
}

/**
 * Parse a planned-investment amount. Returns null for anything not clearly a positive
 * amount in 人民币 or 美元 (see the file comment for what is accepted). `maxWan` lifts the
 * 1万亿 ceiling and `minWan` the 100元 floor, for a caller that wants to tell "too large" or
 * "too small" apart from "unreadable" (amount-reading.ts).
 */
export function parseAmount(text: string, opts: { maxWan?: number; minWan?: number } = {}): LeadAmount | null {
  const maxWan = opts.maxWan ?? MAX_LEAD_AMOUNT_WAN;
  const minWan = opts.minWan ?? MIN_LEAD_AMOUNT_WAN;
  if (typeof text !== 'string') return null;
  let s = canonical(text);
  if (!s || s.length > 40) return null;
  if (UNSUPPORTED_CURRENCY_RE.test(s)) return null;
  s = s.replace(/(?<=\d)[,，](?=\d{3}(?!\d))/g, '');
  s = s.replace(/\([^()]*\)$/, ''); // a trailing remark: "5亿元(一期2亿)"
  s = s.replace(/个(?=[万亿])/g, ''); // colloquial "5个亿", "十个亿"

  const words: string[] = [];
  for (let m = PREFIX_RE.exec(s); m && m[0]; m = PREFIX_RE.exec(s)) {
    words.push(m[0]);
    s = s.slice(m[0].length);
  }
  for (let m = SUFFIX_RE.exec(s); m && m[0]; m = SUFFIX_RE.exec(s)) {
    words.push(m[0]);
    s = s.slice(0, s.length - m[0].length);
  }
  const usd = words.some((w) => USD_WORDS.has(w));
  const cny = words.some((w) => CNY_WORDS.has(w));
  if (usd && cny) return null;
  if (!s) return null;

  const tokens = tokenize(s);
  if (!tokens || tokens.length === 0) return null;
  const evaluated = evaluate(tokens);
  if (!evaluated) return null;
  // A bare "5000" or "五千" is ambiguous (元 or 万元?): require 万/亿 or a currency word.
  if (!evaluated.hasUnit && !usd && !cny) return null;

  const amountWan = Math.round(evaluated.value) / 1e4; // whole yuan / dollars
  if (!Number.isFinite(amountWan) || amountWan <= 0 || amountWan < minWan || amountWan > maxWan) return null;
  const currency: LeadCurrency = usd ? 'USD' : 'CNY';
  return { amountWan, currency, display: formatLeadAmount(amountWan, currency) };
}
