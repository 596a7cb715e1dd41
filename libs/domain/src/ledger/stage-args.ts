/**
 * The arguments after a stage command: `签约 YY-2026-000001 5亿 2026-12-01`,
 * `到位 YY-2026-000001 1.2亿`, `终止 YY-2026-000001 企业战略调整`. An amount (read with the
 * lead parser's parseAmount), a date (chrono-node's Chinese parser, then its general one for
 * 2026/12/01; see docs/adr), and whatever remains is the note or reason. Without a date the
 * message's own time is the date.
 */
import * as chrono from 'chrono-node';
import { parseAmount } from '../lead/amount';

export interface StageArgs {
  /** In 万 of `currency`. */
  amountWan: number | null;
  currency: 'CNY' | 'USD' | null;
  /** ms since epoch; null when no date was written. */
  date: number | null;
  note: string | null;
  /** An amount-like token that could not be read (e.g. "-5亿", "0亿"; a figure without 万/亿 such as "0元" is not amount-like and stays in the note). */
  badAmount: string | null;
}

const AMOUNT_TOKEN_RE =
  /(?:人民币|美元|约)?[-−]?[0-9０-９.,，一二三四五六七八九十百千万两零壹贰叁肆伍陆柒捌玖拾佰仟]+\s*(?:个)?\s*(?:亿|万|千万|百万)\s*(?:元)?\s*(?:人民币|美元|美金)?/;
/** The UTC offset of a timezone at an instant, in minutes (Asia/Shanghai: 480). */
export function utcOffsetMinutes(timeZone: string, at: Date): number {
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName');
  // Stryker disable next-line OptionalChaining,StringLiteral: equivalent, formatToParts yields a timeZoneName part whenever timeZoneName is asked for
  const name = part?.value ?? '';
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) : 0;
}

/** Reads the arguments; dates are in the profile's timezone. */
export function parseStageArgs(args: string, now: Date, timeZone = 'Asia/Shanghai'): StageArgs {
  const offset = utcOffsetMinutes(timeZone, now);
  let rest = (args ?? '').normalize('NFKC').trim();
  let date: number | null = null;
  const found = chrono.zh.parse(rest, { instant: now, timezone: offset }, { forwardDate: false })[0]
    ?? chrono.parse(rest, { instant: now, timezone: offset })[0];
  if (found) {
    date = found.start.date().getTime();
    // No trim here or after the amount: neither pattern cares about edge spaces, and the note's strips them.
    rest = rest.slice(0, found.index) + ' ' + rest.slice(found.index + found.text.length);
  }
  let amountWan: number | null = null;
  let currency: 'CNY' | 'USD' | null = null;
  let badAmount: string | null = null;
  const m = AMOUNT_TOKEN_RE.exec(rest);
  if (m) {
    const a = parseAmount(m[0]);
    if (a) {
      amountWan = a.amountWan;
      currency = a.currency;
    } else badAmount = m[0].trim();
    rest = rest.slice(0, m.index) + ' ' + rest.slice(m.index + m[0].length);
  }
  // Stryker disable next-line MethodExpression: equivalent, both edge classes contain \s, so no edge whitespace is left to trim
  const note = rest.replace(/^[\s,，;；:：。]+|[\s,，;；]+$/g, '').replace(/\s+/g, ' ').trim();
  return { amountWan, currency, date, note: note ? note.slice(0, 500) : null, badAmount };
}
