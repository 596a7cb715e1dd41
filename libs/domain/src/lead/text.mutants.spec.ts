import { clip, tidyName, tidyText, truncateUtf8, utf8Length, WECOM_TEXT_MAX_BYTES } from './text';

/** Cases that kill mutations the other specs let survive (found with `npm run mutation`). */
describe('tidyText and tidyName', () => {
  it('collapses and trims whitespace', () => {
    expect(tidyText('  a \n b  ')).toBe('a b');
  });

  it.each([
    ['深圳市星河智能科技 有限公司', '深圳市星河智能科技有限公司'],
    ['星河 智能 科技', '星河智能科技'], // every gap, not only the first
    ['星河\u3000科技', '星河科技'],
    ['星河 （中国）', '星河（中国）'],
    ['「星河」 科技', '「星河」科技'],
    ['Acme Robotics 有限公司', 'Acme Robotics 有限公司'],
  ])('%j → %j', (name, tidy) => {
    expect(tidyName(name)).toBe(tidy);
  });
});

describe('clip', () => {
  it('keeps text of exactly the limit and cuts longer text with an ellipsis', () => {
    expect(clip('abc', 3)).toBe('abc');
    expect(clip('abcd', 3)).toBe('ab…');
    expect(clip('😀😀😀', 2)).toBe('😀…');
  });
});

describe('utf8Length at the encoding boundaries', () => {
  it.each<[string, number]>([
    ['\u007f', 1],
    ['\u0080', 2],
    ['\u07ff', 2],
    ['\u0800', 3],
    ['\uffff', 3],
    ['😀', 4],
    ['\ud800', 3], // a lone surrogate is sent as U+FFFD
  ])('%j is %d bytes', (ch, bytes) => {
    expect(utf8Length(ch)).toBe(bytes);
  });
});

describe('truncateUtf8', () => {
  it('keeps text that fits exactly', () => {
    expect(truncateUtf8('a'.repeat(WECOM_TEXT_MAX_BYTES))).toBe('a'.repeat(WECOM_TEXT_MAX_BYTES));
    expect(truncateUtf8('中中', 6)).toBe('中中');
  });

  it('cuts to the byte budget with room for the ellipsis, never inside a character', () => {
    expect(truncateUtf8('a'.repeat(WECOM_TEXT_MAX_BYTES + 1))).toBe('a'.repeat(WECOM_TEXT_MAX_BYTES - 3) + '…');
    expect(truncateUtf8('abcdef', 5)).toBe('ab…');
    expect(truncateUtf8('中中中', 8)).toBe('中…');
    const cut = truncateUtf8('中'.repeat(683));
    expect(cut).toBe('中'.repeat(681) + '…');
    expect(utf8Length(cut)).toBe(2046);
  });
});
